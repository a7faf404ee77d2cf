"""Python baseline for `rdance bench rm-train`: times one pairwise-generative RM training step
(images encoded once, features gathered per row, the decoder run, CE over the answer tokens,
backward, gradient clipping at 1.0, AdamW) on the weights and batch the C++ benchmark wrote, with
the same thread count.
  /usr/bin/python3 bench/python/rm_train_bench.py MODEL_DIR BATCH.safetensors THREADS REPEATS
Prints one JSON object: {"seconds_per_step": median, "rows": R}.
"""
import json
import statistics
import sys
import time

import torch
import torch.nn.functional as F

from rd_vlm import Reference, read_safetensors


def main():
    model_dir, batch_path, threads, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    torch.set_num_threads(threads)
    ref = Reference(model_dir)
    params = []
    for name, tensor in ref.w.items():
        if tensor.is_floating_point():
            tensor.requires_grad_(True)
            params.append(tensor)
    optimizer = torch.optim.AdamW(params, lr=1e-4, weight_decay=0.01)
    b = read_safetensors(batch_path)
    ids, pixels, slots = b["ids"], b["pixels"], b["image_slots"]
    target_flat, target_tokens = b["target_flat"], b["target_tokens"]
    context = int(b["image_context_id"][0])
    d = ref.l["hidden"]
    times = []
    for r in range(repeats + 1):  # the first step warms up
        start = time.perf_counter()
        optimizer.zero_grad()
        unique = ref.encode_images(pixels)
        features = unique.index_select(0, slots).reshape(ids.shape[0], -1, d)
        hidden = ref.forward(ids, features, context, hidden_only=True)
        logits = ref.head(hidden.reshape(-1, d).index_select(0, target_flat))
        loss = F.cross_entropy(logits.float(), target_tokens)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        optimizer.step()
        loss.item()
        if r:
            times.append(time.perf_counter() - start)
    print(json.dumps({"seconds_per_step": statistics.median(times), "rows": int(ids.shape[0])}))


if __name__ == "__main__":
    main()

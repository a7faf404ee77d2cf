"""Python baseline for `rdance bench rm`: times the reference forward of a pairwise RM scoring
batch (images encoded, prompt run, logits at each row's answer position, softmax), on the
weights and inputs the C++ benchmark wrote, with the same thread count. It runs as a worker, so
the benchmark can alternate C++ and Python batch by batch:
  /usr/bin/python3 bench/python/rm_bench.py MODEL_DIR INPUTS.safetensors THREADS REPEATS
prints {"ready": true, "batch": B} once warmed up, then for each "run" line on its input
{"seconds_per_batch": the median of REPEATS batches}; it exits at the end of its input.
"""
import json
import statistics
import sys
import time

import torch

from rd_vlm import Reference, read_safetensors


def main():
    model_dir, inputs_path, threads, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    torch.set_num_threads(threads)
    ref = Reference(model_dir)
    inputs = read_safetensors(inputs_path)
    ids, pixels = inputs["ids"], inputs["pixels"]
    context = int(inputs["image_context_id"][0])
    yes = int(inputs["yes_id"][0])

    def batch():
        start = time.perf_counter()
        features = ref.encode_images(pixels).reshape(ids.shape[0], -1, ref.l["hidden"])
        probabilities = torch.softmax(ref.forward(ids, features, context, last_only=True).float(), -1)
        probabilities[:, yes].sum().item()
        return time.perf_counter() - start

    with torch.no_grad():
        batch()  # warm-up
        print(json.dumps({"ready": True, "batch": int(ids.shape[0])}), flush=True)
        for line in sys.stdin:
            if line.strip() != "run":
                continue
            times = [batch() for _ in range(repeats)]
            print(json.dumps({"seconds_per_batch": statistics.median(times)}), flush=True)


if __name__ == "__main__":
    main()

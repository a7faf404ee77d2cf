"""Runs the Python reference forward on inputs written by the C++ tests:
  /usr/bin/python3 bench/python/vlm_reference.py MODEL_DIR INPUTS.safetensors OUT.safetensors
INPUTS holds "ids" [B, T] (int64), "pixels" [N, 3, S, S] (float32, optional) and
"image_context_id" [1] (int64); OUT gets "logits" [B, T, vocab] and "image_features".
"""
import sys

import torch

from rd_vlm import Reference, read_safetensors, write_safetensors


def main():
    model_dir, inputs_path, out_path = sys.argv[1:4]
    torch.set_num_threads(1)
    ref = Reference(model_dir)
    inputs = read_safetensors(inputs_path)
    ids = inputs["ids"]
    features = None
    out = {}
    with torch.no_grad():
        if "pixels" in inputs:
            features = ref.encode_images(inputs["pixels"])
            out["image_features"] = features
            features = features.reshape(ids.shape[0], -1, features.shape[-1])
        out["logits"] = ref.forward(ids, features, int(inputs["image_context_id"][0]))
    write_safetensors(out_path, out)


if __name__ == "__main__":
    main()

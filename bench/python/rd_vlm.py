"""Python reference of RewardDance's vision-language model (core/model), for two jobs:
agreement tests (same safetensors weights, logits within 1e-4 of the C++ engine) and
throughput baselines (`rdance bench rm`). Uses only Debian's python3-torch (1.13): run it
with /usr/bin/python3.

It reads our checkpoint folder: config.json (format "rewarddance-vlm") + model.safetensors,
with InternVL2's tensor names (vision_model.*, mlp1.*, language_model.*).
"""
import json
import math
import struct

import torch
import torch.nn.functional as F

DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16,
          "F64": torch.float64, "I64": torch.int64, "I32": torch.int32, "I16": torch.int16,
          "I8": torch.int8, "U8": torch.uint8, "BOOL": torch.bool}
NAMES = {v: k for k, v in DTYPES.items()}


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    body = data[8 + length:]
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        raw = bytearray(body[begin:end])
        t = torch.frombuffer(raw, dtype=DTYPES[info["dtype"]]) if raw else torch.empty(0, dtype=DTYPES[info["dtype"]])
        tensors[name] = t.reshape(info["shape"]).clone()
    return tensors


def write_safetensors(path, tensors):
    header, chunks, offset = {}, [], 0
    for name in sorted(tensors):
        t = tensors[name].contiguous().cpu()
        raw = t.view(torch.uint8).numpy().tobytes() if t.numel() else b""
        header[name] = {"dtype": NAMES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for c in chunks:
            f.write(c)


def rms_norm(x, weight, eps):
    h = x.float()
    h = h * torch.rsqrt(h.pow(2).mean(-1, keepdim=True) + eps)
    return weight * h.to(x.dtype)


class Reference:
    def __init__(self, folder):
        with open(f"{folder}/config.json") as f:
            self.config = json.load(f)
        self.w = read_safetensors(f"{folder}/model.safetensors")
        v, l = self.config["vision"], self.config["lm"]
        self.v, self.l = v, l

    # --- vision -----------------------------------------------------------------------------
    def norm_v(self, x, prefix):
        v, w = self.v, self.w
        if v["norm"] == "rms_norm":
            return rms_norm(x, w[prefix + ".weight"], v["norm_eps"])
        return F.layer_norm(x, (x.shape[-1],), w[prefix + ".weight"], w[prefix + ".bias"], v["norm_eps"])

    def vision(self, pixels):
        v, w = self.v, self.w
        e = "vision_model.embeddings."
        x = F.conv2d(pixels, w[e + "patch_embedding.weight"], w[e + "patch_embedding.bias"],
                     stride=v["patch_size"])
        x = x.flatten(2).transpose(1, 2)
        x = torch.cat([w[e + "class_embedding"].expand(x.shape[0], 1, -1), x], 1)
        x = x + w[e + "position_embedding"]
        layers = v["layers"] + 1 + self.config["select_layer"] if self.config["select_layer"] < 0 \
            else self.config["select_layer"]
        heads = v["heads"]
        for i in range(layers):
            p = f"vision_model.encoder.layers.{i}."
            h = self.norm_v(x, p + "norm1")
            b, n, c = h.shape
            qkv = F.linear(h, w[p + "attn.qkv.weight"], w.get(p + "attn.qkv.bias"))
            qkv = qkv.reshape(b, n, 3, heads, c // heads).permute(2, 0, 3, 1, 4)
            q, k, vv = qkv[0], qkv[1], qkv[2]
            if v["qk_norm"]:
                q = rms_norm(q.transpose(1, 2).flatten(-2), w[p + "attn.q_norm.weight"], v["norm_eps"]) \
                    .view(b, n, heads, -1).transpose(1, 2)
                k = rms_norm(k.transpose(1, 2).flatten(-2), w[p + "attn.k_norm.weight"], v["norm_eps"]) \
                    .view(b, n, heads, -1).transpose(1, 2)
            att = torch.softmax((q @ k.transpose(-2, -1)) / math.sqrt(c // heads), -1) @ vv
            att = F.linear(att.transpose(1, 2).reshape(b, n, c), w[p + "attn.proj.weight"], w[p + "attn.proj.bias"])
            x = x + w[p + "ls1"] * att
            h = self.norm_v(x, p + "norm2")
            h = F.linear(F.gelu(F.linear(h, w[p + "mlp.fc1.weight"], w[p + "mlp.fc1.bias"])),
                         w[p + "mlp.fc2.weight"], w[p + "mlp.fc2.bias"])
            x = x + w[p + "ls2"] * h
        return x

    def encode_images(self, pixels):
        w = self.w
        x = self.vision(pixels)[:, 1:, :]
        n, tokens, c = x.shape
        side = int(round(math.sqrt(tokens)))
        s = self.config["downsample_ratio"]
        x = x.reshape(n, side, side, c)
        x = x.view(n, side, int(side * s), int(c / s)).permute(0, 2, 1, 3).contiguous()
        x = x.view(n, int(side * s), int(side * s), int(c / (s * s))).permute(0, 2, 1, 3).contiguous()
        x = x.reshape(n, -1, x.shape[-1])
        x = F.layer_norm(x, (x.shape[-1],), w["mlp1.0.weight"], w["mlp1.0.bias"], 1e-5)
        x = F.gelu(F.linear(x, w["mlp1.1.weight"], w["mlp1.1.bias"]))
        return F.linear(x, w["mlp1.3.weight"], w["mlp1.3.bias"])

    # --- language -----------------------------------------------------------------------------
    def rope(self, t, dtype):
        l = self.l
        d = l["head_dim"]
        inv = 1.0 / (l["rope_theta"] ** (torch.arange(0, d, 2, dtype=torch.float64) / d))
        pos = torch.arange(t, dtype=torch.float64)
        emb = torch.cat([torch.outer(pos, inv)] * 2, -1)
        return emb.cos().to(dtype), emb.sin().to(dtype)

    @staticmethod
    def rotate(x, cos, sin):
        half = x.shape[-1] // 2
        return x * cos + torch.cat([-x[..., half:], x[..., :half]], -1) * sin

    def forward(self, ids, image_features, image_context_id, last_only=False, hidden_only=False):
        l, w = self.l, self.w
        x = F.embedding(ids, w["language_model.model.embed_tokens.weight"])
        if image_features is not None:
            mask = (ids == image_context_id).unsqueeze(-1)
            x = x.masked_scatter(mask, image_features.reshape(-1).to(x.dtype))
        b, t, _ = x.shape
        cos, sin = self.rope(t, x.dtype)
        H, KV, D = l["heads"], l["kv_heads"], l["head_dim"]
        causal = torch.ones(t, t, dtype=torch.bool).triu(1)
        for i in range(l["layers"]):
            p = f"language_model.model.layers.{i}."
            h = rms_norm(x, w[p + "input_layernorm.weight"], l["rms_eps"])
            q = F.linear(h, w[p + "self_attn.q_proj.weight"], w.get(p + "self_attn.q_proj.bias"))
            k = F.linear(h, w[p + "self_attn.k_proj.weight"], w.get(p + "self_attn.k_proj.bias"))
            v = F.linear(h, w[p + "self_attn.v_proj.weight"], w.get(p + "self_attn.v_proj.bias"))
            q = self.rotate(q.view(b, t, H, D).transpose(1, 2), cos, sin)
            k = self.rotate(k.view(b, t, KV, D).transpose(1, 2), cos, sin)
            v = v.view(b, t, KV, D).transpose(1, 2)
            k = k.repeat_interleave(H // KV, 1)
            v = v.repeat_interleave(H // KV, 1)
            s = (q @ k.transpose(-2, -1)) / math.sqrt(D)
            s = s.masked_fill(causal, float("-inf"))
            o = torch.softmax(s.float(), -1).to(q.dtype) @ v
            x = x + F.linear(o.transpose(1, 2).reshape(b, t, H * D), w[p + "self_attn.o_proj.weight"])
            h = rms_norm(x, w[p + "post_attention_layernorm.weight"], l["rms_eps"])
            g = F.silu(F.linear(h, w[p + "mlp.gate_proj.weight"])) * F.linear(h, w[p + "mlp.up_proj.weight"])
            x = x + F.linear(g, w[p + "mlp.down_proj.weight"])
        if last_only:  # scoring reads the answer position only
            x = x[:, -1, :]
        x = rms_norm(x, w["language_model.model.norm.weight"], l["rms_eps"])
        if hidden_only:  # training gathers its target positions before the head
            return x
        return self.head(x)

    def head(self, hidden):
        w = self.w
        return F.linear(hidden, w.get("language_model.lm_head.weight", w["language_model.model.embed_tokens.weight"]))

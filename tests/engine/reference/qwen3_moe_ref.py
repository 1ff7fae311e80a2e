#!/usr/bin/env python3
"""Independent float64 reference for the engine's architectures, written from the math of Hugging Face's
modeling code (modeling_qwen3_moe.py, modeling_qwen2_moe.py, modeling_mixtral.py, modeling_olmoe.py, and the
dense qwen3/llama), not from the engine. numpy only; it reads config.json and the safetensors files itself.

  qwen3_moe_ref.py logits     --model DIR --ids 1,2,3 --out FILE   float64 logits [T, vocab], raw little-endian
  qwen3_moe_ref.py greedy     --model DIR --ids 1,2,3 -n N         generated ids, space-separated
  qwen3_moe_ref.py perplexity --model DIR --ids-file F --ctx N     llama-perplexity's method: "perplexity: X"
"""
import argparse
import json
import math
import os
import struct
import sys

import numpy as np


# ---- safetensors ----------------------------------------------------------------------------------

def e4m3_table():
    t = np.zeros(256, dtype=np.float64)
    for c in range(256):
        s, e, m = c >> 7, (c >> 3) & 15, c & 7
        if e == 15 and m == 7:
            v = math.nan
        elif e == 0:
            v = (m / 8.0) * 2.0 ** -6
        else:
            v = (1 + m / 8.0) * 2.0 ** (e - 7)
        t[c] = -v if s else v
    return t


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    base = 8 + n
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        b, e = info["data_offsets"]
        raw = data[base + b: base + e]
        shape = info["shape"]
        dt = info["dtype"]
        if dt == "F32":
            a = np.frombuffer(raw, dtype="<f4").astype(np.float64)
        elif dt == "F16":
            a = np.frombuffer(raw, dtype="<f2").astype(np.float64)
        elif dt == "BF16":
            a = (np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16).view(np.float32).astype(np.float64)
        elif dt == "F8_E4M3":
            a = e4m3_table()[np.frombuffer(raw, dtype=np.uint8)]
        else:
            raise SystemExit(f"{path}: {name}: dtype {dt} not handled by the reference")
        out[name] = a.reshape(shape)
    return out


def load_weights(model_dir, config):
    index = os.path.join(model_dir, "model.safetensors.index.json")
    files = sorted(set(json.load(open(index))["weight_map"].values())) if os.path.exists(index) else ["model.safetensors"]
    w = {}
    for f in files:
        w.update(read_safetensors(os.path.join(model_dir, f)))
    q = config.get("quantization_config")
    if q:
        br, bc = q["weight_block_size"]
        for name in [k for k in w if k.endswith("_scale_inv")]:
            target = name[: -len("_scale_inv")]
            s = w.pop(name)
            rows, cols = w[target].shape
            w[target] = w[target] * np.repeat(np.repeat(s, br, axis=0)[:rows], bc, axis=1)[:, :cols]
    return w


# ---- the model ------------------------------------------------------------------------------------

class Model:
    def __init__(self, model_dir):
        self.c = json.load(open(os.path.join(model_dir, "config.json")))
        self.w = load_weights(model_dir, self.c)
        c = self.c
        self.type = c["model_type"]
        self.H = c["hidden_size"]
        self.nh = c["num_attention_heads"]
        self.nkv = c.get("num_key_value_heads") or self.nh
        self.d = c.get("head_dim") or self.H // self.nh
        self.eps = c.get("rms_norm_eps", 1e-6)
        self.theta = c.get("rope_theta", 10000.0)
        self.lm_head = self.w.get("lm_head.weight", self.w["model.embed_tokens.weight"])

    def moe_layer(self, i):
        c = self.c
        if self.type in ("qwen3", "llama"):
            return False
        if self.type in ("mixtral", "olmoe"):
            return True
        return i not in c.get("mlp_only_layers", []) and (i + 1) % c.get("decoder_sparse_step", 1) == 0

    def rms(self, x, w):
        return x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + self.eps) * w

    def rope(self, x, pos):  # x: [T, heads, d]
        d = self.d
        inv = 1.0 / (self.theta ** (np.arange(0, d, 2, dtype=np.float64) / d))
        f = np.outer(pos.astype(np.float64), inv)
        emb = np.concatenate([f, f], axis=-1)
        cos, sin = np.cos(emb)[:, None, :], np.sin(emb)[:, None, :]
        rot = np.concatenate([-x[..., d // 2:], x[..., : d // 2]], axis=-1)
        return x * cos + rot * sin

    @staticmethod
    def swiglu(x, g, u, dn):
        a = x @ g.T
        return ((a / (1 + np.exp(-a))) * (x @ u.T)) @ dn.T

    def attention(self, p, x):
        T = x.shape[0]
        w = self.w
        q = x @ w[p + "q_proj.weight"].T
        k = x @ w[p + "k_proj.weight"].T
        v = x @ w[p + "v_proj.weight"].T
        if p + "q_proj.bias" in w:
            q, k, v = q + w[p + "q_proj.bias"], k + w[p + "k_proj.bias"], v + w[p + "v_proj.bias"]
        if self.type == "olmoe":  # q/k norm over the whole projection
            q, k = self.rms(q, w[p + "q_norm.weight"]), self.rms(k, w[p + "k_norm.weight"])
        q = q.reshape(T, self.nh, self.d)
        k = k.reshape(T, self.nkv, self.d)
        v = v.reshape(T, self.nkv, self.d)
        if self.type in ("qwen3_moe", "qwen3"):  # per-head q/k norm
            q, k = self.rms(q, w[p + "q_norm.weight"]), self.rms(k, w[p + "k_norm.weight"])
        pos = np.arange(T)
        q, k = self.rope(q, pos), self.rope(k, pos)
        rep = self.nh // self.nkv
        k, v = np.repeat(k, rep, axis=1), np.repeat(v, rep, axis=1)  # HF repeat_kv: head h uses kv head h // rep
        s = np.einsum("thd,shd->hts", q, k) / math.sqrt(self.d)
        s = s + np.triu(np.full((T, T), -np.inf), 1)[None]
        s = np.exp(s - s.max(-1, keepdims=True))
        s /= s.sum(-1, keepdims=True)
        o = np.einsum("hts,shd->thd", s, v).reshape(T, self.nh * self.d)
        return o @ w[p + "o_proj.weight"].T

    def moe(self, p, x):
        c, w = self.c, self.w
        mix = self.type == "mixtral"
        m = p + ("block_sparse_moe." if mix else "mlp.")
        E = c["num_local_experts"] if mix else c["num_experts"]
        k = c["num_experts_per_tok"]
        logits = x @ w[m + "gate.weight"].T
        probs = np.exp(logits - logits.max(-1, keepdims=True))
        probs /= probs.sum(-1, keepdims=True)
        out = np.zeros_like(x)
        for t in range(x.shape[0]):
            top = np.argsort(-probs[t], kind="stable")[:k]
            wt = probs[t, top]
            if mix or c.get("norm_topk_prob", False):
                wt = wt / wt.sum()
            for e, we in zip(top, wt):
                x_ = m + f"experts.{e}."
                if mix:
                    y = self.swiglu(x[t:t + 1], w[x_ + "w1.weight"], w[x_ + "w3.weight"], w[x_ + "w2.weight"])
                else:
                    y = self.swiglu(x[t:t + 1], w[x_ + "gate_proj.weight"], w[x_ + "up_proj.weight"], w[x_ + "down_proj.weight"])
                out[t] += we * y[0]
            assert E > 0
        if self.type == "qwen2_moe" and m + "shared_expert.gate_proj.weight" in w:
            s = m + "shared_expert."
            gate = 1 / (1 + np.exp(-(x @ w[m + "shared_expert_gate.weight"].T)))
            out += gate * self.swiglu(x, w[s + "gate_proj.weight"], w[s + "up_proj.weight"], w[s + "down_proj.weight"])
        return out

    def logits(self, ids):
        w = self.w
        x = w["model.embed_tokens.weight"][np.asarray(ids)]
        for i in range(self.c["num_hidden_layers"]):
            p = f"model.layers.{i}."
            x = x + self.attention(p + "self_attn.", self.rms(x, w[p + "input_layernorm.weight"]))
            h = self.rms(x, w[p + "post_attention_layernorm.weight"])
            if self.moe_layer(i):
                x = x + self.moe(p, h)
            else:
                x = x + self.swiglu(h, w[p + "mlp.gate_proj.weight"], w[p + "mlp.up_proj.weight"], w[p + "mlp.down_proj.weight"])
        return self.rms(x, w["model.norm.weight"]) @ self.lm_head.T


def log_softmax(z):
    z = z - z.max(-1, keepdims=True)
    return z - np.log(np.exp(z).sum(-1, keepdims=True))


def parse_ids(text):
    return [int(t) for t in text.replace(",", " ").split()]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["logits", "greedy", "perplexity"])
    ap.add_argument("--model", required=True)
    ap.add_argument("--ids")
    ap.add_argument("--ids-file")
    ap.add_argument("--out")
    ap.add_argument("-n", type=int, default=8)
    ap.add_argument("--ctx", type=int, default=64)
    a = ap.parse_args()
    m = Model(a.model)
    ids = parse_ids(a.ids if a.ids else open(a.ids_file).read())
    if a.mode == "logits":
        np.ascontiguousarray(m.logits(ids), dtype="<f8").tofile(a.out)
    elif a.mode == "greedy":
        seq = list(ids)
        for _ in range(a.n):
            seq.append(int(np.argmax(m.logits(seq)[-1])))
        print(" ".join(str(t) for t in seq[len(ids):]))
    else:
        ctx, first = a.ctx, a.ctx // 2
        if len(ids) < 2 * ctx:
            sys.exit(f"need at least {2 * ctx} tokens")
        nll, count = 0.0, 0
        for c in range(len(ids) // ctx):
            chunk = ids[c * ctx:(c + 1) * ctx]
            lp = log_softmax(m.logits(chunk))
            for j in range(first, ctx - 1):
                nll -= lp[j, chunk[j + 1]]
                count += 1
        print(f"perplexity: {math.exp(nll / count):.10f}")


if __name__ == "__main__":
    main()

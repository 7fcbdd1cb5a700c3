"""Real texts (80 wcxb pages, train split, tests/fixtures/dedup) with planted copies, and brute-force truth."""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

from sito.dedup.hashing import jaccard, reference_shingles
from sito.document import Document

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "dedup"


def load_texts() -> list[dict]:
    with gzip.open(FIXTURES / "wcxb_texts.jsonl.gz", "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def edit_words(text: str, rate: float, rng: random.Random) -> str:
    """Replace, delete or insert words at `rate` of the positions (line structure kept)."""
    out_lines = []
    for line in text.split("\n"):
        out = []
        for w in line.split(" "):
            r = rng.random()
            if r < rate / 3:
                out.append(f"zq{rng.randrange(10**6)}")
            elif r < 2 * rate / 3:
                continue
            elif r < rate:
                out.extend([w, f"xq{rng.randrange(10**6)}"])
            else:
                out.append(w)
        out_lines.append(" ".join(out))
    return "\n".join(out_lines)


def planted_corpus(seed: int = 7) -> list[Document]:
    """Originals, 1-3 near copies of every original (0.5-10 % word edits), exact copies of every fifth."""
    rng = random.Random(seed)
    docs: list[Document] = []
    for i, rec in enumerate(load_texts()):
        docs.append(Document(id=rec["id"], text=rec["text"], url=rec["url"]))
        for c in range(rng.randint(1, 3)):
            docs.append(Document(id=f"{rec['id']}~near{c}", text=edit_words(rec["text"], rng.uniform(0.005, 0.10), rng),
                                 url=rec["url"]))
        if i % 5 == 0:
            docs.append(Document(id=f"{rec['id']}~copy", text=rec["text"], url=rec["url"]))
    rng.shuffle(docs)
    return docs


def similar_pairs(docs: list[Document], lo: float = 0.7) -> list[tuple[str, str, float]]:
    sh = {d.id: reference_shingles(d.text) for d in docs}
    ids = [d.id for d in docs]
    # only documents of the same original can be similar; compare all pairs anyway (brute force truth)
    out = []
    for a in range(len(ids)):
        for b in range(a + 1, len(ids)):
            j = jaccard(sh[ids[a]], sh[ids[b]])
            if j >= lo:
                out.append((ids[a], ids[b], j))
    return out


def shard(docs: list, n: int) -> list[list]:
    """Contiguous shards, so global order is the same for any n."""
    size = -(-len(docs) // n)
    return [docs[i * size:(i + 1) * size] for i in range(n)]

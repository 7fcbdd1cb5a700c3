"""Near-dedup end to end on real texts with planted copies, against brute-force Jaccard; determinism; bad input."""

from __future__ import annotations

import json

import pytest

from planted import load_texts, planted_corpus, shard, similar_pairs
from sito.dedup import MinHashParams, NearDuplicateStep, rehydrate, run_dedup, run_minhash
from sito.dedup import minhash
from sito.dedup.hashing import jaccard, reference_shingles
from sito.document import Document
from sito.errors import TaskError
from sito.pipeline import RunStats


@pytest.fixture(scope="module")
def corpus():
    docs = planted_corpus()
    return docs, similar_pairs(docs)


def _copy(docs):
    return [Document(id=d.id, text=d.text, url=d.url, metadata=dict(d.metadata)) for d in docs]


def _roots(out):
    flat = {d.id: d for s in out for d in s}
    rep = {i: d.metadata["minhash_duplicate_of"]["id"] for i, d in flat.items() if d.rejection}

    def root(i):
        return rep.get(i, flat[i].metadata.get("minhash_cluster_id", i))

    return flat, rep, {i: root(i) for i in flat}


@pytest.mark.parametrize("verify", ["jaccard", "signature"])
def test_recall_and_precision_against_brute_force(tmp_path, corpus, verify):
    docs, pairs = corpus
    out = run_minhash(shard(_copy(docs), 3), tmp_path, MinHashParams(verify=verify))
    flat, rep, root = _roots(out)
    hi = [root[a] == root[b] for a, b, j in pairs if j >= 0.8]
    mid = [root[a] == root[b] for a, b, j in pairs if 0.7 <= j < 0.8]
    assert len(hi) > 50 and len(mid) >= 10  # the planted corpus has pairs in both ranges
    assert sum(hi) / len(hi) >= 0.95
    assert sum(mid) / len(mid) >= 0.8
    sh = {d.id: reference_shingles(d.text) for d in docs}
    good = [jaccard(sh[i], sh[r]) >= 0.7 for i, r in rep.items()]
    assert len(good) > 40
    assert sum(good) / len(good) >= 0.95
    for i, d in flat.items():
        if d.rejection:
            assert d.rejection.code == "near_duplicate"
            assert d.rejection.detail == f"near-duplicate of {rep[i]}"
            assert 0.5 <= d.rejection.value <= 1.0 and d.rejection.threshold == 0.7


def test_cluster_ids_and_sizes(tmp_path, corpus):
    docs, _ = corpus
    out = run_minhash(shard(_copy(docs), 2), tmp_path)
    flat, rep, root = _roots(out)
    members: dict[str, int] = {}
    for i in flat:
        members[root[i]] = members.get(root[i], 0) + 1
    for i, d in flat.items():
        if d.rejection is None:
            assert d.metadata["minhash_cluster_size"] >= members[d.metadata["minhash_cluster_id"]]
            if d.metadata["minhash_cluster_size"] == 1:
                assert d.metadata["minhash_cluster_id"] == i
    # an original with an exact copy: both in one cluster, the earlier one kept
    texts = load_texts()
    orig = texts[0]["id"]
    assert root[orig] == root[orig + "~copy"]
    assert flat[root[orig]].rejection is None


def test_same_output_for_any_number_of_tasks(tmp_path, corpus):
    docs, _ = corpus
    results = []
    for n in (1, 3, 7):
        out = run_minhash(shard(_copy(docs), n), tmp_path / f"n{n}", MinHashParams(partitions=n + 1))
        results.append(sorted((d.id, d.rejection.detail if d.rejection else None, d.metadata.get("minhash_cluster_id"),
                               d.metadata.get("minhash_cluster_size")) for s in out for d in s))
    assert results[0] == results[1] == results[2]


@pytest.mark.parametrize("keep", ["longest", "quality"])
def test_keep_policies(tmp_path, keep):
    text = load_texts()[3]["text"]
    short = Document(id="short", text=text, metadata={"quality_score": 0.9})
    long_ = Document(id="long", text=text + "\nJeszcze jedna linia na koniec.", metadata={"quality_score": 0.1})
    out = run_minhash([[short], [long_]], tmp_path, MinHashParams(keep=keep))
    kept = [d.id for s in out for d in s if d.rejection is None]
    assert kept == (["long"] if keep == "longest" else ["short"])


def test_rehydration(tmp_path):
    t = load_texts()
    docs = [Document(id="a", text=t[1]["text"]), Document(id="b", text=t[1]["text"]),
            Document(id="c", text=t[1]["text"]), Document(id="d", text=t[2]["text"])]
    out = run_minhash([docs], tmp_path)
    [flat] = out
    assert flat[0].metadata["minhash_cluster_size"] == 3 and flat[3].metadata["minhash_cluster_size"] == 1
    again = list(rehydrate(flat, cap=2))
    assert [d.id for d in again] == ["a", "a#r1", "b", "c", "d"]
    step = NearDuplicateStep(str(tmp_path), task=0, rehydrate_cap=10)
    docs2 = [Document(id=d.id, text=d.text) for d in docs]
    res = list(step.run(docs2, RunStats()))
    assert res[0].metadata["minhash_rehydrate_weight"] == 3


def test_bad_input_is_accounted_for(tmp_path):
    t = load_texts()
    big = " ".join([t[i]["text"] for i in range(40)] * 70)  # 50 MB of real text, hashed in 1 MB pieces
    while len(big) < 50_000_000:
        big += " " + big[: 50_000_000 - len(big)]
    large = " ".join(t[i]["text"] for i in range(40, 80)) * 3  # 2 MB: also cut into pieces
    shard_a = [
        Document(id="empty", text=""),
        Document(id="punct", text=" ... !!! "),
        Document(id="short1", text="Tylko trzy słowa"),
        Document(id="short2", text="tylko TRZY słowa!"),
        Document(id="dup-id", text=t[5]["text"]),
        Document(id="big", text=big),
        Document(id="pre-rejected", text=t[6]["text"]),
    ]
    shard_a[-1].reject("too_short", step="earlier")
    shard_b = [Document(id="dup-id", text=t[5]["text"]), Document(id="dup-id", text=t[7]["text"]),
               Document(id="large", text=large), Document(id="large-copy", text=large)]
    out, stats = run_dedup([shard_a, shard_b], tmp_path, kinds=("minhash",))
    flat = [d for s in out for d in s]
    assert stats.read == 11 == stats.kept + stats.rejected == len(flat)
    by = {(d.source, d.id, i): d for i, d in enumerate(flat)}
    a, b = out
    assert a[0].rejection.code == "no_words" and a[1].rejection.code == "no_words"
    assert a[2].rejection is None and a[3].rejection.code == "near_duplicate"  # short: one shingle of all words
    assert a[3].rejection.detail == "near-duplicate of short1"
    assert a[4].rejection is None and b[0].rejection.code == "near_duplicate"
    assert b[0].rejection.detail == "near-duplicate of dup-id (another document with the same id: task 0, position 4)"
    assert b[0].metadata["minhash_duplicate_of"] == {"id": "dup-id", "task": 0, "position": 4}
    assert b[1].rejection is None  # same id, different text: not a duplicate
    assert a[5].rejection is None and a[5].metadata["minhash_cluster_size"] == 1
    assert b[2].rejection is None and b[2].metadata["minhash_cluster_size"] == 2
    assert b[3].rejection.code == "near_duplicate" and b[3].rejection.detail == "near-duplicate of large"
    assert a[6].rejection.code == "too_short"  # rejected earlier: passed through untouched
    assert stats.reasons["no_words"] == 2
    assert len(by) == 11


def test_final_step_checks_the_stream(tmp_path):
    t = load_texts()
    docs = [Document(id="a", text=t[0]["text"]), Document(id="b", text=t[1]["text"])]
    run_minhash([docs], tmp_path)
    with pytest.raises(TaskError, match="another document"):
        list(NearDuplicateStep(str(tmp_path), task=0).run([Document(id="b", text="x")], RunStats()))
    with pytest.raises(TaskError, match="has 1 documents"):
        list(NearDuplicateStep(str(tmp_path), task=0).run([Document(id="a", text="x")], RunStats()))
    with pytest.raises(TaskError, match="task index"):
        list(NearDuplicateStep(str(tmp_path)).run(docs, RunStats()))


def test_stage_order_and_parameters_are_checked(tmp_path):
    t = load_texts()
    p = MinHashParams(partitions=2)
    minhash.hash_task(tmp_path, 0, [Document(id="a", text=t[0]["text"])], p)
    with pytest.raises(TaskError, match="other parameters"):
        minhash.hash_task(tmp_path, 1, [Document(id="b", text=t[1]["text"])], MinHashParams(partitions=3))
    with pytest.raises(TaskError, match="missing stage output"):
        minhash.cluster(tmp_path, p)
    params = json.loads((tmp_path / "params.json").read_text())
    assert params["bands"] == 22 and params["rows"] == 5 and params["num_perm"] == 112


def test_bad_parameters_raise():
    with pytest.raises(ValueError, match="keep policy"):
        MinHashParams(keep="random")
    with pytest.raises(ValueError, match="exceeds"):
        MinHashParams(bands=20, rows=8)
    with pytest.raises(ValueError, match="verify"):
        MinHashParams(verify="maybe")


def test_a_chain_of_versions_keeps_no_two_near_duplicates(tmp_path):
    """An article saved seven times, each version rewriting one paragraph and adding one (consecutive versions at
    Jaccard 0.77-0.83): only the second was removed, the six kept versions were near-duplicates of each other
    and all carried the whole component's size; with repeated-line removal after it they then lost their shared
    paragraphs. Far members of a component are now clustered again among themselves."""
    import itertools
    import random

    rng = random.Random(4)
    vocab = [f"w{i}" for i in range(4000)]

    def para():
        return " ".join(rng.choice(vocab) for _ in range(40))

    paras = [para() for _ in range(12)]
    texts = []
    for k in range(7):
        if k:
            paras[rng.randrange(len(paras))] = para()
            paras.append(para())
        texts.append("\n".join(paras))
    docs = [Document(id=f"v{i}", text=t, url="https://news.example.com/story") for i, t in enumerate(texts)]
    out = run_minhash([docs], tmp_path, MinHashParams())
    kept = [d for d in out[0] if d.rejection is None]
    assert 1 < len(kept) < 7
    sets = {d.id: reference_shingles(d.text) for d in kept}
    assert not [(a, b) for a, b in itertools.combinations(sets, 2) if jaccard(sets[a], sets[b]) >= 0.7]
    sizes = {d.id: d.metadata["minhash_cluster_size"] for d in kept}
    assert sum(sizes.values()) == 7   # (each document counted in one cluster)
    for d in out[0]:
        if d.rejection is not None:   # (the value is the similarity that decided: at least the threshold)
            assert d.rejection.value >= 0.7


def test_the_same_text_in_composed_and_decomposed_form_is_one(tmp_path):
    """A text written with combining marks (NFD: macOS, some editors) shared no word with its composed copy:
    neither exact nor near-dedup saw the copy."""
    import unicodedata

    from pathlib import Path

    from sito.dedup import run_dedup

    text = (Path(__file__).resolve().parents[2] / "examples" / "pl_news_scraped.clean.txt").read_text("utf-8")
    docs = [Document(id="nfc", text=unicodedata.normalize("NFC", text)),
            Document(id="nfd", text=unicodedata.normalize("NFD", text))]
    out, _ = run_dedup([docs], tmp_path, kinds=("exact", "minhash"))
    assert [d.rejection is None for d in out[0]] == [True, False]


def test_exact_copies_count_in_the_cluster_size(tmp_path):
    """With exact dedup first, a document's exact copies were gone before MinHash: its cluster size (and the
    re-hydration weight) said 1 for a text that had three copies."""
    from pathlib import Path

    from sito.dedup import run_dedup

    text = (Path(__file__).resolve().parents[2] / "examples" / "pl_news_scraped.clean.txt").read_text("utf-8")
    docs = [Document(id=f"c{i}", text=text) for i in range(3)] + [Document(id="other", text=text[::-1])]
    out, _ = run_dedup([docs], tmp_path, kinds=("exact", "minhash"))
    kept = {d.id: d for d in out[0] if d.rejection is None}
    assert set(kept) == {"c0", "other"} and kept["c0"].metadata["minhash_cluster_size"] == 3
    assert kept["other"].metadata["minhash_cluster_size"] == 1


def _windows_sharing_the_first_minimum(words, hasher, sizes):
    """Windows of `words`, one per size, around the shingle that holds permutation 0's minimum of the whole text:
    each window's shingles are a subset of the text's and include that one, so each has the text's first signature
    entry. Returns the window of that shingle's start and the windows."""
    full = hasher.signatures([" ".join(words)])[0][0, 0]
    n = hasher.ngram
    firsts = hasher.signatures([" ".join(words[i:i + n]) for i in range(len(words) - n + 1)])[0][:, 0]
    p = int((firsts == full).argmax())
    assert firsts[p] == full
    wins = []
    for k in sizes:
        s = min(max(0, p - (k - n) // 2), len(words) - k)
        wins.append(words[s:s + k])
    sig, _ = hasher.signatures([" ".join(w) for w in wins])
    assert (sig[:, 0] == full).all()
    return p, wins


@pytest.mark.parametrize("verify", ["jaccard", "signature"])
def test_a_false_positive_first_in_a_bucket_does_not_hide_the_pairs_behind_it(tmp_path, verify):
    # One band of one row: the bucket is the first signature entry. A (a fifth of B) shares it with B and C but is
    # far from both; B and C (B without its last or first 15 % of words) are near-duplicates. A comes first.
    words = " ".join(load_texts()[3]["text"].split()).split(" ")
    params = MinHashParams(bands=1, rows=1, verify=verify, partitions=1)
    p, [a] = _windows_sharing_the_first_minimum(words, params.hasher, [len(words) // 5])
    cut = int(len(words) * 0.15)
    c = words[:-cut] if p + params.ngram <= len(words) - cut else words[cut:]
    texts = {"A": " ".join(a), "B": " ".join(words), "C": " ".join(c)}
    sig, _ = params.hasher.signatures(list(texts.values()))
    assert len(set(sig[:, 0].tolist())) == 1  # one bucket
    sh = {k: reference_shingles(t) for k, t in texts.items()}
    assert jaccard(sh["A"], sh["B"]) < 0.3 and jaccard(sh["A"], sh["C"]) < 0.3 and jaccard(sh["B"], sh["C"]) > 0.8
    out = run_minhash([[Document(id=k, text=t) for k, t in texts.items()]], tmp_path, params)
    got = {d.id: d.rejection.detail if d.rejection else None for d in out[0]}
    assert got == {"A": None, "B": None, "C": "near-duplicate of B"}


def test_without_verification_a_bucket_is_one_cluster(tmp_path):
    words = " ".join(load_texts()[3]["text"].split()).split(" ")
    params = MinHashParams(bands=1, rows=1, verify="none", partitions=1, check_representative=False)
    _, [a] = _windows_sharing_the_first_minimum(words, params.hasher, [len(words) // 5])
    out = run_minhash([[Document(id="A", text=" ".join(a)), Document(id="B", text=" ".join(words))]], tmp_path, params)
    assert [d.rejection.detail if d.rejection else None for d in out[0]] == [None, "near-duplicate of A"]


def test_a_bucket_compares_each_document_with_at_most_max_leaders(tmp_path):
    # 11 nested windows around one shingle, each under 0.7 Jaccard with every other: all in one bucket, none linked
    words = " ".join(" ".join(t["text"].split()) for t in load_texts()[:4]).split(" ")
    sizes = [5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610]
    params = MinHashParams(bands=1, rows=1, partitions=1, check_representative=False)
    _, wins = _windows_sharing_the_first_minimum(words, params.hasher, sizes)
    docs = [Document(id=f"w{k}", text=" ".join(w)) for k, w in zip(sizes, wins)]
    sh = [reference_shingles(d.text) for d in docs]
    assert max(jaccard(sh[i], sh[j]) for i in range(len(sh)) for j in range(i)) < 0.7
    minhash.hash_task(tmp_path, 0, docs, params)
    counters = minhash.group_partition(tmp_path, 0, params)
    n, cap = len(docs), minhash.MAX_LEADERS
    assert cap < n - 1
    assert counters["candidates"] == sum(n - k for k in range(1, cap + 1)) and counters["edges"] == 0

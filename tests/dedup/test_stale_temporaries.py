"""A worker killed in the middle of writing a stage file leaves a `.tmp-*` file; the next stage must ignore it
(pathlib's `*` matches names starting with a dot), so that a resumed run completes."""

from __future__ import annotations

from sito.document import Document
from sito.dedup import lines, minhash
from sito.dedup.minhash import MinHashParams

TEXTS = [
    "Prezydent Białorusi jest otwartym sojusznikiem Władimira Putina i wspiera inwazję na Ukrainę od początku wojny.",
    "Z Białorusi stale wyjeżdżają kolumny rosyjskiego sprzętu i żołnierzy, którzy mają walczyć z Ukraińcami.",
    "Wielu obywateli Białorusi jednak wcale nie utożsamia się z reżimem swojego przywódcy w tej sprawie.",
]


def _docs(task: int) -> list[Document]:
    return [Document(f"t{task}-{i}", t + "\nWybrane dla Ciebie", url=f"https://a.pl/{task}/{i}") for i, t in enumerate(TEXTS)]


def test_leftover_temporaries_do_not_break_the_next_stage(tmp_path):
    params = MinHashParams(partitions=2)
    for t in range(2):
        lines.count_task(tmp_path / "lines", t, _docs(t), "site")
        minhash.hash_task(tmp_path / "mh", t, _docs(t), params)
    # what a kill -9 during a write leaves behind: half-written files under temporary names
    for folder in (tmp_path / "lines" / "counts", tmp_path / "mh" / "buckets" / "001", tmp_path / "mh" / "tasks"):
        assert folder.is_dir(), folder
        (folder / ".tmp-4242-00007.npz").write_bytes(b"PK\x03\x04 partial")
        (folder / ".tmp-4242-00007.docs.npz").write_bytes(b"PK\x03\x04 partial")
    (tmp_path / "lines" / "counts" / ".tmp-4242-00009.npy").write_bytes(b"\x93NUMPY partial")
    assert lines.merge(tmp_path / "lines")["keys_in"] > 0
    for p in range(params.partitions):
        minhash.group_partition(tmp_path / "mh", p, params)
    minhash.cluster(tmp_path / "mh", params)

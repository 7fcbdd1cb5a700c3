"""Property tests of the JSON-lines reader: any bytes, in any compression, never raise, and every non-blank line
becomes exactly one document or one rejection, whatever the slicing."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sito.io import InputSlice, ReadOptions, plan_slices, read_slice
from sito.io.compression import sniff_compression

from io_helpers import compress

SETTINGS = settings(max_examples=100, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=8,
)
good_line = st.fixed_dictionaries({"text": st.text(max_size=40)}, optional={"id": json_values, "url": json_values,
                                                                           "x": json_values}).map(
    lambda d: json.dumps(d, ensure_ascii=False).encode("utf-8"))
any_line = st.one_of(good_line, st.binary(max_size=60).map(lambda b: b.replace(b"\n", b"")),
                     json_values.map(lambda v: json.dumps(v).encode()))


def _expected(data: bytes) -> int:
    if sniff_compression(data[:6]):
        return 1  # starts with a compression magic number: read as compressed data, one read:corrupt/truncated
    lines = data.split(b"\n")
    n = sum(1 for i, ln in enumerate(lines) if (ln[3:] if i == 0 and ln.startswith(b"\xef\xbb\xbf") else ln).strip())
    return max(n, 1)  # an empty file is one read:empty_file rejection


def _read(path: Path, opts: ReadOptions, target: int | None = None):
    if target is None:
        return list(read_slice(InputSlice(path, "jsonl", 0, path.stat().st_size, "file"), opts))
    return [d for s in plan_slices(path, "jsonl", target_bytes=target) for d in read_slice(s, opts)]


@SETTINGS
@given(data=st.binary(max_size=400), limit=st.integers(min_value=1, max_value=64))
def test_any_bytes_every_line_accounted_for(data, limit):
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "x.jsonl"
        p.write_bytes(data)
        docs = _read(p, ReadOptions(max_record_bytes=limit))
    assert len(docs) == _expected(data)
    assert all(d.source.startswith(p.as_posix()) for d in docs)
    assert all(d.rejection is None or d.rejection.code.startswith("read:") for d in docs)


@SETTINGS
@given(lines=st.lists(any_line, max_size=12), target=st.integers(min_value=1, max_value=300),
       crlf=st.booleans())
def test_slicing_never_changes_what_is_read(lines, target, crlf):
    data = (b"\r\n" if crlf else b"\n").join(lines) + (b"\n" if lines else b"")
    assume(sniff_compression(data[:6]) is None)  # a plain file: compressed ones are one slice
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "x.jsonl"
        p.write_bytes(data)
        opts = ReadOptions(max_record_bytes=50)
        whole = _read(p, opts)
        sliced = _read(p, opts, target)
    key = lambda ds: [(x.id, x.source, x.text, x.url, x.metadata, x.rejection.code if x.rejection else None) for x in ds]
    assert len(whole) == _expected(data)
    # an empty file is one empty_file rejection when whole; sliced, it is one slice too (size <= target)
    assert key(sliced) == key(whole)


@settings(max_examples=40, derandomize=True, deadline=None)
@given(lines=st.lists(any_line, min_size=1, max_size=30), kind=st.sampled_from(["gz", "zst", "bz2", "xz"]),
       cut=st.floats(min_value=0.0, max_value=1.0))
def test_compressed_and_cut_anywhere(lines, kind, cut):
    data = b"\n".join(lines) + b"\n"
    packed = compress(data, kind)
    packed = packed[: int(len(packed) * cut)] if cut < 1.0 else packed
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / f"x.jsonl.{kind}"
        p.write_bytes(packed)
        docs = _read(p, ReadOptions())
    failures = [x for x in docs if x.rejection and x.rejection.code in ("read:truncated", "read:corrupt", "read:empty_file")]
    if cut == 1.0:
        assert len(docs) == _expected(data)
    else:
        # the records before the cut, then exactly one rejection for the rest
        assert len(failures) == 1 and docs[-1] is failures[0]
        assert len(docs) - 1 <= _expected(data)


@settings(max_examples=60, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=300), name=st.sampled_from(["x.txt", "x.html", "x.warc", "x.warc.wet", "x.parquet",
                                                           "x.txt.gz", "x.warc.gz", "x.jsonl.zst"]))
def test_any_bytes_in_any_format_never_raise(data, name):
    from sito.io import detect_format

    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / name
        p.write_bytes(data)
        fmt = detect_format(p)
        docs = [x for s in plan_slices(p, fmt) for x in read_slice(s, ReadOptions())]
    assert docs, "every file yields at least one document or rejection"
    if fmt in ("txt", "html"):
        assert len(docs) == 1
    assert all(x.source.startswith(p.as_posix()) for x in docs)
    assert all(x.rejection is None or (x.rejection.code.startswith("read:") and x.rejection.detail) for x in docs)


_WARC = None


def _warc_sample() -> bytes:
    global _WARC
    if _WARC is None:
        from io_helpers import warc_bytes

        _WARC = warc_bytes()[0]
    return _WARC


@settings(max_examples=40, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(flips=st.lists(st.tuples(st.floats(min_value=0, max_value=0.999), st.integers(min_value=0, max_value=255)),
                      min_size=1, max_size=6),
       cut=st.floats(min_value=0.05, max_value=1.0), kind=st.sampled_from(["none", "gz"]))
def test_damaged_warc_never_raises(flips, cut, kind):
    data = bytearray(compress(_warc_sample(), kind))
    for where, value in flips:
        data[int(where * len(data))] = value
    data = bytes(data[: max(1, int(len(data) * cut))])
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / ("x.warc.gz" if kind == "gz" else "x.warc")
        p.write_bytes(data)
        docs = [x for s in plan_slices(p, "warc", target_bytes=4000) for x in read_slice(s, ReadOptions())]
    assert docs
    assert len(docs) <= 8 + 1  # the 8 records of the sample, at most one extra rejection for a damaged rest
    assert all(x.rejection is None or x.rejection.code.startswith("read:") for x in docs)

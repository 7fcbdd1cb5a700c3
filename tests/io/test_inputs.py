"""expand_inputs and detect_format: files, folders, globs, errors, order."""

from __future__ import annotations

import pytest

from sito.io import InputError, detect_format, expand_inputs


@pytest.mark.parametrize("name,fmt", [
    ("a.txt", "txt"), ("a.text", "txt"), ("a.TXT.GZ", "txt"), ("a.jsonl", "jsonl"), ("a.json", "jsonl"),
    ("a.ndjson.zst", "jsonl"), ("a.jsonl.bz2", "jsonl"), ("a.jsonl.xz", "jsonl"), ("a.parquet", "parquet"),
    ("a.html", "html"), ("a.htm.gz", "html"), ("a.warc", "warc"), ("a.warc.gz", "warc"),
    ("CC-MAIN-2024-00000.warc.wet.gz", "wet"), ("a.wet", "wet"), ("a.wet.gz", "wet"),
])
def test_detect_format(name, fmt):
    assert detect_format(name) == fmt


@pytest.mark.parametrize("name", ["a.pdf", "a.csv.gz", "noext", "a.gz", "a.parquet.gz"])
def test_detect_format_rejects_unknown(name):
    with pytest.raises(InputError) as e:
        detect_format(name)
    assert "\n" not in str(e.value)
    assert isinstance(e.value, ValueError)


def test_expand_folder_recursive_sorted_skipping_hidden_and_unsupported(tmp_path):
    (tmp_path / "b" / "c").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    for rel in ("z.jsonl", "b/a.txt", "b/c/x.warc.gz", "a.html", ".tmp-part-0000-0000.jsonl.gz", ".git/x.txt",
                "README.md", "_SUCCESS"):
        (tmp_path / rel).write_text("x")
    got = expand_inputs([str(tmp_path)])
    assert [p.relative_to(tmp_path).as_posix() for p in got] == ["a.html", "b/a.txt", "b/c/x.warc.gz", "z.jsonl"]


def test_paths_keep_the_form_given_and_duplicates_are_dropped(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("x")
    (tmp_path / "in" / "b.jsonl").write_text("{}")
    got = expand_inputs(["in", "in/a.txt", str(tmp_path / "in" / "b.jsonl")])
    assert [p.as_posix() for p in got] == [str(tmp_path / "in" / "b.jsonl"), "in/a.txt"] or \
        [p.as_posix() for p in got] == ["in/a.txt", "in/b.jsonl"]
    assert len(got) == 2


def test_glob(tmp_path):
    for n in ("a.jsonl", "b.jsonl", "c.txt", ".d.jsonl"):
        (tmp_path / n).write_text("x")
    got = expand_inputs([str(tmp_path / "*.jsonl")])
    assert [p.name for p in got] == ["a.jsonl", "b.jsonl"]
    with pytest.raises(InputError, match="matches no input"):
        expand_inputs([str(tmp_path / "*.pdf")])


def test_errors_are_one_line(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "doc.pdf").write_text("x")
    for args, pat in (([str(tmp_path / "missing.jsonl")], "no such file"), ([str(tmp_path / "empty")], "no input files"),
                      ([str(tmp_path / "doc.pdf")], "unsupported file type"), ([], "no input")):
        with pytest.raises(InputError, match=pat) as e:
            expand_inputs(args)
        assert "\n" not in str(e.value)


def test_linked_folders_are_followed_once_and_broken_links_counted(tmp_path, caplog):
    """A symbolically linked sub-folder was skipped without a word, and so was a broken link."""
    import logging

    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "x.txt").write_text("Text.")
    root = tmp_path / "in"
    root.mkdir()
    (root / "top.txt").write_text("Text.")
    (root / "linked").symlink_to(tmp_path / "real")
    (root / "again").symlink_to(tmp_path / "real")   # (the same real folder: read once)
    (root / "up").symlink_to(root)                    # (a loop)
    (root / "broken.txt").symlink_to(tmp_path / "nowhere")
    with caplog.at_level(logging.WARNING):
        files = expand_inputs([str(root)])
    assert [f.relative_to(root).as_posix() for f in files] == ["again/x.txt", "top.txt"]
    assert "skipped 1 file(s)" in caplog.text

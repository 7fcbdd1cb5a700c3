"""`sito eval` and `sito train` on a few real dev pages (skipped when the dev data is absent)."""

import json

import pytest

from sito.devdata import default_dev_dir

needs_dev = pytest.mark.skipif(default_dev_dir() is None,
                               reason="dev data not found (../shared/data/dev or $SITO_DEV_DATA); CI has it")


@needs_dev
def test_eval_on_a_few_pages(tmp_path, monkeypatch, capsys):
    from sito.evaluate.run import main

    monkeypatch.setenv("SITO_CACHE", str(tmp_path / "cache"))
    out = tmp_path / "ev.json"
    assert main(["--sets", "newspaper4k", "--split", "heldout", "--compare", "trafilatura",
                 "--json", str(out)]) == 0
    res = json.loads(out.read_text())
    row = res["rows"]["newspaper4k"]
    assert row["sito"]["pages"] == res["pages"] > 0
    assert 0.5 < row["sito"]["token_f1"] <= 1.0 and 0.5 < row["trafilatura"]["token_f1"] <= 1.0
    assert res["trafilatura_settings"]["deduplicate"] is False
    assert "newspaper4k" in capsys.readouterr().out


@needs_dev
def test_eval_rejects_unknown_set():
    from sito.evaluate.run import main

    with pytest.raises(SystemExit):
        main(["--sets", "nope"])


@needs_dev
def test_train_is_reproducible(tmp_path, monkeypatch):
    from sito.clean.model import LineModel
    from sito.clean.train import main

    monkeypatch.setenv("SITO_CACHE", str(tmp_path / "cache"))
    args = ["--sets", "newspaper4k", "--epochs", "2", "--hidden", "8", "--no-tune"]
    assert main(args + ["--out", str(tmp_path / "a.npz")]) == 0
    assert main(args + ["--out", str(tmp_path / "b.npz")]) == 0
    a, b = LineModel.load(tmp_path / "a.npz"), LineModel.load(tmp_path / "b.npz")
    assert (a.W1 == b.W1).all() and (a.stage2["W1"] == b.stage2["W1"]).all()
    assert a.meta["train_pages"] > 0

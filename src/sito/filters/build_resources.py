"""Regenerates the data files the filters ship with (a maintainer tool, not used at run time).

    python -m sito.filters.build_resources /path/to/fineweb-2/configs

writes into `sito/resources/fineweb2/`:
- `configs.json.gz`: FineWeb-2's 1,929 per-language filter configs (Apache-2.0, huggingface/fineweb-2), one
  compact JSON object keyed by config name (`pol_Latn`), values unchanged;
- `wordsplit.json.gz`: the word-splitting rules that datatrove's word tokenizers use: for every blank spaCy
  language that datatrove assigns to a FineWeb-2 language, spaCy's prefix / suffix / infix / URL patterns and its
  tokenizer exceptions (MIT, explosion/spaCy), and datatrove's tokenizer assignment table
  (`datatrove/assets/tokenizer_assignment.csv`, Apache-2.0). `sito.filters.words` replays spaCy's tokenizer
  algorithm on these rules without needing spaCy.

Needs the test extras (spaCy, datatrove, PyYAML).
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

RES = Path(__file__).resolve().parent.parent / "resources" / "fineweb2"


def build_configs(config_dir: Path) -> dict:
    import yaml

    out = {}
    for p in sorted(config_dir.glob("*.yml")):
        out[p.stem] = yaml.safe_load(p.read_text("utf-8"))
    return out


def _pattern(fn):
    if fn is None:
        return None
    pat = fn.__self__
    return {"pattern": pat.pattern, "flags": int(pat.flags)}


def build_wordsplit() -> dict:
    import spacy
    from datatrove.utils.word_tokenizers import load_tokenizer_assignments

    assignment = {}
    spacy_langs = set()
    for key, factory in load_tokenizer_assignments().items():
        cls, arg = factory.args
        assignment[key] = [cls, arg or None]
        if cls == "SpaCyTokenizer":
            spacy_langs.add(arg)
    spacy_langs.add("xx")  # datatrove's WhitespaceTokenizer splits words with blank spaCy "xx"
    langs = {}
    for lang in sorted(spacy_langs):
        if lang in ("zh", "ja", "vi", "ko", "th"):  # need segmenters (jieba, sudachi, pyvi…): not replayable
            continue
        try:
            tok = spacy.blank(lang).tokenizer
        except Exception as exc:  # a language spaCy cannot build blank: the splitter falls back to "xx"
            print(f"skip {lang}: {exc}", file=sys.stderr)
            continue
        rules = {orth: [t[65] if 65 in t else t.get("ORTH") for t in toks] for orth, toks in tok.rules.items()}
        langs[lang] = {
            "prefix": _pattern(tok.prefix_search),
            "suffix": _pattern(tok.suffix_search),
            "infix": _pattern(tok.infix_finditer),
            "token_match": _pattern(tok.token_match),
            "url_match": _pattern(tok.url_match),
            "rules": rules,
        }
    return {"spacy_version": spacy.__version__, "assignment": assignment, "languages": langs}


def _write(name: str, obj) -> None:
    data = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    with gzip.GzipFile(RES / name, "wb", mtime=0, compresslevel=9) as f:
        f.write(data)
    print(f"{name}: {len(data):,} bytes JSON, {(RES / name).stat().st_size:,} gzipped")


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    RES.mkdir(parents=True, exist_ok=True)
    if argv:
        _write("configs.json.gz", build_configs(Path(argv[0])))
    _write("wordsplit.json.gz", build_wordsplit())


if __name__ == "__main__":
    main()

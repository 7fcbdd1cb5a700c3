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
        # spaCy's `_special_matcher`: special cases containing affixes are also matched on runs of tokens that
        # affix splitting (without special cases) produced; the run is the special case's own affix split
        from spacy.tokenizer import Tokenizer

        plain = Tokenizer(tok.vocab, rules={}, prefix_search=tok.prefix_search, suffix_search=tok.suffix_search,
                          infix_finditer=tok.infix_finditer, token_match=tok.token_match, url_match=tok.url_match)
        matcher = []
        for orth in sorted(tok.rules):
            if tok.find_prefix(orth) or tok.find_infix(orth) or tok.find_suffix(orth) or " " in orth:
                pat = [t.text for t in plain(orth) if t.text.strip()]
                if pat:
                    matcher.append([pat, orth])
        langs[lang] = {
            "prefix": _pattern(tok.prefix_search),
            "suffix": _pattern(tok.suffix_search),
            "infix": _pattern(tok.infix_finditer),
            "token_match": _pattern(tok.token_match),
            "url_match": _pattern(tok.url_match),
            "rules": rules,
            "matcher": matcher,
        }
    from spacy.pipeline.sentencizer import Sentencizer

    return {"spacy_version": spacy.__version__, "assignment": assignment, "languages": langs,
            "sentence_punct": sorted(Sentencizer.default_punct_chars)}


# lid.176's labels (fastText's language identification model, https://fasttext.cc/docs/en/language-identification.html)
LID176_LABELS = """af als am an ar arz as ast av az azb ba bar bcl be bg bh bn bo bpy br bs bxr ca cbk ce ceb ckb co cs cv
cy da de diq dsb dty dv el eml en eo es et eu fa fi fr frr fy ga gd gl gn gom gu gv he hi hif hr hsb ht hu hy ia id ie
ilo io is it ja jbo jv ka kk km kn ko krc ku kv kw ky la lb lez li lmo lo lrc lt lv mai mg mhr min mk ml mn mr mrj ms
mt mwl my myv mzn nah nap nds ne new nl nn no oc or os pa pam pfl pl pms pnb ps pt qu rm ro ru rue sa sah sc scn sco
sd sh si sk sl so sq sr su sv sw ta te tg th tk tl tr tt tyv ug uk ur uz vec vep vi vls vo wa war wuu xal xmf yi yo
yue zh""".split()
# lid.176 labels that datatrove's table does not resolve to a FineWeb-2 config: the closest config, by hand.
# (lid.176's "ku" is Kurmanji, Latin script: not Central Kurdish, which is its own "ckb"; its "als" is Alemannic,
# Wikipedia's code, not ISO 639-3's Tosk Albanian)
LID176_OVERRIDES = {"no": "nob_Latn", "sh": "hrv_Latn", "tl": "fil_Latn", "bh": "bho_Deva", "ku": "kmr_Latn",
                    "als": "gsw_Latn"}


def build_lid_map(configs: dict) -> dict:
    """lid.176 label -> FineWeb-2 config name (ISO 639-3 + script), via datatrove's tokenizer assignment table.

    A label maps to the row whose ISO 639-1 code is the label and which datatrove marks as the default for that
    code and script (or, for three-letter labels, the row of that ISO 639-3 code with the default script).
    English has no FineWeb-2 config (English is FineWeb): it maps to None.
    """
    import csv

    from datatrove.utils._import_utils import ASSETS_PATH

    with open(Path(ASSETS_PATH) / "tokenizer_assignment.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    out: dict[str, str | None] = {}
    for lab in LID176_LABELS:
        if lab in LID176_OVERRIDES:
            out[lab] = LID176_OVERRIDES[lab] if LID176_OVERRIDES[lab] in configs else None
            continue
        cands = [f"{r['code_3']}_{r['script']}" for r in rows
                 if r["code_1"] == lab and r["default_code_1"] == "TRUE" and r["default_script"] == "TRUE"]
        if not cands:
            cands = [f"{r['code_3']}_{r['script']}" for r in rows if r["code_3"] == lab and r["default_script"] == "TRUE"]
        cands = [c for c in cands if c in configs]
        out[lab] = cands[0] if cands else None
    return out


def _write(name: str, obj) -> None:
    data = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    with gzip.GzipFile(RES / name, "wb", mtime=0, compresslevel=9) as f:
        f.write(data)
    print(f"{name}: {len(data):,} bytes JSON, {(RES / name).stat().st_size:,} gzipped")


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    RES.mkdir(parents=True, exist_ok=True)
    if argv:
        configs = build_configs(Path(argv[0]))
        _write("configs.json.gz", configs)
        lid = build_lid_map(configs)
        (RES / "lid176_to_fineweb2.json").write_text(json.dumps(lid, indent=0, sort_keys=True) + "\n", "utf-8")
    _write("wordsplit.json.gz", build_wordsplit())


if __name__ == "__main__":
    main()

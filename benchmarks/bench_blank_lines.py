"""How many clean articles FineWeb's and Gopher's line statistics reject when a blank line between paragraphs is
read as a line of its own (datatrove's definition, `blank_lines="count"`) and when it is not (sito's default,
`blank_lines="skip"`; docs/filters.md).

The articles are the dev TRAIN pages through the HTML path (`clean_html`'s lines and decisions, from the cached
extraction of `sito.clean.sources`); each is judged with the FineWeb-2 settings of the language the cleaner
guessed for it (English: FineWeb's), and pages whose language has no FineWeb-2 config are left out. Printed: the
pages judged, and per set (wcxb by page type) the pages FineWebQuality's list ratio rejects and the pages
GopherQuality's bullet or ellipsis line shares reject, under each definition.

    SITO_DEV_DATA=../shared/data/dev nice .venv/bin/python benchmarks/bench_blank_lines.py
"""

from __future__ import annotations

from collections import Counter


def main() -> None:
    from sito.clean.labels import dev_pages
    from sito.clean.sources import html_extraction
    from sito.filters.fineweb2 import config, filters_for
    from sito.filters.languages import fineweb2_name
    from sito.html.article import clean_extracted

    rejected: Counter = Counter()
    judged = 0
    for p in dev_pages(split="train"):
        ex = html_extraction(p.html_bytes(), p.url)
        if "error" in ex:
            continue
        art = clean_extracted(ex)[0]
        lang = art.language or "en"
        name = "eng" if lang == "en" else fineweb2_name(lang)
        if not art.text or not name or (name != "eng" and config(name) is None):
            continue
        judged += 1
        group = f"{p.set}/{p.page_type}" if p.set == "wcxb" else p.set
        for blank_lines in ("count", "skip"):
            _, fw, gq = filters_for(name, blank_lines)
            st = fw.measure(art.text, fw.language)
            if st and st["list_ratio"] is not None and st["list_ratio"] > fw.new_line_ratio:
                rejected[blank_lines, "list_ratio", group] += 1
                rejected[blank_lines, "list_ratio", "all"] += 1
            g = gq.measure(art.text, gq.language)
            if (g["bullet_lines_ratio"] or 0) > gq.max_bullet_lines_ratio or (
                    g["ellipsis_lines_ratio"] or 0) > gq.max_ellipsis_lines_ratio:
                rejected[blank_lines, "gopher_lines", group] += 1
                rejected[blank_lines, "gopher_lines", "all"] += 1
    print(f"{judged} train pages' clean articles judged (HTML path, the cleaner's language, FineWeb-2 settings)")
    groups = sorted({g for _, _, g in rejected}, key=lambda g: (g == "all", g))
    print(f"{'set':<22}{'list ratio: count':>18}{'skip':>6}{'Gopher lines: count':>21}{'skip':>6}")
    for g in groups:
        print(f"{g:<22}{rejected['count', 'list_ratio', g]:>18}{rejected['skip', 'list_ratio', g]:>6}"
              f"{rejected['count', 'gopher_lines', g]:>21}{rejected['skip', 'gopher_lines', g]:>6}")


if __name__ == "__main__":
    main()

"""The JavaScript that draws the report's charts offline: Vega, Vega-Lite and Vega-Embed inlined in the page.

The libraries come bundled inside the installed `vl-convert-python` package (`vl_convert.javascript_bundle`),
so nothing is fetched from a CDN when the report is written or opened. The bundle is built once per process.
"""

from __future__ import annotations

from functools import lru_cache

# Draws every chart listed in the page's JSON block `#sito-charts` ({element id: Vega-Lite spec}) as SVG.
# `window.sitoCharts` counts drawn / failed charts so a test (or a curious user) can see that all of them rendered.
RENDER_SNIPPET = """
const specs = JSON.parse(document.getElementById("sito-charts").textContent);
window.sitoCharts = {total: Object.keys(specs).length, drawn: 0, failed: 0};
for (const [id, spec] of Object.entries(specs)) {
  const el = document.getElementById(id);
  if (!el) continue;
  vegaEmbed(el, spec, {renderer: "svg", actions: false})
    .then(() => { window.sitoCharts.drawn += 1; })
    .catch((err) => {
      window.sitoCharts.failed += 1;
      el.textContent = "This chart could not be drawn: " + err;
      console.error(err);
    });
}
"""


@lru_cache(maxsize=1)
def chart_script() -> str:
    """The module script (libraries + renderer), safe to put inside a <script type="module"> element."""
    import vl_convert

    js = vl_convert.javascript_bundle(RENDER_SNIPPET)
    # a literal "</script" inside the code would end the element early
    return js.replace("</script", "<\\/script").replace("<!--", "<\\!--")

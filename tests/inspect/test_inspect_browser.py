"""The inspector and the report in real headless Chromium (Selenium + Debian's chromium / chromedriver).

Screenshots are saved under test-artifacts/ (gitignored) for a human to look at after a CI run.
"""

import html
import os
import shutil
import tempfile
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = "/usr/bin/chromedriver" if os.path.exists("/usr/bin/chromedriver") else shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER),
    reason="browser tests need Debian's chromium and chromium-driver (scripts/install-system-deps.sh installs them)")

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
REASON = "recommendation block after the cue 'Wybrane dla Ciebie'"


@pytest.fixture(scope="module")
def driver():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="sito-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for a in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
              "--disable-background-networking", "--disable-component-update", "--disable-sync",
              "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--window-size=1280,900"):
        opts.add_argument(a)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    d = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    d.set_page_load_timeout(60)
    yield d
    d.quit()
    shutil.rmtree(profile, ignore_errors=True)


def wait(driver, cond, timeout=30):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(lambda d: cond(d))


def console_errors(driver):
    return [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]


def shot(driver, name, element=None):
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    (element or driver).screenshot(str(path)) if element is not None else driver.save_screenshot(str(path))
    assert path.stat().st_size > 1000
    return path


def css(driver, sel):
    from selenium.webdriver.common.by import By

    return driver.find_elements(By.CSS_SELECTOR, sel)


def apply_filters(driver, base, **values):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    driver.get(base + "/")
    for name, value in values.items():
        el = driver.find_element(By.ID, f"f-{name}")
        if el.tag_name == "select":
            Select(el).select_by_value(value)
        else:
            el.clear()
            el.send_keys(value)
    driver.find_element(By.ID, "apply").click()
    wait(driver, lambda d: "?" in d.current_url and css(d, "#summary"))


def test_filter_by_reason_and_read_the_example(driver, server, builder):
    base, _ = server
    driver.get_log("browser")  # start with an empty console log
    apply_filters(driver, base, reason="duplicate")
    rows = css(driver, "tr.doc-row")
    assert [html.unescape(r.get_attribute("data-id")) for r in rows] == [builder.DUP_ID]
    assert "reason=duplicate" in driver.current_url

    apply_filters(driver, base, status="kept", q="Łukaszenka")
    rows = css(driver, "tr.doc-row")
    assert [r.get_attribute("data-id") for r in rows] == [builder.EXAMPLE_ID]
    rows[0].find_element("css selector", "td.title a").click()
    wait(driver, lambda d: css(d, "#lines"))
    assert css(driver, "#doc-title")[0].text == "Łukaszenka musiał być wściekły, gdy to zobaczył. Wideo obiegło sieć"

    recs = css(driver, "li.line.removed[data-role=recommendations]")
    assert len(recs) == 25
    for li in recs:
        assert li.get_attribute("title") == REASON
        deco = driver.execute_script(
            "return getComputedStyle(arguments[0].querySelector('.text')).textDecorationLine", li)
        assert "line-through" in deco
    body = css(driver, "li.line.kept[data-role=body]")
    assert len(body) == 9
    for li in body:
        deco = driver.execute_script(
            "return getComputedStyle(arguments[0].querySelector('.text')).textDecorationLine", li)
        assert "line-through" not in deco and li.get_attribute("title") in (None, "")
    # structured fields
    assert "dowódca białoruskiej jednostki" in css(driver, "section.quotes .speaker")[0].text
    assert css(driver, "section.credits li")[0].text == "Twitter"
    shot(driver, "inspect-document.png")
    assert console_errors(driver) == []


def test_list_screenshot_and_keyboard(driver, server):
    from selenium.webdriver.common.by import By

    base, app = server
    driver.get(base + "/")
    wait(driver, lambda d: css(d, "tr.doc-row"))
    body = driver.find_element(By.TAG_NAME, "body")
    body.send_keys("j")
    body.send_keys("j")
    selected = css(driver, "tr.doc-row.selected")
    assert len(selected) == 1 and selected[0] == css(driver, "tr.doc-row")[1]
    shot(driver, "inspect-list.png")
    body.send_keys("\ue007")  # Enter opens the selected document
    wait(driver, lambda d: "/doc/1" in d.current_url)
    driver.find_element(By.TAG_NAME, "body").send_keys("j")
    wait(driver, lambda d: "/doc/2" in d.current_url)
    driver.find_element(By.TAG_NAME, "body").send_keys("k")
    wait(driver, lambda d: "/doc/1" in d.current_url)
    driver.find_element(By.TAG_NAME, "body").send_keys("u")
    wait(driver, lambda d: "/doc/" not in d.current_url and css(d, "tr.doc-row"))
    assert console_errors(driver) == []


def test_script_in_a_document_is_shown_as_text(driver, server, builder):
    from selenium.common.exceptions import NoAlertPresentException

    base, app = server
    row = int(app.index.select(q=builder.SCRIPT_ID)[0])
    driver.get(f"{base}/doc/{row}")
    wait(driver, lambda d: css(d, "#lines"))
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text
    assert css(driver, "#doc-title")[0].text == "<script>alert('title')</script> A page with markup"
    assert 'Security note: the page printed <script>alert("xss")</script> inline' in css(driver, "#text")[0].text
    assert driver.execute_script("return document.scripts.length") == 1  # the inspector's own script only
    assert driver.execute_script("return document.querySelectorAll('#lines img, #text img').length") == 0
    assert css(driver, "li.line.removed")[0].get_attribute("title") == "share <buttons>"
    assert console_errors(driver) == []


@pytest.mark.parametrize("how", ["file", "served"])
def test_report_plots_render(driver, server, out_dir, how):
    base, _ = server
    driver.get_log("browser")
    driver.get(out_dir.joinpath("report.html").as_uri() if how == "file" else base + "/files/report.html")
    state = wait(driver, lambda d: (lambda s: s if s and s["drawn"] + s["failed"] == s["total"] else None)(
        d.execute_script("return window.sitoCharts")), timeout=60)
    assert state["failed"] == 0 and state["total"] >= 10
    assert len(css(driver, ".chart svg")) == state["total"]
    # a histogram has its bars (SVG paths inside the mark group)
    assert driver.execute_script("return document.querySelectorAll('.chart svg .mark-rect path').length") > 20
    assert console_errors(driver) == []
    if how == "file":
        driver.set_window_size(1280, 1800)
        shot(driver, "report.png")
        driver.set_window_size(1280, 900)

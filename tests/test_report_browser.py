"""The reports in a real browser: headless Chromium opens each one from disk and finds nothing wrong.

For every report and the index: no console error, no dialog, every image decoded, nothing fetched
but the page itself and its embedded images, the hostile demo title shown as text and never run.
A screenshot of each page goes to ``tests/artifacts/``. Needs the Debian packages ``chromium`` and
``chromium-driver`` and the ``selenium`` package; skipped with the reason when one is missing.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.test_report import HOSTILE, REPORTS, Rendered, demo_reports

CHROMIUM = next(
    (found for name in ("chromium", "chromium-browser", "google-chrome") if (found := shutil.which(name))), None
)
CHROMEDRIVER = shutil.which("chromedriver")
ARTIFACTS = ROOT / "tests" / "artifacts"

pytestmark = pytest.mark.skipif(
    CHROMIUM is None or CHROMEDRIVER is None,
    reason="needs headless Chromium and its driver: apt-get install -y chromium chromium-driver",
)
webdriver = pytest.importorskip("selenium.webdriver", reason="needs selenium (pip install selenium)")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    return demo_reports(tmp_path_factory)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",  # root in a container
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1280,1000",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        "--no-first-run",
        "--disable-extensions",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--host-resolver-rules=MAP * ~NOTFOUND",  # any fetch from the network fails loudly
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    options.unhandled_prompt_behavior = "ignore"  # leave any dialog open, so the test sees it
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def open_page(browser: Any, path: Path) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(path.as_uri())
    WebDriverWait(browser, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")


def dialog_text(browser: Any) -> str | None:
    """The text of an open alert/confirm/prompt, or None."""
    from selenium.common.exceptions import NoAlertPresentException

    try:
        return str(browser.switch_to.alert.text)
    except NoAlertPresentException:
        return None


def screenshot(browser: Any, target: Path) -> None:
    """The whole page (the window made as tall as the page, then restored)."""
    height = int(browser.execute_script("return document.documentElement.scrollHeight"))
    browser.set_window_size(1280, min(max(height, 600), 16000))
    target.parent.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(target))
    browser.set_window_size(1280, 1000)


def test_the_checks_catch_a_dialog_and_a_console_error(browser, tmp_path):
    """The harness itself: a page that runs a script and fetches from the network is caught."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html><head><script src="https://cdn.example/x.js"></script></head>'
        "<body><script>alert(1)</script></body></html>",
        encoding="utf-8",
    )
    browser.get(page.as_uri())
    assert dialog_text(browser) == "1"
    browser.switch_to.alert.dismiss()
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]


@pytest.mark.parametrize("name", [*REPORTS, "index.html"])
def test_report_in_the_browser(browser, rendered, name):
    from selenium.webdriver.common.by import By

    path = rendered.reports / name
    browser.get_log("browser")  # forget what earlier pages logged
    open_page(browser, path)
    assert dialog_text(browser) is None, "a dialog opened"
    severe = [entry["message"] for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert severe == []
    images = browser.execute_script(
        "return Array.from(document.images).map(i => [i.complete, i.naturalWidth, i.currentSrc.slice(0, 22)])"
    )
    assert all(complete and width > 0 for complete, width, _ in images), images
    assert all(src == "data:image/png;base64," for _, _, src in images)
    if name != "index.html":
        assert len(images) >= 3
    fetched = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert [url for url in fetched if not url.startswith(("data:", "file:"))] == []
    scripts = browser.execute_script("return Array.from(document.scripts).map(s => s.textContent)")
    assert [text for text in scripts if "alert" in text] == []
    handlers = "[onerror], [onload], [onclick], [onmouseover], iframe, object, embed"
    assert browser.execute_script(f"return document.querySelectorAll('{handlers}').length") == 0
    text = browser.find_element(By.TAG_NAME, "body").text
    if name == "01_overview.html":
        assert HOSTILE in text  # the demo's script-injection title, shown as plain text
    if "&lt;script&gt;alert(1)" in rendered.page(name):
        assert HOSTILE in text
    screenshot(browser, ARTIFACTS / name.replace(".html", ".png"))
    assert dialog_text(browser) is None

"""The soak's reports: the HTML one opened in Debian's headless chromium (charts drawn, invariant table,
violations with their story), self-contained; the JSON and JUnit ones for CI.

.ci/run installs chromium and chromium-driver, so in CI (CI=true) a missing browser is a failure; on a
developer's machine without them the browser test is skipped with the reason.
"""
from __future__ import annotations

import os
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from harness.connectors import PythonAdapter
from harness.soak.config import SoakConfig
from harness.soak.engine import SoakRun
from harness.soak.invariants import INVARIANTS
from harness.soak.report import junit_xml, write_reports

QUIET = ["tick=2h", "settle_tick=12h", "return_max_delay=1d", "settle_days=4", "cancel_share=0.2"]


def _report(tmp_path: Path, connector: str, until: int | None = None) -> tuple[dict, Path]:
    cfg = SoakConfig(days=1, orders_per_day=14, seed=9, until_tick=until).apply(QUIET)
    run = SoakRun(cfg, PythonAdapter(f"tests/fixtures/soak_connectors.py:{connector}"), "ajio-sim soak --seed 9")
    try:
        result = run.run()
        html = tmp_path / f"{connector}.html"
        doc = write_reports(result, html=str(html), json_path=None, junit=None)
    finally:
        run.close()
    return doc, html


@pytest.fixture(scope="module")
def passing(tmp_path_factory):
    return _report(tmp_path_factory.mktemp("pass"), "reference")


@pytest.fixture(scope="module")
def failing(tmp_path_factory):
    return _report(tmp_path_factory.mktemp("fail"), "bug_label_before_invoice", until=8)


@pytest.fixture(scope="module")
def browser():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver") or ("/usr/bin/chromedriver" if Path("/usr/bin/chromedriver").exists() else None)
    if not (chromium and driver):
        message = "chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1300,1400"):
        options.add_argument(arg)
    web = webdriver.Chrome(service=Service(executable_path=driver), options=options)
    yield web
    web.quit()


def _shapes(browser, chart_id: str, selector: str) -> list:
    from selenium.webdriver.common.by import By
    return browser.find_element(By.ID, chart_id).find_elements(By.CSS_SELECTOR, selector)


def test_soak_report_html_opens_in_chromium_with_its_charts_drawn(browser, passing):
    from selenium.webdriver.common.by import By
    doc, html = passing
    browser.get(html.as_uri())
    assert browser.find_element(By.ID, "verdict").text == "PASS"
    delivered_days = sum(1 for d in doc["days"] if d["by_status"]["DELIVERED"])
    assert delivered_days and len(_shapes(browser, "chart-states", "rect.bar-DELIVERED")) == delivered_days
    assert len(_shapes(browser, "chart-calls", "rect.bar-calls")) == sum(1 for h in doc["hours"] if h["calls"])
    assert len(_shapes(browser, "chart-refusals", "polyline")) == 3
    for chart in ("chart-ack", "chart-ship"):
        assert _shapes(browser, chart, "polyline.line-p50") and _shapes(browser, chart, "line.line-sla")
    assert len(_shapes(browser, "chart-time", "rect.time-part")) == 5
    # Drawn, not just present: the bars have a size on the page.
    bar = _shapes(browser, "chart-states", "rect.bar-DELIVERED")[-1]
    assert bar.size["height"] > 10 and bar.size["width"] > 2
    rows = browser.find_element(By.ID, "invariants").find_elements(By.TAG_NAME, "tr")
    assert len(rows) == 1 + len(doc["invariants"]) == 1 + len(INVARIANTS)


def test_soak_report_html_of_a_failure_shows_the_violation_its_timeline_and_the_replay(browser, failing):
    from selenium.webdriver.common.by import By
    doc, html = failing
    browser.get(html.as_uri())
    assert browser.find_element(By.ID, "verdict").text == "FAIL"
    assert browser.find_element(By.ID, "replay").text == doc["replay_command"]
    bad = [r.text for r in browser.find_element(By.ID, "invariants").find_elements(By.CSS_SELECTOR, "tr.bad")]
    assert any("no-refusal" in row and "DS-INVOICE-LABEL-MANIFEST" in row for row in bad), bad
    violation = browser.find_elements(By.CSS_SELECTOR, "details.violation")[0]
    violation.click()
    text = violation.text
    assert "DS-INVOICE-LABEL-MANIFEST" in text and "timeline" in text and "the connector's requests about it" in text
    assert "/label ->" in text


def test_soak_report_html_is_self_contained(passing):
    _, html = passing
    text = html.read_text()
    assert not re.search(r"<(script|link|img|iframe)\b", text)
    assert not re.search(r"(src|href)\s*=", text)
    assert "url(" not in text


def test_soak_report_junit_one_testcase_per_invariant_failures_carry_rule_and_replay(failing):
    doc, _ = failing
    suite = ET.fromstring(junit_xml(doc)).find("testsuite")
    cases = suite.findall("testcase")
    assert len(cases) == len(INVARIANTS) and int(suite.get("failures")) == sum(not i["ok"] for i in doc["invariants"])
    failure = next(c for c in cases if c.get("name").startswith("no-refusal")).find("failure")
    assert "DS-INVOICE-LABEL-MANIFEST" in failure.get("message")
    assert failure.text.endswith(f"replay: {doc['replay_command']}")


def test_soak_report_json_names_timing_split_and_first_violation(failing):
    doc, _ = failing
    t = doc["timing"]
    assert t["total_s"] > 0 and t["simulator_serving_connector_s"] > 0 and t["connector_wall_s"] > 0
    first = doc["first_violation"]
    assert first["rule_id"] == "DS-INVOICE-LABEL-MANIFEST" and first["order_id"].startswith("FN")
    assert doc["replay_command"].endswith(f"--until-tick {first['tick']}")

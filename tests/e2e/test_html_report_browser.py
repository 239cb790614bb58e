"""`ajio-sim run --html`: the real binary writes the report, headless chromium reads it, its replay command re-runs it."""
from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from fixtures.browser import headless_chromium
from fixtures.simclient import ajio_sim_binary

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("AJIO_SIM_TEST_ARTIFACTS", ROOT / "test-artifacts"))
BUGGY = f"{sys.executable} {ROOT / 'examples/buggy_connectors/buggy.py'} split_invoice"


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AJIO_SIM_")}
    return subprocess.run([ajio_sim_binary(), *args], cwd=cwd, capture_output=True, text=True, timeout=300, env=env)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """One failing catalogue scenario (the split-invoice bug) and one passing one, reported as HTML."""
    tmp = tmp_path_factory.mktemp("html")
    path = tmp / "report.html"
    done = _run(["run", "--catalogue", "ds", "-k", "no_split,customer_cancel_before_ack", "--connector-cmd", BUGGY,
                 "--html", str(path)], cwd=tmp)
    assert done.returncode == 1, done.stdout + done.stderr
    return path


@pytest.fixture(scope="module")
def page(report):
    with headless_chromium() as driver:
        driver.get(report.as_uri())
        yield driver


def test_html_report_rows_in_the_browser(page):
    from selenium.webdriver.common.by import By
    rows = {r.get_attribute("id"): r for r in page.find_elements(By.CSS_SELECTOR, "#results tbody tr")}
    assert len(rows) == 2
    verdicts = {r.find_element(By.CSS_SELECTOR, "td:nth-child(2) a, td:nth-child(2)").text.splitlines()[0]:
                r.find_element(By.CSS_SELECTOR, ".verdict").text for r in rows.values()}
    assert verdicts == {"no order split, one invoice per order": "FAIL",
                        "customer cancels before acknowledgement": "PASS"}, verdicts
    assert page.find_element(By.ID, "summary").text.startswith("1 passed, 1 failed, 0 errors")


def test_html_report_failure_section_in_the_browser(page):
    from selenium.webdriver.common.by import By
    page.find_element(By.LINK_TEXT, "no order split, one invoice per order").click()
    assert page.current_url.endswith("#scenario-1") or page.current_url.endswith("#scenario-2")
    section = page.find_element(By.CSS_SELECTOR, "section.failed")
    text = section.text
    assert "Expectations broken" in text and "seed 000 point 5" in text
    assert "Refused requests" in text and "/invoice" in text and "400" in text
    timelines = section.find_elements(By.CSS_SELECTOR, "table.timeline")
    assert timelines and all("order placed by customer" in t.text for t in timelines)
    assert "Connector output" in text and "order split is not supported" in text
    assert section.find_element(By.CSS_SELECTOR, "pre.replay").text.startswith("ajio-sim run --catalogue ds -k ")


def test_html_report_loads_nothing_from_the_network(page):
    resources = page.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert resources == []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "html-report.png"
    assert page.save_screenshot(str(shot)) and shot.stat().st_size > 10_000


def test_html_report_replay_command_reruns_the_failure(page, tmp_path):
    from selenium.webdriver.common.by import By
    command = shlex.split(page.find_element(By.CSS_SELECTOR, "section.failed pre.replay").text)
    assert command[:2] == ["ajio-sim", "run"]
    rerun = _run([*command[1:], "--json", str(tmp_path / "again.json")], cwd=tmp_path)
    assert rerun.returncode == 1, rerun.stdout + rerun.stderr
    again = json.loads((tmp_path / "again.json").read_text())
    assert [(s["name"], s["status"]) for s in again["scenarios"]] == [("no order split, one invoice per order",
                                                                        "failed")]

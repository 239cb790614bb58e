"""/docs in a real browser: its try-it forms log in and read the pendency from the simulator serving the
page, and the page fetches nothing from anywhere else (it works with no network).

Same browser setup as the dashboard's test: chromium through chromium-driver; skipped without them on
a developer's machine, a failure under CI (.ci/run installs them)."""
from __future__ import annotations

import json

import pytest
import requests
from e2e import test_dashboard_browser as dashboard

from fixtures.simclient import ServerProcess

# The dashboard test's module-scoped chromium fixture, found by pytest under this name.
browser = dashboard.browser
wait_for = dashboard.wait_for

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def docs_server(tmp_path_factory):
    proc = ServerProcess(tmp_path_factory.mktemp("docs") / "docs.sqlite3")
    yield proc
    proc.stop()


def _form(browser, method: str, path: str):
    from selenium.webdriver.common.by import By
    return browser.find_element(By.CSS_SELECTOR, f"form.try[data-method='{method}'][data-path='{path}']")


def _send(browser, form) -> str:
    """Submit a try-it form and wait for its answer; the answer's status."""
    from selenium.webdriver.common.by import By
    answer = form.find_element(By.CSS_SELECTOR, "pre.answer")
    browser.execute_script("arguments[0].removeAttribute('data-status')", answer)
    browser.execute_script("arguments[0].scrollIntoView()", form)
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_for(browser, lambda d: answer.get_attribute("data-status"), "the try-it answer")
    return answer.get_attribute("data-status")


def test_docs_try_it_logs_in_and_reads_pendency_without_network(browser, docs_server):
    from selenium.webdriver.common.by import By
    base = docs_server.base_url
    pob = requests.post(f"{base}/_sim/sellers", json={"model": "ds"}, timeout=30).json()
    [order_id] = requests.post(f"{base}/_sim/orders", json={"pob_id": pob["pob_id"], "count": 1},
                               timeout=30).json()["order_ids"]
    browser.get(f"{base}/docs")

    login = _form(browser, "POST", "/ds/authToken")
    body = login.find_element(By.NAME, "body")
    browser.execute_script("arguments[0].value = arguments[1]", body,
                           json.dumps({"username": pob["pob_id"], "password": pob["password"]}))
    assert _send(browser, login) == "200"
    token = browser.find_element(By.ID, "cred-apiKey").get_attribute("value")
    assert token and token in login.find_element(By.CSS_SELECTOR, "pre.answer").text

    pendency = _form(browser, "GET", "/ds/orders/pendency")
    assert _send(browser, pendency) == "200"
    assert order_id in pendency.find_element(By.CSS_SELECTOR, "pre.answer").text

    # A refusal shows AJIO's error body: the invoice before the PO is a 409 NOT_YET with Retry-After.
    requests.post(f"{base}/ds/orders", json={"order_id": order_id, "status": "Acknowledge", "order_lines": []},
                  headers={"apiKey": token}, timeout=30)
    invoice = _form(browser, "POST", "/ds/orders/{order_id}/invoice")
    invoice.find_element(By.NAME, "path:order_id").send_keys(order_id)
    assert _send(browser, invoice) == "409"
    shown = invoice.find_element(By.CSS_SELECTOR, "pre.answer").text
    assert "NOT_YET" in shown and "Retry-After:" in shown

    fetched = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert fetched and all(url.startswith(base) for url in fetched), fetched

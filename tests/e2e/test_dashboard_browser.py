"""The dashboard in a real browser: Debian's chromium, driven by Selenium through chromium-driver.

.ci/run installs chromium and chromium-driver, so in CI (CI=true) a missing browser is a failure;
on a developer's machine without them the test is skipped with the reason.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
import requests

from fixtures.browser import headless_chromium
from fixtures.simclient import ServerProcess

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("AJIO_SIM_TEST_ARTIFACTS", ROOT / "test-artifacts"))


@pytest.fixture(scope="module")
def browser():
    # The one headless-chromium set-up of the suite (tests/fixtures/browser.py); pages here load slower.
    with headless_chromium() as driver:
        driver.implicitly_wait(5)
        yield driver


def wait_for(browser, condition, what: str):
    """Wait until a click's page load shows what it should (a click returns before the next page is in)."""
    from selenium.webdriver.support.ui import WebDriverWait
    return WebDriverWait(browser, 15).until(lambda d: condition(d), message=f"waiting for {what}")


def text_of(browser, element_id: str) -> str:
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    try:
        return browser.find_element("id", element_id).text
    except (NoSuchElementException, StaleElementReferenceException):
        return ""


@pytest.fixture(scope="module")
def ui_server(tmp_path_factory):
    proc = ServerProcess(tmp_path_factory.mktemp("ui") / "ui.sqlite3")
    yield proc
    proc.stop()


def test_customer_cancel_from_the_order_page(browser, ui_server):
    from selenium.webdriver.common.by import By
    base = ui_server.base_url
    pob = requests.post(f"{base}/_sim/sellers", json={"model": "ds", "store_code": "BROWSER-1"}).json()
    order_ids = requests.post(f"{base}/_sim/orders", json={"pob_id": pob["pob_id"], "count": 3}).json()["order_ids"]
    target = order_ids[1]

    browser.get(f"{base}/_sim/ui/")
    assert pob["pob_id"] in browser.find_element(By.ID, "sellers").text
    browser.find_element(By.LINK_TEXT, "3 orders").click()
    wait_for(browser, lambda d: f"pob_id={pob['pob_id']}" in d.current_url, "the POB's order list")
    browser.find_element(By.LINK_TEXT, target).click()
    wait_for(browser, lambda d: d.current_url.endswith(f"/_sim/ui/orders/{target}"), "the order page")

    assert browser.find_element(By.ID, "order-status").text == "CREATED"
    rows = browser.find_elements(By.CSS_SELECTOR, "#timeline tbody tr")
    assert len(rows) == 1 and "CREATED" in rows[0].text

    browser.find_element(By.CSS_SELECTOR, "#world-events button[data-event='customer-cancel']").click()

    wait_for(browser, lambda d: "Customer cancel: done" in text_of(d, "flash"), "the cancel's confirmation")
    assert browser.current_url.endswith(f"/_sim/ui/orders/{target}")  # PRG: a GET page after the POST
    assert browser.find_element(By.ID, "order-status").text == "CANCELLED"
    rows = browser.find_elements(By.CSS_SELECTOR, "#timeline tbody tr")
    assert len(rows) == 2
    cells = [c.text for c in rows[1].find_elements(By.TAG_NAME, "td")]
    assert cells[1:] == ["CREATED", "CANCELLED", "customer cancelled the order"]
    assert not browser.find_elements(By.CSS_SELECTOR, "#world-events button")
    # the simulator agrees with what the page shows
    assert requests.get(f"{base}/_sim/orders/{target}").json()["status"] == "CANCELLED"

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "dashboard-order-cancelled.png"
    assert browser.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000


def test_refused_event_shows_the_rule_in_the_browser(browser, ui_server):
    from selenium.webdriver.common.by import By
    base = ui_server.base_url
    pob = requests.post(f"{base}/_sim/sellers", json={"model": "ds"}).json()
    (order_id,) = requests.post(f"{base}/_sim/orders", json={"pob_id": pob["pob_id"]}).json()["order_ids"]
    browser.get(f"{base}/_sim/ui/orders/{order_id}")
    button = browser.find_element(By.CSS_SELECTOR, "#world-events button[data-event='customer-cancel']")
    # Someone else cancels first (another tab, a script): the page's button is now stale.
    requests.post(f"{base}/_sim/orders/{order_id}/customer-cancel", json={})
    button.click()
    wait_for(browser, lambda d: "refused" in text_of(d, "flash"), "the refusal")
    flash = text_of(browser, "flash")
    assert "refused (409 ILLEGAL_TRANSITION)" in flash
    assert "rule: DS-CUSTOMER-CANCEL-UNTIL-INVOICED: " in flash and "(seed 000), point 12.1" in flash


def test_clock_buttons_move_the_simulated_clock(browser, ui_server):
    from selenium.webdriver.common.by import By
    base = ui_server.base_url
    before = requests.get(f"{base}/_sim/clock").json()["now"]
    browser.get(f"{base}/_sim/ui/journal")
    browser.find_element(By.CSS_SELECTOR, "button[data-testid='advance-14400']").click()
    wait_for(browser, lambda d: "clock advanced by 14400" in text_of(d, "flash"), "the +4 h confirmation")
    assert requests.get(f"{base}/_sim/clock").json()["now"] == before + 14400
    assert browser.current_url.endswith("/_sim/ui/journal")
    field = browser.find_element(By.CSS_SELECTOR, "#clock input[name='duration']")
    field.send_keys("90m")
    field.submit()
    wait_for(browser, lambda d: "clock advanced by 90m (5400 s)" in text_of(d, "flash"), "the 90m confirmation")
    assert requests.get(f"{base}/_sim/clock").json()["now"] == before + 14400 + 5400


def test_fault_rule_from_the_form_acts_on_ajio_calls(browser, ui_server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select
    base = ui_server.base_url
    pob = requests.post(f"{base}/_sim/sellers", json={"model": "ds"}).json()
    browser.get(f"{base}/_sim/ui/faults")
    form = browser.find_element(By.ID, "fault-form")
    Select(form.find_element(By.NAME, "method")).select_by_visible_text("GET")
    form.find_element(By.NAME, "path").send_keys("/ds/products")
    form.find_element(By.NAME, "pob_id").send_keys(pob["pob_id"])
    Select(form.find_element(By.NAME, "kind")).select_by_visible_text("throttle")
    form.find_element(By.NAME, "retry_after").send_keys("42")
    form.find_element(By.NAME, "times").send_keys("1")
    form.find_element(By.CSS_SELECTOR, "button[type='submit']").click()
    wait_for(browser, lambda d: "added: throttle" in text_of(d, "flash"), "the rule's confirmation")
    assert "/ds/products" in browser.find_element(By.ID, "faults").text

    token = requests.post(f"{base}/ds/authToken", json={"username": pob["pob_id"],
                                                        "password": pob["password"]}).json()["result"]["accessToken"]
    hit = requests.get(f"{base}/ds/products", headers={"apiKey": token})
    assert hit.status_code == 429 and hit.headers["Retry-After"] == "42"
    browser.refresh()
    assert "spent" in browser.find_element(By.ID, "faults").text
    browser.find_element(By.ID, "clear-faults").click()
    wait_for(browser, lambda d: "deleted 1 fault rule(s)" in text_of(d, "flash"), "the clear's confirmation")
    assert requests.get(f"{base}/_sim/faults").json()["faults"] == []


def test_login_form_opens_a_guarded_dashboard(browser, tmp_path):
    from selenium.webdriver.common.by import By
    guarded = ServerProcess(tmp_path / "guarded.sqlite3", "--admin-token", "browser-token-42")
    try:
        base = guarded.base_url
        headers = {"X-Admin-Token": "browser-token-42"}
        pob = requests.post(f"{base}/_sim/sellers", json={"model": "ds"}, headers=headers).json()
        browser.get(f"{base}/_sim/ui/orders")
        wait_for(browser, lambda d: "/_sim/ui/login" in d.current_url, "the login form")
        field = browser.find_element(By.NAME, "token")
        field.send_keys("wrong")
        field.submit()
        wait_for(browser, lambda d: "wrong admin token" in d.page_source, "the refusal of a wrong token")
        field = browser.find_element(By.NAME, "token")
        field.send_keys("browser-token-42")
        field.submit()
        wait_for(browser, lambda d: d.current_url.endswith("/_sim/ui/orders"), "the page asked for first")
        browser.get(f"{base}/_sim/ui/")
        assert pob["pob_id"] in browser.find_element(By.ID, "sellers").text
        assert "browser-token-42" not in str(browser.get_cookies())
    finally:
        browser.delete_all_cookies()
        guarded.stop()

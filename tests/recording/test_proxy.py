"""`ajio-sim proxy` as a real process in front of a fake AJIO: forwarding, masking, streams, failures, drift."""
from __future__ import annotations

import json
import socket
import subprocess
import time
from urllib.parse import urlsplit

import pytest
import requests

from fixtures.fake_ajio import CUSTOMER, DIFFERENCES, PASSWORD, PDF, TOKEN, FakeAjio
from fixtures.recording import ProxyProcess
from fixtures.simclient import ajio_sim_binary

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def fake():
    f = FakeAjio().start()
    yield f
    f.stop()


@pytest.fixture(scope="module")
def recorded(fake, tmp_path_factory):
    """One proxy (1 s timeout) and the AJIO-like calls a connector makes through it; later tests read its HAR."""
    path = tmp_path_factory.mktemp("rec") / "ajio.har"
    proxy = ProxyProcess(fake.base_url, path, "--timeout", "1", "--list-masked")
    base = proxy.base_url
    answers = {
        "login": requests.post(f"{base}/ds/authToken", json={"username": "DVB1VX5Z", "password": PASSWORD}),
        "pendency": requests.get(f"{base}/ds/orders/pendency?page=0&size=20", headers={"apiKey": TOKEN}),
        "order": requests.get(f"{base}/ds/orders?orderIds=FN404", headers={"apiKey": TOKEN}),
        "dispatch": requests.post(f"{base}/ds/orders/dispatch", headers={"apiKey": TOKEN},
                                  json={"dispatchItems": [{"masterAWB": "A", "orderId": "FN1", "invoiceNo": "I"}]}),
        "shipments": requests.get(f"{base}/ds/orders/FN1/shipments", headers={"apiKey": TOKEN}),
    }
    yield {"proxy": proxy, "path": path, "answers": answers, "base": base}
    proxy.stop()


def _entries(path) -> list[dict]:
    return json.loads(path.read_text())["log"]["entries"]


def _entry(path, url_part: str, timeout: float = 5.0) -> dict:
    """The exchange's entry; a streamed one is written just after its last bytes reach the client."""
    deadline = time.monotonic() + timeout
    while True:
        found = [e for e in _entries(path) if urlsplit(e["request"]["url"]).path.endswith(url_part)]
        if found or time.monotonic() > deadline:
            return found[0]
        time.sleep(0.02)


def test_proxy_forwards_the_request_unchanged(recorded, fake):
    seen = next(s for s in fake.seen if s["path"] == "/ds/orders/dispatch")
    assert seen["method"] == "POST" and seen["headers"]["Apikey"] == TOKEN
    assert json.loads(seen["body"]) == {"dispatchItems": [{"masterAWB": "A", "orderId": "FN1", "invoiceNo": "I"}]}
    assert next(s for s in fake.seen if s["path"] == "/ds/orders/pendency")["query"] == "page=0&size=20"


def test_proxy_returns_the_upstream_answer_unchanged(recorded, fake):
    direct = requests.get(f"{fake.base_url}/ds/orders/pendency?page=0&size=20", headers={"apiKey": TOKEN})
    via = recorded["answers"]["pendency"]
    assert (via.status_code, via.content, via.headers["Content-Type"]) == (200, direct.content, "application/json")
    assert recorded["answers"]["login"].json()["result"]["accessToken"] == TOKEN   # the client gets the real token
    assert recorded["answers"]["dispatch"].status_code == 202


def test_proxy_record_masks_secrets_and_customers_keeping_types(recorded):
    text = recorded["path"].read_text()
    for secret in (PASSWORD, TOKEN, "ref-REAL", CUSTOMER["name"], CUSTOMER["phone"], CUSTOMER["email"], "MG Road"):
        assert secret not in text
    login = _entry(recorded["path"], "/ds/authToken")
    assert json.loads(login["request"]["postData"]["text"]) == {"username": "DVB1VX5Z", "password": "x" * 16}
    customer = json.loads(_entry(recorded["path"], "/ds/orders/pendency")["response"]["content"]["text"])[
        "orders"][0]["customer"]
    assert customer == {"name": "x" * 16, "phone": "0000000000", "email": "xxxxxxxxxxxxxxxx@masked.invalid",
                        "address": {"line1": "x" * 16, "city": "x" * 16, "pincode": 100000}}


def test_proxy_record_lists_masked_places_not_values(recorded):
    pendency = _entry(recorded["path"], "/ds/orders/pendency")
    assert pendency["_ajioSim"]["masked"] == ["request.header Apikey", "response.body $.orders[].customer"]
    out = recorded["proxy"].text()
    assert "masked: request.body $.password; response.body $.result.accessToken" in out
    assert PASSWORD not in out and TOKEN not in out


def test_proxy_record_is_har_1_2_with_every_exchange(recorded, fake):
    # Each exchange is written just after its answer reached the client: wait (bounded) for the last ones.
    for part in ("/ds/orders/dispatch", "/ds/orders/FN1/shipments"):
        _entry(recorded["path"], part)
    doc = json.loads(recorded["path"].read_text())
    assert doc["log"]["version"] == "1.2" and doc["log"]["creator"]["name"] == "ajio-sim proxy"
    assert doc["log"]["_ajioSim"]["upstream"] == fake.base_url and doc["log"]["_ajioSim"]["masked"] is True
    urls = [e["request"]["url"] for e in doc["log"]["entries"]]
    for path in ("/ds/authToken", "/ds/orders/pendency?page=0&size=20", "/ds/orders?orderIds=FN404",
                 "/ds/orders/dispatch", "/ds/orders/FN1/shipments"):
        assert f"{fake.base_url}{path}" in urls
    dispatch = _entry(recorded["path"], "/ds/orders/dispatch")
    assert dispatch["request"]["method"] == "POST" and dispatch["response"]["status"] == 202


def test_proxy_upstream_timeout_answers_504(recorded, fake):
    fake.release.clear()
    r = requests.get(f"{recorded['base']}/slow")
    fake.release.set()
    assert r.status_code == 504
    assert r.json()["error_code"] == "PROXY_UPSTREAM_TIMEOUT"
    assert "did not answer within 1.0 s" in r.json()["error_message"]
    assert _entry(recorded["path"], "/slow")["_ajioSim"]["proxyError"] == "upstream-timeout"


def test_proxy_streams_the_answer_before_the_upstream_finishes(recorded, fake):
    fake.release.clear()
    with requests.get(f"{recorded['base']}/stream", stream=True, timeout=5) as r:
        lines = r.iter_lines()
        first = next(lines)          # arrives while the upstream still holds part 2 back
        fake.release.set()
        rest = list(lines)
    assert (first, rest) == (b'{"part": 1}', [b'{"part": 2}'])
    assert _entry(recorded["path"], "/stream")["response"]["content"]["text"] == '{"part": 1}\n{"part": 2}\n'


@pytest.mark.parametrize("path", ["/broken", "/broken-chunked"], ids=["content-length", "chunked"])
def test_proxy_upstream_break_reaches_the_client_and_is_recorded_incomplete(recorded, path):
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        _ = requests.get(f"{recorded['base']}{path}").content
    entry = _entry(recorded["path"], path)
    assert entry["_ajioSim"]["incomplete"].startswith("the upstream broke off after 30 bytes")
    assert entry["comment"].startswith("INCOMPLETE")
    assert entry["response"]["content"]["text"] == '{"orders": [{"order_id": "FN1"'


def test_proxy_passes_compressed_answers_through_and_records_them_decoded(recorded):
    r = requests.get(f"{recorded['base']}/ds/products", headers={"Accept-Encoding": "gzip"}, stream=True)
    raw = r.raw.read(decode_content=False)
    assert r.headers["Content-Encoding"] == "gzip" and raw[:2] == b"\x1f\x8b"
    response = _entry(recorded["path"], "/ds/products")["response"]
    assert json.loads(response["content"]["text"])["products"] == []
    assert response["bodySize"] == len(raw)
    assert response["content"]["compression"] == response["content"]["size"] - len(raw)


def test_proxy_omits_documents_by_default(recorded):
    r = requests.get(f"{recorded['base']}/documents/D1")
    assert r.content == PDF                                  # the client gets the document
    entry = _entry(recorded["path"], "/documents/D1")
    assert "text" not in entry["response"]["content"] and entry["_ajioSim"]["omitted"] is True
    assert "Priya" not in recorded["path"].read_text()


def test_drift_of_the_fake_recording_finds_every_deliberate_difference(recorded, tmp_path):
    out = tmp_path / "drift.json"
    proc = subprocess.run([ajio_sim_binary(), "drift", str(recorded["path"]), "--json", str(out)],
                          capture_output=True, text=True, timeout=60, env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 1, proc.stdout + proc.stderr
    found = {(d["operation"], d["kind"], d["where"]) for d in json.loads(out.read_text())["drift"]}
    transport = {("GET /slow", "unknown_operation", ""), ("GET /stream", "unknown_operation", ""),
                 ("GET /broken", "unknown_operation", ""), ("GET /broken-chunked", "unknown_operation", "")}
    assert found - transport == DIFFERENCES
    assert "get_pendency" in proc.stdout and "an ISO-8601 date where ours is epoch seconds" in proc.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_proxy_unreachable_upstream_answers_502(tmp_path):
    proxy = ProxyProcess(f"http://127.0.0.1:{_free_port()}", tmp_path / "r.har")
    try:
        r = requests.get(f"{proxy.base_url}/ds/orders/pendency")
    finally:
        proxy.stop()
    assert r.status_code == 502 and r.headers["X-Ajio-Sim-Proxy"] == "upstream-unreachable"
    assert r.json()["error_code"] == "PROXY_UPSTREAM_UNREACHABLE"
    message = r.json()["error_message"]
    assert "cannot reach the upstream" in message and "connection refused" in message
    [entry] = _entries(tmp_path / "r.har")
    assert entry["_ajioSim"]["proxyError"] == "upstream-unreachable"


def test_proxy_keep_documents_records_them(fake, tmp_path):
    proxy = ProxyProcess(fake.base_url, tmp_path / "r.har", "--keep-documents")
    try:
        requests.get(f"{proxy.base_url}/documents/D1")
    finally:
        proxy.stop()
    [entry] = _entries(tmp_path / "r.har")
    assert entry["response"]["content"]["encoding"] == "base64"


def test_proxy_rewrite_links_sends_documents_through_the_proxy(fake, tmp_path):
    proxy = ProxyProcess(fake.base_url, tmp_path / "r.har", "--rewrite-links")
    try:
        r = requests.post(f"{proxy.base_url}/ds/orders/dispatch", json={"dispatchItems": []})
    finally:
        proxy.stop()
    assert r.json()["manifestUrl"] == f"{proxy.base_url}/documents/D1"
    [entry] = _entries(tmp_path / "r.har")
    assert json.loads(entry["response"]["content"]["text"])["manifestUrl"] == f"{fake.base_url}/documents/D1"


def test_proxy_refuses_to_overwrite_a_recording(tmp_path):
    existing = tmp_path / "r.har"
    existing.write_text("{}")
    proc = subprocess.run([ajio_sim_binary(), "proxy", "--upstream", "http://127.0.0.1:9", "--record", str(existing),
                           "--port", "0"], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 2 and "exists: pass --overwrite" in proc.stderr
    assert existing.read_text() == "{}"


def test_proxy_refuses_an_upstream_that_is_not_a_url(tmp_path):
    proc = subprocess.run([ajio_sim_binary(), "proxy", "--upstream", "ajio.com", "--record", str(tmp_path / "r.har")],
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode == 2 and "--upstream must be an http(s) base URL" in proc.stderr


def test_proxy_stopped_mid_exchange_still_records_it(fake, tmp_path):
    """SIGTERM while an answer is on its way: the proxy lets it finish and land in the file before exiting."""
    import threading
    fake.release.clear()
    proxy = ProxyProcess(fake.base_url, tmp_path / "r.har", "--timeout", "1")
    before = len(fake.seen)
    got: list[requests.Response] = []
    client = threading.Thread(target=lambda: got.append(requests.get(f"{proxy.base_url}/slow", timeout=10)))
    client.start()
    deadline = time.monotonic() + 5
    while not any(s["path"] == "/slow" for s in fake.seen[before:]) and time.monotonic() < deadline:
        time.sleep(0.01)   # the request reached the upstream: it is in flight in the proxy
    assert proxy.stop() == 0
    client.join(10)
    fake.release.set()
    assert got[0].status_code == 504
    [entry] = _entries(tmp_path / "r.har")
    assert entry["response"]["status"] == 504 and "recorded 1 exchange(s)" in proxy.text()


def test_proxy_upstream_path_prefix_is_kept_for_drift_and_dropped_for_replay(fake, tmp_path):
    """AJIO's per-integrator prefix lives in --upstream: the connector calls /orders/pendency on the proxy."""
    from harness.recording.har import load
    proxy = ProxyProcess(f"{fake.base_url}/ds", tmp_path / "r.har")
    try:
        r = requests.get(f"{proxy.base_url}/orders/pendency", headers={"apiKey": TOKEN})
    finally:
        proxy.stop()
    assert r.status_code == 200 and fake.seen[-1]["path"] == "/ds/orders/pendency"
    [exchange] = load(tmp_path / "r.har")[1]
    assert (exchange.path, exchange.called) == ("/ds/orders/pendency", "/orders/pendency")

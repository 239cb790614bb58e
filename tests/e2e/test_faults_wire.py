"""Transport faults on the wire, against the real `ajio-sim serve`: a reset is a reset, a cut body is cut."""
from __future__ import annotations

import json
import socket
from urllib.parse import urlparse

import pytest
import requests

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module", params=["1", "2"], ids=["workers1", "workers2"])
def server(request, tmp_path_factory):
    """The one-process server (werkzeug) and `--workers 2` (gunicorn + waitress): each cuts the wire."""
    from fixtures.simclient import ServerProcess
    proc = ServerProcess(tmp_path_factory.mktemp("wire") / "sim.sqlite3", "--workers", request.param)
    yield proc
    proc.stop()


@pytest.fixture
def pob(live):
    """A fresh POB, its token, and the fault rules added for it (removed afterwards: the server is shared)."""
    seller = live.seller()
    added: list[int] = []

    class P:
        pob_id = seller["pob_id"]
        token = live.login(seller)
        url = live.http.base_url

        @staticmethod
        def fault(*effects, **rule):
            rule.setdefault("match", {})["pob_id"] = seller["pob_id"]
            r = live.control("POST", "/faults", {"effects": list(effects), **rule}, expect=201)
            added.append(r.json["id"])
            return r.json

        @staticmethod
        def journal(path: str) -> list[dict]:
            return live.control("GET", f"/journal?pob_id={seller['pob_id']}&path={path}", expect=200).json["entries"]

    yield P
    for rule_id in added:
        live.control("DELETE", f"/faults/{rule_id}", expect=200)


def get(p, path: str, **kw) -> requests.Response:
    return requests.get(p.url + path, headers={"apiKey": p.token}, timeout=10, **kw)


def raw_exchange(p, path: str) -> bytes:
    """One HTTP/1.1 request on a bare socket, and every byte the server sent until it closed."""
    host = urlparse(p.url)
    with socket.create_connection((host.hostname, host.port), timeout=10) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: {host.netloc}\r\napiKey: {p.token}\r\n\r\n".encode())
        out = b""
        while chunk := s.recv(65536):
            out += chunk
        return out


def test_reset_before_processing_is_a_tcp_reset(pob):
    pob.fault({"kind": "reset"}, match={"path": "/ds/orders/pendency"})
    host = urlparse(pob.url)
    with socket.create_connection((host.hostname, host.port), timeout=10) as s:
        s.sendall(f"GET /ds/orders/pendency HTTP/1.1\r\nHost: x\r\napiKey: {pob.token}\r\n\r\n".encode())
        with pytest.raises(ConnectionResetError):
            s.recv(65536)


def test_reset_seen_by_requests_as_connection_error_and_journaled(pob):
    pob.fault({"kind": "reset"}, match={"path": "/ds/orders/pendency"}, times=1)
    with pytest.raises(requests.ConnectionError) as caught:
        get(pob, "/ds/orders/pendency")
    assert "reset" in str(caught.value).lower()
    assert get(pob, "/ds/orders/pendency").status_code == 200  # times=1: spent
    first, second = pob.journal("/ds/orders/pendency")[-2:]
    assert first["status"] == 0 and first["faults"][0]["kind"] == "reset"
    assert second["status"] == 200 and second["faults"] is None


def test_reset_before_leaves_the_request_unprocessed(live, pob):
    [order_id] = live.place(pob.pob_id)
    pob.fault({"kind": "reset"}, match={"method": "POST", "path": "/ds/orders"})
    with pytest.raises(requests.ConnectionError):
        requests.post(pob.url + "/ds/orders", headers={"apiKey": pob.token}, timeout=10,
                      json={"order_id": order_id, "status": "Acknowledge", "order_lines": []})
    assert live.state(order_id)["status"] == "CREATED"


def test_reset_after_processing_applies_the_request_and_loses_the_answer(live, pob):
    [order_id] = live.place(pob.pob_id)
    pob.fault({"kind": "reset", "phase": "after"}, match={"method": "POST", "path": "/ds/orders"}, times=1)
    body = {"order_id": order_id, "status": "Acknowledge", "order_lines": []}
    with pytest.raises(requests.ConnectionError):
        requests.post(pob.url + "/ds/orders", headers={"apiKey": pob.token}, json=body, timeout=10)
    assert live.state(order_id)["status"] == "CONFIRMED"
    # The connector's retry is answered as the first call was: idempotent.
    retry = requests.post(pob.url + "/ds/orders", headers={"apiKey": pob.token}, json=body, timeout=10)
    assert retry.status_code == 200 and retry.json()["failed_items"] == []
    [entry] = [e for e in pob.journal("/ds/orders") if e["method"] == "POST"][-2:-1]
    assert entry["faults"][0]["processed_status"] == 200


def test_truncated_json_with_consistent_content_length(pob):
    pob.fault({"kind": "truncate", "bytes": 25}, match={"path": "/ds/products"})
    r = get(pob, "/ds/products")
    assert r.status_code == 200 and len(r.content) == 25 == int(r.headers["Content-Length"])
    with pytest.raises(ValueError):
        json.loads(r.content)


def test_truncated_on_the_wire_declares_more_than_it_sends(pob):
    pob.fault({"kind": "truncate", "bytes": 40, "wire": True}, match={"path": "/ds/products"})
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        get(pob, "/ds/products")
    head, _, sent = raw_exchange(pob, "/ds/products").partition(b"\r\n\r\n")
    declared = int([line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")][0])
    assert len(sent) == 40 < declared


def test_status_fault_answers_ajio_error_body(pob):
    pob.fault({"kind": "status", "status": 503, "error_message": "Service Unavailable"},
              match={"method": "GET", "path": "/ds/orders/**"})
    r = get(pob, "/ds/orders/pendency")
    assert r.status_code == 503
    assert r.json() == {"status": "FAILED", "error_message": "Service Unavailable", "error_code": "SERVICE_UNAVAILABLE"}
    assert get(pob, "/ds/products").status_code == 200  # outside the pattern


def test_throttle_fault_is_429_with_retry_after(pob):
    pob.fault({"kind": "throttle", "retry_after": 7})
    r = get(pob, "/ds/products")
    assert r.status_code == 429 and r.headers["Retry-After"] == "7"
    assert r.json()["error_code"] == "TOO_MANY_REQUESTS"


def test_empty_body_keeps_status_and_sends_nothing(pob):
    pob.fault({"kind": "empty_body"})
    r = get(pob, "/ds/products")
    assert r.status_code == 200 and r.content == b"" and r.headers["Content-Length"] == "0"


def test_malformed_body_is_not_json(pob):
    pob.fault({"kind": "malformed"})
    r = get(pob, "/ds/products")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/json")
    with pytest.raises(ValueError):
        json.loads(r.content)


def test_latency_is_real_time_and_journaled(pob):
    pob.fault({"kind": "latency", "ms": 30})
    assert get(pob, "/ds/products").status_code == 200
    [entry] = pob.journal("/ds/products")[-1:]
    assert entry["faults"] == [{"rule_id": entry["faults"][0]["rule_id"], "name": None, "kind": "latency", "ms": 30.0}]
    assert entry["duration_ms"] >= 30  # a lower bound only: the sleep happened inside the request


def test_effects_compose_status_then_truncation(pob):
    pob.fault({"kind": "status", "status": 502}, {"kind": "truncate", "bytes": 10})
    r = get(pob, "/ds/products")
    assert r.status_code == 502 and r.content == b'{"status":'
    [entry] = pob.journal("/ds/products")[-1:]
    assert [f["kind"] for f in entry["faults"]] == ["status", "truncate"]
    assert entry["response_body"] == '{"status":'


def test_auth_token_path_gets_faults_too(pob):
    """A login is matched by the POB it names (the username), before any password check."""
    pob.fault({"kind": "status", "status": 500}, match={"path": "/ds/authToken"})
    r = requests.post(pob.url + "/ds/authToken", json={"username": pob.pob_id, "password": "x" * 8}, timeout=10)
    assert r.status_code == 500

"""simulator/embedded.py: a server started on a recycled app answers exactly what a fresh app answers.

The pool exists for speed only (the harness starts one server per scenario); these tests are its
equivalence test: the same calls give the same answers, ids, tokens and journal on a fresh app and
on one a previous server used with other settings; a stopped server's clients reach nothing more.
"""
from __future__ import annotations

import http.client
import json
import re

from fixtures.simclient import T0
from simulator import embedded
from simulator.embedded import InProcessServer


def _call(conn: http.client.HTTPConnection, method: str, path: str, body=None, headers=None):
    conn.request(method, path, json.dumps(body) if body is not None else None,
                 {"Content-Type": "application/json", **(headers or {})})
    r = conn.getresponse()
    return r.status, r.read().decode()


def _story(server: InProcessServer) -> list:
    """Sellers, orders, a login, a pendency page, an acknowledgement, the clock and the journal."""
    conn = http.client.HTTPConnection("127.0.0.1", server.server.server_port, timeout=10)
    out = [_call(conn, "GET", "/_sim/sellers")]
    status, pob = _call(conn, "POST", "/_sim/sellers", {"model": "ds"})
    pob = json.loads(pob)
    out.append((status, pob))
    out.append(_call(conn, "POST", "/_sim/orders", {"pob_id": pob["pob_id"], "count": 3}))
    status, login = _call(conn, "POST", "/ds/authToken", {"username": pob["pob_id"], "password": pob["password"]})
    token = json.loads(login)["result"]["accessToken"]
    out += [(status, login), _call(conn, "GET", "/ds/orders/pendency", headers={"apiKey": token})]
    order_id = json.loads(out[-1][1])["orders"][0]["order_id"]
    out.append(_call(conn, "POST", "/ds/orders", {"order_id": order_id, "status": "Acknowledge", "order_lines": []},
                     {"apiKey": token}))
    out += [_call(conn, "GET", "/_sim/clock"), _call(conn, "GET", "/_sim/journal")]
    conn.close()
    # Tokens are secrets drawn fresh on every login (simulator/ids.py), never seeded, and the journal's
    # durations are wall time: both compared as shapes.
    return [(status, re.sub(r'"duration_ms":\d+', '"duration_ms":0', re.sub(
        r'(Token\\?": ?\\?")[^"\\]+', r"\1<token>", text)) if isinstance(text, str) else text) for status, text in out]


def _fresh_pool(monkeypatch) -> None:
    monkeypatch.setattr(embedded, "_idle", [])


def test_embedded_recycled_app_answers_what_a_fresh_app_answers(monkeypatch):
    _fresh_pool(monkeypatch)
    first = InProcessServer(seed=7, start=T0)
    fresh = _story(first)
    first.stop()
    # The next server reuses that app, after a different world with other settings has used it.
    other = InProcessServer(seed=99, start=T0 + 5000, po_lag=60)
    assert other.app is first.app
    assert _story(other) != fresh
    other.stop()
    again = InProcessServer(seed=7, start=T0)
    assert again.app is first.app
    assert _story(again) == fresh
    sim = again.app.extensions["ajio_sim"]
    assert (sim.config.seed, sim.config.frozen_at, sim.config.po_lag) == (7, T0, 1800)
    again.stop()


def test_embedded_stopped_server_answers_no_more_requests(monkeypatch):
    _fresh_pool(monkeypatch)
    server = InProcessServer(seed=7, start=T0)
    conn = http.client.HTTPConnection("127.0.0.1", server.server.server_port, timeout=10)
    assert _call(conn, "GET", "/_sim/health")[0] == 200  # a kept-alive connection, as connectors hold them
    server.stop()
    nxt = InProcessServer(seed=7, start=T0)
    assert nxt.app is server.app
    try:
        status, text = _call(conn, "POST", "/_sim/sellers", {"model": "ds"})
    except (ConnectionError, http.client.HTTPException):  # or the socket is gone: either way nothing reached it
        status, text = None, ""
    assert status in (None, 503), (status, text)
    with nxt.app.extensions["ajio_sim"].store.read() as c:
        from sqlalchemy import func, select

        from simulator.store import pobs
        assert c.execute(select(func.count()).select_from(pobs)).scalar() == 0
    nxt.stop()


# -- keep-alive (simulator/embedded.py _KeepAlive) ----------------------------------------------------------
def _tiny_server(app):
    import threading

    from werkzeug.serving import make_server
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=embedded._KeepAlive)
    server.open_connections = set()
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    return server


def _never_reads(environ, start_response):
    """Answers without reading the request body, as a refusal before parsing does."""
    start_response("401 UNAUTHORIZED", [("Content-Type", "text/plain")])
    return [f"{environ['REQUEST_METHOD']} {environ['PATH_INFO']}".encode()]


def _raw(sock, request: bytes) -> bytes:
    """Sends a request and reads one answer (headers and a Content-Length body) off a raw socket."""
    sock.sendall(request)
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    head, _, rest = data.partition(b"\r\n\r\n")
    length = int(re.search(rb"Content-Length: (\d+)", head).group(1))
    while len(rest) < length:
        rest += sock.recv(65536)
    return head + b"\r\n\r\n" + rest


def test_embedded_keeps_the_connection_across_calls(monkeypatch):
    _fresh_pool(monkeypatch)
    server = InProcessServer(seed=7, start=T0)
    try:
        conn = http.client.HTTPConnection("127.0.0.1", server.server.server_port, timeout=10)
        assert _call(conn, "GET", "/_sim/health")[0] == 200
        first = conn.sock
        status, _ = _call(conn, "POST", "/_sim/sellers", {"model": "ds"})
        assert status == 201
        assert conn.sock is first and first is not None  # the same TCP connection answered both
        assert len(server.server.open_connections) == 1
    finally:
        server.stop()
    assert _call_fails(conn)  # stop() ended the kept-alive connection: nothing reaches the next world


def _call_fails(conn) -> bool:
    try:
        _call(conn, "GET", "/_sim/health")
    except (ConnectionError, http.client.HTTPException, OSError):
        return True
    return False


def test_embedded_unread_body_is_drained_and_the_connection_kept():
    import socket
    server = _tiny_server(_never_reads)
    try:
        with socket.create_connection(server.server_address, timeout=10) as sock:
            body = b"x" * 200_000
            first = _raw(sock, b"POST /first HTTP/1.1\r\nHost: t\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
            assert first.startswith(b"HTTP/1.1 401") and b"Connection: close" not in first
            # Had the body's bytes been left unread, they would be parsed as this request's line.
            second = _raw(sock, b"GET /second HTTP/1.1\r\nHost: t\r\n\r\n")
            assert second.startswith(b"HTTP/1.1 401") and second.endswith(b"GET /second")
    finally:
        server.shutdown()
        server.server_close()


def test_embedded_closes_after_a_body_too_big_to_drain(monkeypatch):
    import socket
    monkeypatch.setattr(embedded, "DRAIN_BODY_MAX", 1000)
    server = _tiny_server(_never_reads)
    try:
        with socket.create_connection(server.server_address, timeout=10) as sock:
            body = b"x" * 5000
            answer = _raw(sock, b"POST /big HTTP/1.1\r\nHost: t\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
            assert answer.startswith(b"HTTP/1.1 401") and b"Connection: close" in answer
    finally:
        server.shutdown()
        server.server_close()


def test_embedded_closes_when_asked_and_after_a_chunked_body():
    import socket
    server = _tiny_server(_never_reads)
    try:
        with socket.create_connection(server.server_address, timeout=10) as sock:
            answer = _raw(sock, b"GET /bye HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
            assert b"Connection: close" in answer
            assert sock.recv(10) == b""  # the server closed its end
        with socket.create_connection(server.server_address, timeout=10) as sock:
            answer = _raw(sock, b"POST /c HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n")
            assert b"Connection: close" in answer
    finally:
        server.shutdown()
        server.server_close()


def test_apps_are_built_one_at_a_time(monkeypatch):
    """Scenario threads (`--jobs`) build their simulators at once: building compiles URL rules, and CPython before
    3.13 cannot build ASTs in two threads at once (python/cpython#106905, a SystemError seen in CI). The builds are
    serialised; a stand-in builder records how many run together."""
    import threading
    import time


    running, most, lock = [0], [0], threading.Lock()

    def build(config):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.05)
        with lock:
            running[0] -= 1
        return object()

    monkeypatch.setattr(embedded, "create_app", build)
    monkeypatch.setattr(embedded, "_idle", [])
    threads = [threading.Thread(target=embedded._app, args=({},)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert most[0] == 1


def test_embedded_wire_truncation_sends_the_head_and_the_kept_bytes():
    """A `truncate` fault with `wire: true` (docs/faults.md): the client gets the head with the whole body's
    Content-Length and the bytes kept, then the connection ends: http.client's IncompleteRead, as from `ajio-sim
    serve`. (The in-process server used to cut the socket before it had sent anything: an ordinary closed
    connection, so a client mishandling a half-read body passed every scenario.)"""
    server = InProcessServer(seed=3, start=T0)
    try:
        conn = http.client.HTTPConnection("127.0.0.1", server.server.server_port, timeout=10)
        _, pob = _call(conn, "POST", "/_sim/sellers", {"model": "ds"})
        pob = json.loads(pob)
        status, _ = _call(conn, "POST", "/_sim/faults", {"match": {"method": "POST", "path": "/ds/authToken"},
                                                         "effects": [{"kind": "truncate", "bytes": 12, "wire": True}]})
        assert status == 201
        conn.request("POST", "/ds/authToken", json.dumps({"username": pob["pob_id"], "password": pob["password"]}),
                     {"Content-Type": "application/json"})
        r = conn.getresponse()
        assert r.status == 200 and int(r.headers["Content-Length"]) > 12
        try:
            r.read()
        except http.client.IncompleteRead as exc:
            assert len(exc.partial) == 12 and exc.partial.startswith(b"{")
        else:
            raise AssertionError("the whole body arrived")
        conn.close()
    finally:
        server.stop()

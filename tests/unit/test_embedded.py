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

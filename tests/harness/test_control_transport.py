"""The harness's control calls to a simulator in its own process go to the app directly (harness/world.py, `wsgi`):
they must answer exactly as the same calls over HTTP do, refusals and all, and reach nothing once the server stops."""
from __future__ import annotations

import pytest

from fixtures.simclient import T0
from harness.world import Control, StepFailed
from simulator.embedded import InProcessServer


@pytest.fixture
def server():
    server = InProcessServer(seed=5, start=T0)
    yield server
    server.stop()


@pytest.fixture
def both(server):
    """The same server through both transports."""
    http, local = Control(server.base_url), Control(server.base_url, wsgi=server.wsgi)
    yield http, local
    http.close()
    local.close()


def _ids(block: dict) -> list[str]:
    return [o["order_id"] for o in block["orders"]]


def test_answers_match_over_http_and_in_process(both):
    http, local = both
    assert local.get("/clock") == http.get("/clock")
    pob = local.call("POST", "/sellers", {"model": "ds", "catalog_size": 20}, expect=201)
    # what one transport made, the other sees: one app, one world
    assert pob["pob_id"] in {s["pob_id"] for s in http.get("/sellers")["sellers"]}
    http.call("POST", "/orders", {"pob_id": pob["pob_id"], "count": 3}, expect=201)
    # a query in the path, and absolute URLs built for the server's own address, not the test client's default host
    assert local.all_orders(pob["pob_id"]) == http.all_orders(pob["pob_id"])
    assert _ids(local.get(f"/orders?pob_id={pob['pob_id']}&page=0&size=2")) == \
        _ids(http.get(f"/orders?pob_id={pob['pob_id']}&page=0&size=2"))
    assert local.journal(pob["pob_id"]) == http.journal(pob["pob_id"])


def test_a_refusal_raises_with_the_simulators_status_and_body(both):
    http, local = both
    caught = []
    for control in (http, local):
        with pytest.raises(StepFailed) as exc:
            control.call("POST", "/sellers", {"model": "nope"})
        caught.append(exc.value)
    assert caught[0].status == caught[1].status and 400 <= caught[1].status < 500
    assert caught[0].body == caught[1].body and caught[1].body  # the JSON refusal, naming the field
    assert str(caught[0]) == str(caught[1])
    with pytest.raises(StepFailed, match="answered 201"):  # `expect` is checked as over HTTP
        local.call("POST", "/sellers", {"model": "ds", "catalog_size": 5}, expect=200)


def test_send_gives_status_and_body_of_any_call(both):
    http, local = both
    for control in both:
        answer = control.send("GET", "/nowhere-at-all")
        assert answer.status_code == 404 and not answer.ok
    assert local.send("GET", "/clock").json()["now"] == http.send("GET", "/clock").json()["now"]


def test_a_stopped_server_reaches_nothing_in_process(server):
    local = Control(server.base_url, wsgi=server.wsgi)
    local.get("/clock")
    server.stop()
    with pytest.raises(StepFailed, match="503"):
        local.get("/clock")


def _echo(environ, start_response):
    """A WSGI app answering with what it was handed."""
    import json
    body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    seen = {k: environ.get(k) for k in ("REQUEST_METHOD", "PATH_INFO", "QUERY_STRING", "HTTP_HOST", "SERVER_NAME",
                                        "SERVER_PORT", "CONTENT_TYPE", "HTTP_X_ADMIN_TOKEN")}
    start_response("200 OK", [("Content-Type", "application/json")])
    return [json.dumps({**seen, "body": body.decode()}).encode()]


def test_in_process_calls_carry_the_servers_address_the_query_the_body_and_the_admin_token():
    """The app builds absolute URLs (documents in ERP postings) from the request's host: a call handed to it in
    process must name the server's own address, as the same call over HTTP does."""
    control = Control("http://127.0.0.1:5599/", admin_token="s3cret", wsgi=_echo)
    seen = control.call("POST", "/orders?pob_id=P1", {"count": 2})
    assert seen == {"REQUEST_METHOD": "POST", "PATH_INFO": "/_sim/orders", "QUERY_STRING": "pob_id=P1",
                    "HTTP_HOST": "127.0.0.1:5599", "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "5599",
                    "CONTENT_TYPE": "application/json", "HTTP_X_ADMIN_TOKEN": "s3cret", "body": '{"count": 2}'}
    csv = control.post_csv("/catalogue", b"sku,qty\nA,1\n", {"pob_id": "P1", "replace": "true"})
    assert (csv["QUERY_STRING"], csv["CONTENT_TYPE"], csv["body"]) == ("pob_id=P1&replace=true", "text/csv",
                                                                       "sku,qty\nA,1\n")

"""simulator/fast/jsonfast.py: orjson's answers and column reads equal stdlib json's, with the fallback kept."""
from __future__ import annotations

import json
from decimal import Decimal

import pytest
from flask import Flask
from flask.json.provider import DefaultJSONProvider

from simulator.fast.jsonfast import loads
from simulator.fast.jsonprovider import FastJSON

SAMPLES = [
    {"orders": [{"order_id": "FN1", "total_amount": 1299.5, "lines": [{"qty": 2, "ok": True, "note": None}]}],
     "page": {"number": 0, "size": 20, "totalElements": 1, "totalPages": 1}},
    {"unicode": "नमस्ते ₹", "nested": {"b": [1, 2.25, "x"], "a": {}}, "empty": []},
    [1, -7, 0.1, 1e-7, 12345678901234, "🧵"],
]


@pytest.fixture()
def providers():
    app = Flask(__name__)
    plain = DefaultJSONProvider(app)
    plain.sort_keys = False
    return FastJSON(app), plain, app


@pytest.mark.parametrize("obj", SAMPLES, ids=["page", "unicode", "list"])
def test_dumps_gives_the_values_and_key_order_of_stdlib_json(providers, obj):
    fast, plain, _ = providers
    assert json.loads(fast.dumps(obj)) == json.loads(plain.dumps(obj))
    assert list(json.loads(fast.dumps(obj))) == list(json.loads(plain.dumps(obj)))


@pytest.mark.parametrize("obj", SAMPLES, ids=["page", "unicode", "list"])
def test_response_body_parses_to_what_the_plain_provider_answers(providers, obj):
    fast, plain, app = providers
    with app.app_context():
        assert json.loads(fast.response(obj).get_data()) == json.loads(plain.response(obj).get_data())


def test_dumps_falls_back_to_stdlib_for_what_orjson_refuses(providers):
    fast, plain, _ = providers
    big = {"amount": Decimal("10.50"), "huge": 2 ** 70}
    assert json.loads(fast.dumps(big)) == json.loads(plain.dumps(big))


def test_loads_reads_what_json_reads_including_ints_beyond_64_bits():
    for text in ('{"a": [1, 2.5, null, true]}', '{"huge": 1180591620717411303424}', '"₹"'):
        assert loads(text) == json.loads(text)

"""simulator/fast/dumpfast.py answers exactly what marshmallow's dump answers (values, types, key order)."""
from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from marshmallow import Schema, fields, post_dump

from contracts import ds as c
from simulator.fast.dumpfast import fast_dump


class Line(Schema):
    sku = fields.String()
    qty = fields.Integer()
    price = fields.Float()


class Shout(fields.String):
    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else str(value).upper()


class Hooked(Schema):
    name = fields.String()

    @post_dump
    def mark(self, data, **kwargs):
        return {**data, "hooked": True}


class Order(Schema):
    order_id = fields.String(required=True)
    renamed = fields.String(data_key="renamedKey")
    source = fields.Integer(attribute="src")
    count = fields.Integer()
    amount = fields.Float()
    paid = fields.Boolean()
    as_text = fields.Integer(as_string=True)
    shout = Shout()
    defaulted = fields.String(dump_default="dflt")
    raw = fields.Raw()
    line = fields.Nested(Line, allow_none=True)
    lines = fields.List(fields.Nested(Line))
    many_lines = fields.Nested(Line, many=True)
    tags = fields.List(fields.String())
    hooked = fields.Nested(Hooked)
    money = fields.Decimal()


CASES = [
    {},
    {"order_id": "A1", "renamed": "r", "src": 7, "count": 3, "amount": 2.5, "paid": True, "as_text": 4,
     "shout": "x", "raw": {"k": [1]}, "line": {"sku": "S", "qty": 1, "price": 10},
     "lines": [{"sku": "a", "qty": "2", "price": 1.5}, {}], "many_lines": [{"qty": 5.0}],
     "tags": ["t", 3, None], "hooked": {"name": "n"}, "money": "1.10"},
    {"order_id": 12, "count": "5", "amount": 3, "paid": None, "line": None, "lines": None, "tags": None,
     "source": 9, "defaulted": None, "hooked": None},
    {"order_id": None, "count": True, "amount": "2.25", "keys": "a dict attribute name"},
]


def same(a, b) -> bool:
    return json.dumps(a, default=str) == json.dumps(b, default=str)


@pytest.mark.parametrize("obj", CASES)
def test_equal_to_marshmallow(obj):
    schema = Order()
    assert same(fast_dump(schema, obj), schema.dump(obj))


def test_objects_that_are_not_dicts_and_hooked_schemas_take_marshmallows_path():
    obj = SimpleNamespace(order_id="A", count=2, line=SimpleNamespace(sku="s", qty=1, price=1.0))
    assert same(fast_dump(Order(), obj), Order().dump(obj))
    assert fast_dump(Hooked(), {"name": "n"}) == {"name": "n", "hooked": True}


def test_a_type_mismatch_is_converted_as_marshmallow_converts_it():
    out = fast_dump(Order(), {"count": "5", "amount": 3, "as_text": 4, "shout": "x"})
    assert out == {"count": 5, "amount": 3.0, "as_text": "4", "shout": "X", "defaulted": "dflt"}
    assert type(out["amount"]) is float


def test_a_pendency_shaped_answer():
    order = {name: None for name in c.PendencyOrder().fields}
    data = {"orders": [order], "page": {"number": 0, "size": 20, "totalElements": 1, "totalPages": 1}}
    schema = c.PendencyResponse()
    assert same(fast_dump(schema, data), schema.dump(data))

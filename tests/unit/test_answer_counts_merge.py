"""The answer audit over several pytest-xdist workers (tests/conftest.py): each worker exports what the
answers it checked carried, and the controller judges the sum, as one process would have."""
from __future__ import annotations

import json

from contracts.answers import AnswerChecker

DOC = {"openapi": "3.0.3", "paths": {"/thing": {"get": {"operationId": "getThing", "responses": {"200": {
    "description": "a thing", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}}}}},
    "components": {"schemas": {"Thing": {"type": "object", "required": ["id"], "additionalProperties": False,
                                         "properties": {"id": {"type": "string"}, "note": {"type": "string"}}}}}}


def _worker(*bodies: dict) -> dict:
    checker = AnswerChecker(DOC)
    for body in bodies:
        assert checker.check("getThing", 200, body) == []
    return json.loads(json.dumps(checker.export_seen()))  # what travels from a worker to the controller


def test_an_optional_property_absent_on_one_worker_only_is_not_loose():
    merged = AnswerChecker(DOC)
    merged.merge_seen(_worker({"id": "a", "note": "x"}))
    assert merged.always_present_optional() == {"Thing": ["note"]}  # one worker alone would call it loose
    merged.merge_seen(_worker({"id": "b"}))
    assert merged.always_present_optional() == {}


def test_an_optional_property_present_on_every_worker_is_loose():
    merged = AnswerChecker(DOC)
    for exported in (_worker({"id": "a", "note": "x"}), _worker({"id": "b", "note": "y"}, {"id": "c", "note": "z"})):
        merged.merge_seen(exported)
    assert merged.always_present_optional() == {"Thing": ["note"]}
    assert merged.seen["Thing"].objects == 3 and merged.seen["Thing"].present["note"] == 3

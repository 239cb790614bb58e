"""Schema names a generated client can live with: openapi-python-client names a model after its schema and
its fields after theirs, and a model whose field has the model's own name (Redelivered.redelivered,
Changes.changes) fails mypy --strict in the generated from_dict. Checked here, without generating."""
from __future__ import annotations

import re

from marshmallow import Schema

from contracts import control_answers


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def test_no_control_answer_schema_has_a_field_named_after_itself():
    clashes = []
    for name, obj in vars(control_answers).items():
        if isinstance(obj, type) and issubclass(obj, Schema) and obj is not Schema:
            if _snake(name) in obj._declared_fields:
                clashes.append(f"{name}.{_snake(name)}")
    assert clashes == []

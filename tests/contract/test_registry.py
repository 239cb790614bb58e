"""The registry is complete: every AJIO-facing URL rule of the app has an entry, and each entry a route."""
from __future__ import annotations

import re

import pytest

from contracts.registry import OPERATIONS, Operation, register
from simulator.app import create_app

# Served by the simulator but not AJIO's: the control plane and the contract's own documents.
NOT_AJIO = ("control", "docs")


def _ajio_rules(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.endpoint.split(".")[0] in NOT_AJIO or rule.rule.startswith("/_sim"):
            continue
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            yield method.lower(), path, rule.endpoint


@pytest.fixture(scope="module")
def flask_app():
    return create_app({"db_url": "sqlite://"})


def test_every_ajio_facing_route_has_a_registry_entry(flask_app):
    """A new /jit or /vms route without an entry in contracts/registry.py turns this red."""
    documented = {(op.method, op.path) for op in OPERATIONS}
    missing = [f"{m.upper()} {p} ({e})" for m, p, e in _ajio_rules(flask_app) if (m, p) not in documented]
    assert not missing, "routes without a contracts/registry.py entry: " + ", ".join(missing)


def test_every_registry_entry_is_served(flask_app):
    served = {(m, p) for m, p, _ in _ajio_rules(flask_app)}
    ghosts = [f"{op.method.upper()} {op.path}" for op in OPERATIONS if (op.method, op.path) not in served]
    assert not ghosts, ghosts


def test_operation_id_is_the_view_name(flask_app):
    """DESIGN.md rule 2: one name per operation (view, domain function, operationId). Dropship, the logins
    and /documents use the bare view name; another model's views take its prefix (jit_pack), since an
    OpenAPI document needs unique operationIds."""
    by_route = {(m, p): e for m, p, e in _ajio_rules(flask_app)}
    for op in OPERATIONS:
        blueprint, view = by_route[(op.method, op.path)].split(".")
        expected = view if blueprint in ("ds", "auth", "documents") else f"{blueprint}_{view}"
        assert op.operation_id == expected, op


def test_register_refuses_a_duplicate_route_or_operation_id():
    first = OPERATIONS[0]
    clone = Operation(first.operation_id, "get", "/nowhere", "x", "x", "API.md", ok={200: (None, "x")})
    with pytest.raises(ValueError, match="duplicate"):
        register(clone)
    with pytest.raises(ValueError, match="duplicate"):
        register(Operation("brand_new", first.method, first.path, "x", "x", "API.md", ok={200: (None, "x")}))
    assert OPERATIONS[-1].operation_id != "brand_new"

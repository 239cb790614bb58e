"""contracts/vms.py and contracts/erp.py name every VMS and ERP-layer operation once, and the app
serves exactly those (API.md pinned paths; DESIGN rule 2: one name per operation)."""
from __future__ import annotations

import re

import pytest
from marshmallow import Schema

from contracts import erp, vms
from simulator.app import create_app

CASES = [("vms", op, spec) for op, spec in vms.OPERATIONS.items()] + \
        [("erp", op, spec) for op, spec in erp.OPERATIONS.items()]


@pytest.fixture(scope="module")
def rules():
    app = create_app({"db_url": "sqlite://"})
    return {(m, re.sub(r"<([^>]+)>", r"{\1}", r.rule)): r.endpoint
            for r in app.url_map.iter_rules() for m in r.methods if m in ("GET", "POST")}


@pytest.mark.parametrize("blueprint,op,spec", CASES, ids=[f"{b}.{o}" for b, o, _ in CASES])
def test_every_operation_is_served_by_the_view_of_its_name(rules, blueprint, op, spec):
    method, path, request, answer = spec
    assert rules.get((method, path)) == f"{blueprint}.{op}"
    assert request is None or issubclass(request, Schema)
    assert issubclass(answer, Schema)


def test_every_vms_and_erp_route_is_an_operation(rules):
    served = {(m, p) for (m, p), endpoint in rules.items() if endpoint.split(".")[0] in ("vms", "erp")}
    declared = {(spec[0], spec[1]) for _, _, spec in CASES}
    assert served == declared


@pytest.mark.parametrize("kind", sorted(erp.POSTING_SCHEMAS))
def test_every_posting_has_a_schema_with_descriptions(kind):
    schema = erp.POSTING_SCHEMAS[kind]
    assert schema.__doc__ and ("seed 002" in schema.__doc__.lower() or "seed 004" in schema.__doc__.lower())


def test_vms_and_erp_schema_names_are_unique_across_contracts():
    """OpenAPI components are named after schema classes: a VMS or ERP schema never shares its name with
    another module's different schema (as contracts/jit.py prefixes Jit*)."""
    import importlib
    import pkgutil

    import contracts

    seen: dict[str, set] = {}
    for info in pkgutil.iter_modules(contracts.__path__):
        module = importlib.import_module(f"contracts.{info.name}")
        for obj in vars(module).values():
            if isinstance(obj, type) and issubclass(obj, Schema) and obj.__module__ == module.__name__:
                seen.setdefault(obj.__name__, set()).add(obj)
    ours = {n for n, classes in seen.items() for cls in classes if cls.__module__ in ("contracts.vms", "contracts.erp")}
    assert {n: seen[n] for n in ours if len(seen[n]) > 1} == {}

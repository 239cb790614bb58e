"""The JSON Schema of the scenario format (scenarios/scenario.schema.json): valid, true to the catalogue,
in step with the harness's names, published by `ajio-sim scenarios schema` and in docs/."""
from __future__ import annotations

import datetime
import json
import os
import subprocess
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from contracts.faults import EFFECTS, THROTTLE_GROUPS, THROTTLE_MODES
from contracts.rulebook import ID
from fixtures.simclient import ajio_sim_binary
from harness import vms
from harness.loader import (
    _MATCH,
    _SELLER_KEYS,
    _TOP,
    DOC_KINDS,
    EXPECTATIONS,
    ORDER_STATUSES,
    QC_CODES,
    RETURN_STATUSES,
    STEPS,
    WORLD_KEYS,
    discover,
)
from harness.scenario_schema import render

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_PATH = ROOT / "scenarios" / "scenario.schema.json"
SCHEMA = json.loads(SCHEMA_PATH.read_text())
VALIDATOR = Draft202012Validator(SCHEMA)
MINIMAL = {"name": "n", "model": "ds", "rule": "DS-NO-ORDER-SPLIT", "steps": [{"run_connector": None}]}


def _yaml(path: Path):
    """A scenario as JSON sees it: YAML's native timestamps become ISO text."""
    def norm(x):
        if isinstance(x, (datetime.datetime, datetime.date)):
            return x.isoformat()
        if isinstance(x, dict):
            return {k: norm(v) for k, v in x.items()}
        if isinstance(x, list):
            return [norm(v) for v in x]
        return x
    return norm(yaml.safe_load(path.read_text()))


def _errors(doc) -> list[tuple[list, str]]:
    return [(list(e.absolute_path), e.message) for e in VALIDATOR.iter_errors(doc)]


def test_schema_is_a_valid_draft_2020_12_schema():
    Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("path", discover(ROOT / "scenarios"), ids=lambda p: p.relative_to(ROOT / "scenarios").as_posix())
def test_schema_accepts_every_catalogue_scenario(path):
    assert _errors(_yaml(path)) == []


def test_schema_accepts_the_minimal_scenario():
    assert _errors(MINIMAL) == []


def test_schema_names_every_step_and_expectation_of_the_harness():
    assert set(SCHEMA["$defs"]["step"]["else"]["properties"]) == set(STEPS)
    kinds = set(SCHEMA["$defs"]["expectation"]["properties"]) - {"rule", "note"}
    assert kinds == set(EXPECTATIONS)


def _keys(schema: dict) -> set[str]:
    """The keys a (possibly shorthand) mapping schema allows."""
    full = schema.get("then", schema) if schema.get("if", {}).get("type") == "object" else schema
    return set(full.get("properties", {}))


def test_schema_keys_of_each_step_are_the_loaders():
    """A key added to the loader's tables (or the schema) alone fails here, naming the kind and the key."""
    defs = SCHEMA["$defs"]["step"]["else"]["properties"]
    mismatched = {kind: sorted(_keys(defs[kind]) ^ set(spec)) for kind, (spec, _, _) in STEPS.items()
                  if kind not in ("expect", "advance") and _keys(defs[kind]) != set(spec)}
    assert mismatched == {}


def test_schema_keys_of_each_expectation_are_the_loaders():
    defs = SCHEMA["$defs"]["expectation"]["properties"]
    mismatched = {kind: sorted(_keys(defs[kind]) ^ set(spec)) for kind, (spec, _) in EXPECTATIONS.items()
                  if kind != "requests_in_order" and _keys(defs[kind]) != set(spec)}
    assert mismatched == {}
    assert _keys(defs["requests_in_order"]["else"]) == set(EXPECTATIONS["requests_in_order"][0])
    assert set(SCHEMA["$defs"]["request_match"]["properties"]) == set(_MATCH)


def test_schema_top_world_and_seller_keys_are_the_loaders():
    assert set(SCHEMA["properties"]) == _TOP
    assert set(SCHEMA["$defs"]["seller"]["properties"]) == set(_SELLER_KEYS)
    assert set(SCHEMA["properties"]["world"]["properties"]) == set(WORLD_KEYS)


def test_schema_files_are_what_the_builder_writes():
    """scenarios/ and docs/ carry harness/scenario_schema.py's output: edit the module, then run
    `python -m harness.scenario_schema` (these files are generated)."""
    assert SCHEMA_PATH.read_text() == render()


def test_schema_enums_are_the_harness_and_simulator_names():
    d = SCHEMA["$defs"]
    exp = d["expectation"]["properties"]
    assert exp["order"]["properties"]["status"]["enum"] == list(ORDER_STATUSES)
    assert exp["return"]["properties"]["status"]["enum"] == list(RETURN_STATUSES)
    assert exp["documents_fetched"]["properties"]["kinds"]["items"]["enum"] == list(DOC_KINDS)
    assert d["request_match"]["properties"]["fault"]["enum"] == list(EFFECTS)
    assert d["throttle"]["else"]["enum"] == list(THROTTLE_MODES)
    assert d["throttle"]["then"]["properties"]["limits"]["propertyNames"]["enum"] == list(THROTTLE_GROUPS)
    # A VMS warehouse may report AJIO's QC FAIL reasons too (the loader keeps them to VMS scenarios).
    assert d["step"]["else"]["properties"]["warehouse"]["properties"]["qc"]["additionalProperties"]["enum"] == \
        list(QC_CODES) + list(vms.QC_REASONS)


def test_schema_refuses_an_unknown_step():
    doc = {**MINIMAL, "steps": [{"place_orders": {"count": 2}}, {"cont": 1}]}
    assert _errors(doc) == [(["steps", 1], "Additional properties are not allowed ('cont' was unexpected)")]


def test_schema_refuses_an_unknown_top_level_key():
    assert _errors({**MINIMAL, "setps": []}) == [([], "Additional properties are not allowed ('setps' was unexpected)")]


def test_schema_refuses_a_missing_rule():
    doc = {k: v for k, v in MINIMAL.items() if k != "rule"}
    assert _errors(doc) == [([], "'rule' is a required property")]


def test_schema_refuses_a_wrong_type_naming_the_field():
    doc = {**MINIMAL, "steps": [{"place_orders": {"count": "two"}}]}
    assert _errors(doc) == [(["steps", 0, "place_orders", "count"], "'two' is not of type 'integer'")]


def test_schema_refuses_an_unknown_key_inside_a_step():
    doc = {**MINIMAL, "steps": [{"place_orders": {"cont": 2}}]}
    assert _errors(doc) == [(["steps", 0, "place_orders"], "Additional properties are not allowed ('cont' was unexpected)")]


def test_schema_refuses_made_with_count_in_a_request_expectation():
    doc = {**MINIMAL, "steps": [{"expect": [{"request": {"path": "/ds/orders", "made": True, "count": 1}}]}]}
    assert [p for p, _ in _errors(doc)] == [["steps", 0, "expect", 0, "request"]]


def test_schema_refuses_a_vms_qc_fail_without_its_reason_as_the_loader_does():
    """Found by test_schema_as_strict_as_loader's mutants (seed 2, once the catalogue grew): the schema took a FAIL
    with no reason, which the loader refuses (harness/vms.py)."""
    fail = {**MINIMAL, "model": "vms", "steps": [{"qc": {"return": "${r}", "status": "FAIL"}}]}
    [(path, message)] = _errors(fail)
    assert path == ["steps", 0, "qc"] and "'reason' is a required property" in message
    assert _errors({**fail, "steps": [{"qc": {"return": "${r}", "status": "FAIL", "reason": "USED_PRODUCT"}}]}) == []
    assert _errors({**fail, "steps": [{"qc": {"return": "${r}", "status": "PASS"}}]}) == []


def test_schema_refuses_an_unknown_order_status():
    doc = {**MINIMAL, "steps": [{"expect": {"order": {"id": "x", "status": "SHIPPED"}}}]}
    [(path, message)] = _errors(doc)
    assert path == ["steps", 0, "expect", "order", "status"] and message.startswith("'SHIPPED' is not one of")


def test_schema_refuses_a_bad_duration():
    doc = {**MINIMAL, "world": {"po_lag": "half an hour"}}
    [(path, message)] = _errors(doc)
    assert path == ["world", "po_lag"] and "does not match" in message


def test_scenarios_schema_command_prints_the_schema():
    env = {k: v for k, v in os.environ.items() if not k.startswith("AJIO_SIM_")}
    done = subprocess.run([ajio_sim_binary(), "scenarios", "schema"], capture_output=True, text=True, env=env,
                          timeout=60)
    assert done.returncode == 0 and json.loads(done.stdout) == SCHEMA


def test_docs_carry_the_current_schema():
    """docs/scenario.schema.json is the published copy: `ajio-sim scenarios schema -o docs/scenario.schema.json`."""
    assert (ROOT / "docs" / "scenario.schema.json").read_text() == SCHEMA_PATH.read_text()


def test_schema_rule_id_pattern_is_the_rulebook_id_format():
    assert SCHEMA["$defs"]["rule_id"]["pattern"] == f"^{ID.pattern}$"


def test_schema_refuses_a_rule_that_is_no_rulebook_id():
    [(path, message)] = _errors({**MINIMAL, "rule": "order split (seed 000 point 5)"})
    assert path == ["rule"] and "does not match" in message


def test_schema_accepts_a_list_of_rule_ids_and_an_expectation_note():
    doc = {**MINIMAL, "rule": ["DS-NO-ORDER-SPLIT", "DS-PO-ON-HOLD"],
           "steps": [{"expect": {"order": {"id": "x"}, "rule": "DS-PO-ON-HOLD", "note": "why"}}]}
    assert _errors(doc) == []


def test_schema_kill_at_names_method_and_path_and_bounds_nth_and_when():
    ok = {**MINIMAL, "steps": [{"run_connector": {"kill_at": {"method": "POST", "path": "/ds/orders/dispatch",
                                                              "nth": 2, "when": "before"}}}]}
    assert _errors(ok) == []
    bad = {**MINIMAL, "steps": [{"run_connector": {"kill_at": {"path": "/x", "nth": 0, "when": "later", "at": 1}}}]}
    assert sorted(_errors(bad)) == sorted([
        (["steps", 0, "run_connector", "kill_at"], "'method' is a required property"),
        (["steps", 0, "run_connector", "kill_at"], "Additional properties are not allowed ('at' was unexpected)"),
        (["steps", 0, "run_connector", "kill_at", "nth"], "0 is less than the minimum of 1"),
        (["steps", 0, "run_connector", "kill_at", "when"], "'later' is not one of ['after', 'before']")])


def test_schema_erp_kill_at_takes_an_ajio_vms_path_and_the_same_bounds():
    ok = {**MINIMAL, "model": "vms", "steps": [{"erp": {"seller": "pob", "kill_at": {
        "method": "POST", "path": "/ajio-vms/creditNote/posting", "nth": 2, "when": "before"}}}]}
    assert _errors(ok) == []
    bad = {**MINIMAL, "model": "vms", "steps": [{"erp": {"kill_at": {"method": "POST", "path": "/vms/orders",
                                                                       "nth": 0, "when": "later"}}}]}
    errors = _errors(bad)
    assert (["steps", 0, "erp", "kill_at", "nth"], "0 is less than the minimum of 1") in errors
    assert (["steps", 0, "erp", "kill_at", "when"], "'later' is not one of ['after', 'before']") in errors
    assert any(where == ["steps", 0, "erp", "kill_at", "path"] and "^/ajio-vms/" in what for where, what in errors)

"""Scenario files are validated on load: every error names the file, the step and the problem."""
from __future__ import annotations

from pathlib import Path

import pytest

from contracts import rulebook
from harness.loader import discover, load_scenario, parse_duration
from harness.model import ScenarioError

ROOT = Path(__file__).resolve().parents[2]
HEAD = "name: t\nmodel: ds\nrule: DS-NO-ORDER-SPLIT\n"


def _write(tmp_path, text: str) -> Path:
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    return path


@pytest.mark.parametrize("body, where, problem", [
    ("steps:\n  - place_ordrs: {count: 1}\n", "step 1", "unknown step 'place_ordrs'"),
    ("steps:\n  - place_orders: {cont: 1}\n", "step 1 (place_orders)", "unknown key 'cont'"),
    ("steps:\n  - place_orders: {count: many}\n", "step 1 (place_orders)", "'count' must be int"),
    ("steps:\n  - place_orders: {count: 1}\n  - customer_cancel: '${o[0]}'\n", "step 2 (customer_cancel)",
     "${o} is not defined here"),
    ("steps:\n  - advance: soon\n", "step 1 (advance)", "duration like '2h30m'"),
    ("steps:\n  - expect: [{order: {status: CONFIRMED}}]\n", "step 1 (expect) expectation 1 (order)",
     "missing required key 'id'"),
    ("steps:\n  - expect: [{order: {id: X, status: SHIPPED}}]\n", "expectation 1 (order)",
     "status 'SHIPPED' is not one of"),
    ("steps:\n  - expect: [{order: {id: X}, orders: {status: CREATED}}]\n", "step 1 (expect) expectation 1",
     "needs exactly one of"),
    ("steps:\n  - wait_until: {expect: [{no_violations: true}]}\n", "steps", "wait_until needs a daemon connector"),
    ("steps:\n  - run_connector: {seller: other}\n", "step 1 (run_connector)", "seller 'other' is not in world.sellers"),
    ("steps:\n  - warehouse: {qc: {X: FINE}}\n", "step 1 (warehouse)", "'FINE' is not one of GOOD, BAD, MISSING"),
    ("steps:\n  - expect: [{documents_fetched: {order: X, kinds: [receipt]}}]\n", "expectation 1 (documents_fetched)",
     "kinds must be a non-empty list"),
    ("steps: []\n", "steps", "must be a non-empty list"),
    ("world:\n  throttle: {mode: loose}\nsteps:\n  - run_connector\n", "world.throttle",
     "mode 'loose' is not one of off, on, strict"),
    ("world:\n  throttle: {limits: {writes: {rate: 1, burst: 2}}}\nsteps:\n  - run_connector\n", "world.throttle",
     "unknown group 'writes'"),
    ("world:\n  throttle: {limits: {write: {rate: 0, burst: 2}}}\nsteps:\n  - run_connector\n",
     "world.throttle.limits.write", "rate must be a number of requests per simulated second > 0"),
    ("world:\n  throttle: {limits: {write: {rate: 1}}}\nsteps:\n  - run_connector\n",
     "world.throttle.limits.write", "missing required key 'burst'"),
    ("world:\n  throttle: {limits: {write: {rate: 1, burst: 0}}}\nsteps:\n  - run_connector\n",
     "world.throttle.limits.write", "burst must be at least 1"),
    ("world:\n  clock: fast\nsteps:\n  - run_connector\n", "world.clock", "must be one of frozen, running"),
    ("steps:\n  - expect: [{request: {path: /ds/orders, fault: flood}}]\n", "expectation 1 (request)",
     "fault 'flood' is not an effect kind"),
    ("colour: blue\nsteps:\n  - run_connector\n", "top level", "unknown key 'colour'"),
])
def test_load_scenario_invalid_names_file_step_and_problem(tmp_path, body, where, problem):
    path = _write(tmp_path, HEAD + body)
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    message = str(err.value)
    assert message.startswith(f"{path}: ")
    assert where in message and problem in message, message


def test_load_scenario_without_rule_refused(tmp_path):
    path = _write(tmp_path, "name: t\nmodel: ds\nsteps:\n  - run_connector\n")
    with pytest.raises(ScenarioError, match="names the rule"):
        load_scenario(path)


def test_load_scenario_unsupported_model_refused(tmp_path):
    path = _write(tmp_path, "name: t\nmodel: b2b\nrule: VMS-ACK-NEW-ONLY\nsteps:\n  - run_connector\n")
    with pytest.raises(ScenarioError, match="'b2b' is not supported by this harness yet"):
        load_scenario(path)


@pytest.mark.parametrize("rule, problem", [
    ("'order split (seed 000 point 5)'", "is not a rule of the rulebook"),
    ("[DS-NO-ORDER-SPLIT, NO-SUCH-RULE]", "'NO-SUCH-RULE' is not a rule of the rulebook"),
    ("JIT-PREPACK-LABEL", "JIT-PREPACK-LABEL applies to jit, not to a ds scenario"),
    ("[]", "must be a rulebook id"),
], ids=["text", "unknown-in-list", "other-model", "empty"])
def test_load_scenario_rule_must_be_rulebook_ids_of_its_model(tmp_path, rule, problem):
    path = _write(tmp_path, f"name: t\nmodel: ds\nrule: {rule}\nsteps:\n  - run_connector\n")
    with pytest.raises(ScenarioError, match=problem):
        load_scenario(path)


def test_load_scenario_expectation_rule_and_note(tmp_path):
    path = _write(tmp_path, HEAD + "steps:\n  - expect:\n      - no_violations: true\n        rule: API-CONTRACT\n"
                                   "        note: why this is checked\n")
    [exp] = load_scenario(path).steps[0].args["expect"]
    assert (exp["rule"], exp["note"]) == ("API-CONTRACT", "why this is checked")
    bad = _write(tmp_path, HEAD + "steps:\n  - expect:\n      - no_violations: true\n        rule: seed 000\n")
    with pytest.raises(ScenarioError, match="expectation 1 rule: 'seed 000' is not a rule"):
        load_scenario(bad)


def test_load_scenario_broken_yaml_names_line(tmp_path):
    path = _write(tmp_path, HEAD + "steps:\n  - place_orders: {count: 1\n")
    with pytest.raises(ScenarioError, match=r"line \d+: not valid YAML"):
        load_scenario(path)


def test_load_scenario_start_without_zone_refused(tmp_path):
    path = _write(tmp_path, HEAD + "start: 2026-11-23T10:00:00\nsteps:\n  - run_connector\n")
    with pytest.raises(ScenarioError, match="start: must be epoch seconds or an ISO-8601 date-time with a zone"):
        load_scenario(path)


def test_load_scenario_captures_and_shorthands(tmp_path):
    path = _write(tmp_path, HEAD + "steps:\n  - place_orders: {count: 2, as: o}\n  - run_connector\n"
                                   "  - advance: 2h30m\n  - customer_cancel: '${o[1]}'\n"
                                   "  - expect: {no_violations: true}\n")
    s = load_scenario(path)
    assert [st.kind for st in s.steps] == ["place_orders", "run_connector", "advance", "customer_cancel", "expect"]
    assert s.steps[2].args == {"seconds": 9000}
    assert s.steps[3].args == {"order": "${o[1]}"}
    assert s.steps[4].args["expect"] == [{"kind": "no_violations", "args": {}, "rule": None, "note": None}]
    assert s.moves_clock and s.connector_seller == "pob"


@pytest.mark.parametrize("text, seconds", [(90, 90), ("30m", 1800), ("2h30m", 9000), ("1d", 86400),
                                           ("1h 1s", 3601), ("later", None), (-5, None), (True, None)])
def test_parse_duration(text, seconds):
    assert parse_duration(text) == seconds


def test_every_catalogue_scenario_loads_and_names_rules_of_its_model():
    files = discover(ROOT / "scenarios")
    assert len(files) >= 15
    for path in files:
        scenario = load_scenario(path)
        assert scenario.rules and all(scenario.model in rulebook.rule(r).models for r in scenario.rules), path


def test_discover_missing_directory_refused(tmp_path):
    with pytest.raises(ScenarioError, match="no such scenario file or directory"):
        discover(tmp_path / "nope")


def test_scenarios_readme_lists_every_catalogue_file():
    readme = (ROOT / "scenarios/README.md").read_text()
    for path in discover(ROOT / "scenarios"):
        assert path.relative_to(ROOT / "scenarios").as_posix().split("/", 1)[0] + "/" in readme
        assert path.name in readme, f"{path} is missing from scenarios/README.md's catalogue table"


def test_docs_buggy_table_lists_every_bug():
    import importlib.util
    spec = importlib.util.spec_from_file_location("buggy", ROOT / "examples/buggy_connectors/buggy.py")
    buggy = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(buggy)
    doc = (ROOT / "docs/harness.md").read_text()
    assert len(buggy.BUGS) >= 6
    for name in buggy.BUGS:
        assert f"`{name}`" in doc


def test_load_scenario_seller_setting_of_wrong_type_refused(tmp_path):
    path = _write(tmp_path, HEAD + "world:\n  sellers:\n    - {name: a, catalog_size: big}\nsteps:\n  - run_connector\n")
    with pytest.raises(ScenarioError, match=r"world.sellers\[1\]: 'catalog_size' must be int"):
        load_scenario(path)


def test_load_scenario_world_throttle_clock_and_fault_match(tmp_path):
    path = _write(tmp_path, HEAD + "world:\n  clock: running\n  throttle:\n    mode: strict\n"
                  "    limits: {write: {rate: 0.5, burst: 2}}\nsteps:\n  - run_connector\n"
                  "  - expect: [{request: {path: /ds/orders, fault: reset, status: 0, count: 1}}]\n")
    scenario = load_scenario(path)
    assert scenario.clock == "running"
    assert scenario.throttle == {"mode": "strict", "limits": {"write": {"rate": 0.5, "burst": 2}}}
    assert scenario.steps[1].args["expect"][0]["args"]["fault"] == "reset"
    plain = load_scenario(_write(tmp_path, HEAD + "steps:\n  - run_connector\n"))
    assert plain.clock == "frozen" and plain.throttle is None

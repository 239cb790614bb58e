"""harness/schema.py: a scenario checked against scenario.schema.json, the error naming file, line and field;
load_scenario checks every file with it before its own checks (references, sellers, rule ids)."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from harness.loader import discover, load_scenario
from harness.model import ScenarioError
from harness.schema import validate

ROOT = Path(__file__).resolve().parents[2]
HEAD = "name: x\nmodel: ds\nrule: DS-NO-ORDER-SPLIT\n"


def _error(text: str) -> str:
    with pytest.raises(ScenarioError) as caught:
        validate("s.yaml", yaml.safe_load(text), text)
    return str(caught.value)


@pytest.mark.parametrize("path", discover(ROOT / "scenarios"), ids=lambda p: p.relative_to(ROOT / "scenarios").as_posix())
def test_validate_accepts_every_catalogue_scenario(path):
    text = path.read_text()
    validate(path, yaml.safe_load(text), text)


def test_validate_unknown_key_names_its_line_and_the_allowed_keys():
    text = HEAD + "steps:\n  - place_orders: {count: 2}\n  - place_orders:\n      cont: 2\n"
    assert _error(text) == ("s.yaml: line 7: steps[1].place_orders: unknown key 'cont' "
                            "(allowed: as, carrier, count, lines, payment_method, seed, seller)")


def test_validate_unknown_step_names_the_known_ones():
    text = HEAD + "steps:\n  - run_connector\n  - frobnicate: 1\n"
    message = _error(text)
    assert message.startswith("s.yaml: line 6: steps[1]: unknown step 'frobnicate' "
                              "(known: acknowledge, advance, cancel_return, ")


def test_validate_wrong_type_names_the_field():
    text = HEAD + "steps:\n  - place_orders:\n      count: two\n"
    assert _error(text) == "s.yaml: line 6: steps[0].place_orders.count: 'two' is not of type 'integer'"


def test_validate_missing_required_key():
    text = "name: x\nmodel: ds\nsteps:\n  - run_connector\n"
    assert _error(text) == "s.yaml: line 1: top level: missing required key 'rule'"


def test_validate_expectation_with_two_kinds():
    text = HEAD + "steps:\n  - expect:\n      - {order: {id: a}, orders: {status: CREATED}}\n"
    assert _error(text).startswith("s.yaml: line 6: steps[0].expect[0]: needs exactly one of order, orders, return")
    assert _error(text).endswith("(got order, orders)")


def test_validate_step_with_two_kinds():
    text = HEAD + "steps:\n  - {run_connector: 1, advance: 2h}\n"
    assert _error(text) == "s.yaml: line 5: steps[0]: a step is a mapping with exactly one key, the step's kind"


def test_validate_bad_start_says_what_is_expected():
    text = HEAD + "start: yesterday\nsteps: [run_connector]\n"
    message = _error(text)
    assert message.startswith("s.yaml: line 4: start: 'yesterday' is not valid here (")
    assert "ISO-8601 date-time with a zone" in message


def test_validate_reports_the_earliest_problem_in_the_file():
    text = HEAD + "world:\n  clock: stopped\nsteps:\n  - place_orders: {count: 0}\n"
    assert _error(text).startswith("s.yaml: line 5: world.clock: 'stopped' is not one of")


def test_load_scenario_refuses_what_only_the_schema_checks(tmp_path):
    """payment_method's vocabulary is the schema's alone: load_scenario refuses it, so the loader runs the schema."""
    path = tmp_path / "s.yaml"
    path.write_text(HEAD + "steps:\n  - place_orders:\n      payment_method: CASH\n")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert str(caught.value) == (f"{path}: line 6: steps[0].place_orders.payment_method: "
                                 f"'CASH' is not one of ['PREPAID', 'COD']")


def test_load_scenario_empty_file_refused_naming_line_1(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert str(caught.value) == (f"{path}: line 1: top level: "
                                 f"a scenario is a mapping with name, model, rule, steps (got None)")


def test_validate_made_with_count_says_which_keys_clash():
    text = HEAD + "steps:\n  - expect: [{request: {path: /ds/orders, made: true, count: 2}}]\n"
    assert _error(text) == "s.yaml: line 5: steps[0].expect[0].request: use either 'made' or 'count'/'min'/'max', not both"


def test_validate_inventory_without_what_to_check_names_the_choices():
    text = HEAD + "steps:\n  - expect: [{inventory: {seller: pob}}]\n"
    assert _error(text) == "s.yaml: line 5: steps[0].expect[0].inventory: needs at least one of all, skus"


def test_load_scenario_inventory_of_orders_refused(tmp_path):
    """of_orders was accepted and compared nothing (a check that always passed): it is an unknown key now."""
    path = tmp_path / "s.yaml"
    path.write_text(HEAD + "steps:\n  - expect: [{inventory: {all: 3, of_orders: [a]}}]\n")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert str(caught.value) == (f"{path}: line 5: steps[0].expect[0].inventory: "
                                 f"unknown key 'of_orders' (allowed: all, published_only, seller, skus)")

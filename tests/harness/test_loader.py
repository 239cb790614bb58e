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
    ("steps:\n  - place_ordrs: {count: 1}\n", "line 5: steps[0]", "unknown step 'place_ordrs'"),
    ("steps:\n  - place_orders: {cont: 1}\n", "line 5: steps[0].place_orders", "unknown key 'cont'"),
    ("steps:\n  - place_orders: {count: many}\n", "line 5: steps[0].place_orders.count", "'many' is not of type 'integer'"),
    ("steps:\n  - place_orders: {count: 1}\n  - customer_cancel: '${o[0]}'\n", "step 2 (customer_cancel)",
     "${o} is not defined here"),
    ("steps:\n  - advance: soon\n", "line 5: steps[0].advance", "'soon' is not valid here (seconds, or e.g. 90s, 30m"),
    ("steps:\n  - expect: [{order: {status: CONFIRMED}}]\n", "line 5: steps[0].expect[0].order",
     "missing required key 'id'"),
    ("steps:\n  - expect: [{order: {id: X, status: SHIPPED}}]\n", "line 5: steps[0].expect[0].order.status",
     "'SHIPPED' is not one of"),
    ("steps:\n  - expect: [{order: {id: X}, orders: {status: CREATED}}]\n", "line 5: steps[0].expect[0]",
     "needs exactly one of"),
    ("steps:\n  - wait_until: {expect: [{no_violations: true}]}\n", "steps", "wait_until needs a daemon connector"),
    ("steps:\n  - run_connector: {seller: other}\n", "step 1 (run_connector)", "seller 'other' is not in world.sellers"),
    ("steps:\n  - warehouse: {pickable: {X: {SKU-A: -1}}}\n", "line 5: steps[0].warehouse.pickable.X.SKU-A",
     "-1 is less than the minimum of 0"),
    ("steps:\n  - warehouse: {pickable: {X: 1}}\n", "line 5: steps[0].warehouse.pickable.X",
     "1 is not of type 'object'"),
    ("steps:\n  - warehouse: {qc: {X: FINE}}\n", "line 5: steps[0].warehouse.qc.X",
     "'FINE' is not one of ['GOOD', 'BAD', 'MISSING', 'PRODUCT_MISMATCH'"),
    ("steps:\n  - expect: [{documents_fetched: {order: X, kinds: [receipt]}}]\n",
     "line 5: steps[0].expect[0].documents_fetched.kinds[0]",
     "'receipt' is not one of"),
    ("steps:\n  - expect: [{documents_fetched: {order: X, orders: [Y], kinds: [label]}}]\n",
     "line 5: steps[0].expect[0].documents_fetched", "needs exactly one of order, orders, return (got order, orders)"),
    ("steps:\n  - expect: [{documents_fetched: {orders: [], kinds: [label]}}]\n",
     "line 5: steps[0].expect[0].documents_fetched.orders", "is not valid under any of the given schemas"),
    ("steps: []\n", "line 4: steps", "[] should be non-empty"),
    ("world:\n  throttle: {mode: loose}\nsteps:\n  - run_connector\n", "line 5: world.throttle.mode",
     "'loose' is not one of ['off', 'on', 'strict']"),
    ("world:\n  throttle: {limits: {writes: {rate: 1, burst: 2}}}\nsteps:\n  - run_connector\n",
     "line 5: world.throttle.limits",
     "'writes' is not one of ['auth', 'read', 'write', 'documents']"),
    ("world:\n  throttle: {limits: {write: {rate: 0, burst: 2}}}\nsteps:\n  - run_connector\n",
     "line 5: world.throttle.limits.write.rate", "0 is less than or equal to the minimum of 0"),
    ("world:\n  throttle: {limits: {write: {rate: 1}}}\nsteps:\n  - run_connector\n",
     "line 5: world.throttle.limits.write", "missing required key 'burst'"),
    ("world:\n  throttle: {limits: {write: {rate: 1, burst: 0}}}\nsteps:\n  - run_connector\n",
     "line 5: world.throttle.limits.write.burst", "0 is less than the minimum of 1"),
    ("world:\n  clock: fast\nsteps:\n  - run_connector\n", "line 5: world.clock",
     "'fast' is not one of ['frozen', 'running']"),
    ("world:\n  documents: pretty\nsteps:\n  - run_connector\n", "line 5: world.documents",
     "'pretty' is not one of ['full', 'lite']"),
    ("steps:\n  - expect: [{request: {path: /ds/orders, fault: flood}}]\n",
     "line 5: steps[0].expect[0].request.fault",
     "'flood' is not one of ['status', 'latency'"),
    ("colour: blue\nsteps:\n  - run_connector\n", "line 4: top level",
     "unknown key 'colour' (allowed: allow, checks, description, model, name, rule, "),
    ("steps:\n  - expect: [{refusals: {count: 1, max: 2}}]\n", "expectation 1 (refusals)",
     "use either 'count' or 'min'/'max'"),
    ("steps:\n  - expect: [{request: {path: /ds/orders, min: 3, max: 2}}]\n", "expectation 1 (request)",
     "min 3 is above max 2"),
    ("steps:\n  - expect: [{request: {path: /ds/orders, since: later}}]\n", "expectation 1 (request)",
     "since 'later' is no mark set by an earlier `mark:` step"),
    ("steps:\n  - expect: [{order: {id: X, boxes: {sealed: 1}}}]\n", "steps[0].expect[0].order.boxes",
     "unknown key 'sealed'"),
    ("allow:\n  - {max: 2}\nsteps:\n  - run_connector\n", "allow[0]", "needs at least one of path, status"),
    ("allow:\n  - {status: 409, rule: seed 000}\nsteps:\n  - run_connector\n", "allow[0].rule",
     "'seed 000' is not valid here (a rulebook id"),
    ("checks: {refusal: false}\nsteps:\n  - run_connector\n", "checks", "unknown key 'refusal'"),
    ("steps:\n  - drift: [{sku: A, quantity: 1}]\n", "step 1 (drift)", "is a JIT world step"),
    ("steps:\n  - mark: later\n  - mark: later\n", "step 2 (mark)", "a mark is a new name"),
    ("steps:\n  - control: {method: GET, path: /clock, rule: API-CONTRACT}\n", "step 1 (control)",
     "names a rule only when it checks the answer"),
    ("rule: [DS-NO-ORDER-SPLIT, DS-PO-ON-HOLD]\nsteps:\n  - expect: [{connector_exit: 0}]\n", "rule",
     "DS-PO-ON-HOLD is named but no expectation checks it"),
    # run_connector kill_at: a crash at a chosen call
    ("steps:\n  - run_connector: {kill_at: {method: POST, path: /ds/orders, after: 1}}\n",
     "line 5: steps[0].run_connector.kill_at", "unknown key 'after' (allowed: body, method, nth, path, when)"),
    ("steps:\n  - run_connector: {kill_at: {method: POST, path: /ds/orders, body: Cancel}}\n",
     "line 5: steps[0].run_connector.kill_at.body", "'Cancel' is not of type 'object'"),
    ("steps:\n  - run_connector: {kill_at: {method: POST, path: /ds/orders, body: {}}}\n",
     "line 5: steps[0].run_connector.kill_at.body", "should be non-empty"),
    ("steps:\n  - run_connector: {kill_at: {method: POST, path: /ds/orders, nth: 0}}\n",
     "line 5: steps[0].run_connector.kill_at.nth", "0 is less than the minimum of 1"),
    ("steps:\n  - run_connector: {kill_at: {method: POST, path: /ds/orders, when: during}}\n",
     "line 5: steps[0].run_connector.kill_at.when", "'during' is not one of ['after', 'before']"),
    ("steps:\n  - run_connector: {kill_at: {path: /ds/orders}}\n",
     "line 5: steps[0].run_connector.kill_at", "missing required key 'method'"),
    ("steps:\n  - run_connector: {kill_at: {method: POST}}\n",
     "line 5: steps[0].run_connector.kill_at", "missing required key 'path'"),
    ("steps:\n  - run_connector: {kill_at: {method: POST, path: ds/orders}}\n",
     "line 5: steps[0].run_connector.kill_at.path", "'ds/orders' is not valid here (a glob of the request path"),
    ("steps:\n  - run_connector: {times: 2, kill_at: {method: POST, path: /ds/orders}}\n",
     "step 1 (run_connector)", "kill_at kills one run: times must be 1 (got 2)"),
    # start_connector kill_at: a daemon crashes at a chosen call (vary17)
    ("steps:\n  - start_connector: {kill_at: {method: POST, path: /ds/orders, when: during}}\n",
     "line 5: steps[0].start_connector.kill_at.when", "'during' is not one of ['after', 'before']"),
    ("steps:\n  - start_connector: {kill_at: {method: POST}}\n",
     "line 5: steps[0].start_connector.kill_at", "missing required key 'path'"),
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
    with pytest.raises(ScenarioError, match="line 1: top level: missing required key 'rule'"):
        load_scenario(path)


def test_load_scenario_unsupported_model_refused(tmp_path):
    path = _write(tmp_path, "name: t\nmodel: b2b\nrule: VMS-ACK-NEW-ONLY\nsteps:\n  - run_connector\n")
    with pytest.raises(ScenarioError, match=r"line 2: model: 'b2b' is not one of \['ds', 'jit', 'vms'\]"):
        load_scenario(path)


@pytest.mark.parametrize("rule, problem", [
    ("'order split (seed 000 point 5)'", r"rule: 'order split \(seed 000 point 5\)' is not valid here \(a rulebook id"),
    ("[DS-NO-ORDER-SPLIT, NO-SUCH-RULE]", "'NO-SUCH-RULE' is not a rule of the rulebook"),
    ("JIT-PREPACK-LABEL", "JIT-PREPACK-LABEL applies to jit, not to a ds scenario"),
    ("[]", r"line 3: rule: \[\] should be non-empty"),
], ids=["text", "unknown-in-list", "other-model", "empty"])
def test_load_scenario_rule_must_be_rulebook_ids_of_its_model(tmp_path, rule, problem):
    path = _write(tmp_path, f"name: t\nmodel: ds\nrule: {rule}\nsteps:\n  - run_connector\n")
    with pytest.raises(ScenarioError, match=problem):
        load_scenario(path)


def test_load_scenario_expectation_rule_and_note(tmp_path):
    path = _write(tmp_path, HEAD + "steps:\n  - expect:\n      - no_violations: true\n        rule: API-CONTRACT\n"
                                   "        note: why this is checked\n      - connector_exit: 0\n")
    [exp, _] = load_scenario(path).steps[0].args["expect"]
    assert (exp["rule"], exp["note"]) == ("API-CONTRACT", "why this is checked")
    bad = _write(tmp_path, HEAD + "steps:\n  - expect:\n      - no_violations: true\n        rule: seed 000\n")
    with pytest.raises(ScenarioError,
                       match=r"line 7: steps\[0\].expect\[0\].rule: 'seed 000' is not valid here \(a rulebook id"):
        load_scenario(bad)


def test_load_scenario_broken_yaml_names_line(tmp_path):
    path = _write(tmp_path, HEAD + "steps:\n  - place_orders: {count: 1\n")
    with pytest.raises(ScenarioError, match=r"line \d+: not valid YAML"):
        load_scenario(path)


def test_load_scenario_start_without_zone_refused(tmp_path):
    path = _write(tmp_path, HEAD + "start: 2026-11-23T10:00:00\nsteps:\n  - run_connector\n")
    with pytest.raises(ScenarioError,
                       match="line 4: start: '2026-11-23T10:00:00' is not valid here .*ISO-8601 date-time with a zone"):
        load_scenario(path)


def test_default_start_is_one_of_two_mondays_by_name_and_a_given_start_wins(tmp_path):
    from datetime import datetime

    from harness.loader import DEFAULT_STARTS, default_start
    starts = {}
    for i in range(12):
        path = _write(tmp_path, HEAD.replace("name: ", f"name: v{i} ", 1) + "steps:\n  - run_connector\n")
        starts.setdefault(load_scenario(path).start, []).append(i)
    # both clocks are used: the catalogue meets a connector's machine clock from behind and from ahead
    assert sorted(starts) == sorted(int(datetime.fromisoformat(s).timestamp()) for s in DEFAULT_STARTS)
    assert all(datetime.fromisoformat(s).strftime("%a %H:%M") == "Mon 10:00" for s in DEFAULT_STARTS)
    assert default_start("same name") == default_start("same name")   # by the name alone: replays agree
    given = _write(tmp_path, HEAD + "start: 2031-03-10T09:00:00+05:30\nsteps:\n  - run_connector\n")
    assert load_scenario(given).start == int(datetime.fromisoformat("2031-03-10T09:00:00+05:30").timestamp())


def test_load_scenario_captures_and_shorthands(tmp_path):
    path = _write(tmp_path, HEAD + "steps:\n  - place_orders: {count: 2, as: o}\n  - run_connector\n"
                                   "  - advance: 2h30m\n  - customer_cancel: '${o[1]}'\n"
                                   "  - expect: {no_violations: true, rule: DS-NO-ORDER-SPLIT}\n")
    s = load_scenario(path)
    assert [st.kind for st in s.steps] == ["place_orders", "run_connector", "advance", "customer_cancel", "expect"]
    assert s.steps[2].args == {"seconds": 9000}
    assert s.steps[3].args == {"order": "${o[1]}"}
    assert s.steps[4].args["expect"] == [{"kind": "no_violations", "args": {}, "rule": "DS-NO-ORDER-SPLIT", "note": None}]
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
    with pytest.raises(ScenarioError, match=r"line 6: world.sellers\[0\].catalog_size: 'big' is not of type 'integer'"):
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


def test_world_documents_lite_reaches_the_scenario_s_own_server(tmp_path):
    """world.documents: lite makes the scenario's in-process simulator render documents as lite PDFs."""
    from harness.runner import Options, ScenarioRun

    plain = load_scenario(_write(tmp_path, HEAD + "steps:\n  - run_connector\n"))
    assert plain.documents == "full"
    lite = load_scenario(_write(tmp_path, HEAD + "world:\n  documents: lite\nsteps:\n  - run_connector\n"))
    assert lite.documents == "lite"
    for scenario, expected in ((lite, "lite"), (plain, "full")):
        run = ScenarioRun(scenario, None, Options())
        try:
            run._setup()
            assert run.server.app.extensions["ajio_sim"].config.pdf == expected
        finally:
            run._teardown()


@pytest.mark.parametrize("body, where, problem", [
    # The schema's words (file: line: field: problem) where it can tell; the loader's own beyond it.
    ("steps:\n  - delivery_attempt: {order: X, reason: LATE}\n", "steps[0].delivery_attempt.reason",
     "'LATE' is not one of"),
    ("steps:\n  - rto: {order: X, reason: LOST}\n", "steps[0].rto.reason", "'LOST' is not one of"),
    ("steps:\n  - scan: {order: X, milestone: DELIVERED}\n", "steps[0].scan.milestone", "'DELIVERED' is not one of"),
    ("steps:\n  - scan: {order: X}\n", "steps[0].scan", "missing required key 'milestone'"),
    ("steps:\n  - import_catalogue: {}\n", "steps[0].import_catalogue", "exactly one of products, file"),
    ("steps:\n  - import_catalogue: {file: nowhere.csv}\n", "step 1 (import_catalogue)", "nowhere.csv: no such file"),
    ("steps:\n  - import_catalogue: {file: cat.xlsx}\n", "steps[0].import_catalogue.file", "'cat.xlsx'"),
    ("steps:\n  - publish: {skus: []}\n", "steps[0].publish.skus", "should be non-empty"),
    ("world:\n  profile: fast\nsteps:\n  - run_connector\n", "world.profile", "'fast' is not one of"),
    ("world:\n  sla: {ack: soon}\nsteps:\n  - run_connector\n", "world.sla.ack", "'soon' is not valid here"),
    ("world:\n  sla: {cancel: true}\nsteps:\n  - run_connector\n", "world.sla", "unknown key 'cancel'"),
    ("world:\n  sellers: [{name: pob, catalogue: [{ean: '1'}]}]\nsteps:\n  - run_connector\n",
     "world.sellers[0].catalogue[0]", "missing required key 'sku'"),
    ("steps:\n  - expect: [{order: {id: X, shipment_status: LOST}}]\n", "steps[0].expect[0].order.shipment_status",
     "'LOST' is not one of"),
    ("steps:\n  - expect: [{order: {id: X, cancelled_by: COURIER}}]\n", "steps[0].expect[0].order.cancelled_by",
     "'COURIER' is not one of"),
])
def test_load_scenario_courier_timing_and_catalogue_steps_checked(tmp_path, body, where, problem):
    path = _write(tmp_path, HEAD + body)
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert str(path) in str(err.value) and where in str(err.value) and problem in str(err.value), str(err.value)


def test_load_scenario_world_profile_and_sla_become_the_timing_body(tmp_path):
    path = _write(tmp_path, HEAD + "world:\n  profile: realistic\n  sla: {ack: 12h, dispatch: 0, dispatch_cancel: true,"
                                    " max_delivery_attempts: 2}\nsteps:\n  - run_connector\n")
    assert load_scenario(path).timing == {"profile": "realistic", "ack_sla": 43200, "dispatch_sla": 0,
                                          "dispatch_sla_cancel": True, "max_delivery_attempts": 2}


def test_load_scenario_seller_catalogue_file_is_found_beside_the_scenario(tmp_path):
    (tmp_path / "own.csv").write_text("sku,ean\n")
    path = _write(tmp_path, HEAD + "world:\n  sellers: [{name: pob, catalogue: own.csv}]\nsteps:\n  - run_connector\n")
    assert load_scenario(path).sellers[0].settings["catalogue"] == "own.csv"


def test_load_scenario_both_sided_bounds_marks_allow_and_checks(tmp_path):
    """Issue 18: counts bounded on both sides, `since:` a mark, `allow:` refusals, implicit checks turned off;
    the rules a scenario's checks fail with are what coverage counts."""
    path = _write(tmp_path, HEAD + "allow:\n  - {path: '/ds/returns/*/creditNote', error_code: NOT_YET, max: 2}\n"
                  "checks: {duplicates: false}\nsteps:\n  - run_connector\n  - mark: after_first\n"
                  "  - run_connector\n  - expect:\n      - request: {path: /ds/orders, since: after_first, min: 1, max: 3}\n"
                  "      - logins: {max: 2}\n        rule: AUTH-LOGIN-SPARINGLY\n"
                  "  - control: {method: POST, path: /sellers, body: {model: ds, store_code: X}, status: 409, "
                  "rule: POB-ONE-STORE-CODE}\n")
    s = load_scenario(path)
    assert s.allow == [{"path": "/ds/returns/*/creditNote", "error_code": "NOT_YET", "max": 2}]
    assert s.checks == {"duplicates": False}
    assert s.steps[1].kind == "mark" and s.steps[1].args == {"name": "after_first"}
    assert s.checked == ["AUTH-LOGIN-SPARINGLY", "DS-NO-ORDER-SPLIT", "POB-ONE-STORE-CODE"]


def test_load_scenario_jit_world_steps(tmp_path):
    path = _write(tmp_path, "name: t\nmodel: jit\nrule: JIT-INVENTORY-RECONCILE\nsteps:\n"
                  "  - drift: [{sku: A, quantity: 1}, {sku: B, delta: -2}]\n  - moderate: {sku: A, status: APPROVED}\n"
                  "  - warehouse: {settings: {prepack: true, box_capacity: 4}}\n")
    s = load_scenario(path)
    assert [st.kind for st in s.steps] == ["drift", "moderate", "warehouse"]
    bad = _write(tmp_path, "name: t\nmodel: jit\nrule: JIT-INVENTORY-RECONCILE\nsteps:\n  - drift: [{sku: A}]\n")
    with pytest.raises(ScenarioError, match=r"steps\[0\]\.drift\[0\]: needs exactly one of quantity, delta"):
        load_scenario(bad)


def test_warehouse_step_pickable_is_written_per_order_only_once_a_step_says_it(tmp_path):
    """`pickable` ({ORDER: {SKU: units}}, what the warehouse can still pick of an acknowledged order) loads with
    ${...} keys, and the harness writes it into the warehouse file order by order; before any step gives it the
    file has none (a connector then judges from the SKU counts alone)."""
    import json

    from harness.steps import WorldSteps
    path = _write(tmp_path, HEAD + "steps:\n  - place_orders: {count: 2, as: o}\n"
                  "  - warehouse: {pickable: {'${o[0]}': {SKU-A: 1}}}\n  - run_connector\n")
    s = load_scenario(path)
    assert s.steps[1].args == {"pickable": {"${o[0]}": {"SKU-A": 1}}}

    class Run(WorldSteps):
        def __init__(self):
            self.s, self.warehouses, self.written = s, {s.connector_seller: {"default_stock": 20, "stock": {}, "qc": {},
                                                                            "unexpected_rto": [], "settings": {}}}, []

        def _write_warehouse(self, name):
            self.written.append(json.loads(json.dumps(self.warehouses[name])))

    run = Run()
    run._do_warehouse(s.steps[1], {"default_stock": 5})
    assert "pickable" not in run.written[-1]
    run._do_warehouse(s.steps[1], {"pickable": {"FN1": {"SKU-A": 1}}})
    run._do_warehouse(s.steps[1], {"pickable": {"FN1": {"SKU-B": 0}, "FN2": {"SKU-A": 3}}})
    assert run.written[-1]["pickable"] == {"FN1": {"SKU-A": 1, "SKU-B": 0}, "FN2": {"SKU-A": 3}}
    assert run.written[-1]["default_stock"] == 5


def test_load_scenario_kill_at_defaults_are_the_first_call_after_ajio_handled_it(tmp_path):
    path = _write(tmp_path, HEAD + "steps:\n  - run_connector: {kill_at: {method: POST, path: '/ds/orders/*/invoice'}}\n"
                                   "  - expect: [{connector_exit: 0}]\n")
    [step, _] = load_scenario(path).steps
    assert step.args["kill_at"] == {"method": "POST", "path": "/ds/orders/*/invoice"}


def test_load_scenario_daemon_kill_at(tmp_path):
    """start_connector takes kill_at as run_connector does: the daemon crashes at a chosen call (vary17)."""
    path = _write(tmp_path, HEAD + "steps:\n  - start_connector: {kill_at: {method: POST, path: '/ds/orders', "
                                   "when: before, body: {status: Cancel}}}\n"
                                   "  - wait_until: {timeout: 5, expect: [{orders: {status: CONFIRMED, count: 0}}]}\n"
                                   "  - stop_connector\n")
    step = load_scenario(path).steps[0]
    assert step.kind == "start_connector"
    assert step.args["kill_at"] == {"method": "POST", "path": "/ds/orders", "when": "before",
                                    "body": {"status": "Cancel"}}


def test_kill_at_checks_of_the_loader_name_the_field_without_the_schema():
    """What the schema says, the loader says again for a caller that skips it (each message names the field)."""
    from harness.loader import _kill_at

    class Chk:
        def fail(self, where, problem):
            raise ScenarioError(f"{where}: {problem}")

    for kill, problem in [({"method": "POST", "path": "/x", "nth": 0}, "kill_at.nth must be an integer of at least 1"),
                          ({"method": "POST", "path": "/x", "when": "soon"}, "kill_at.when must be 'after'"),
                          ({"path": "/x"}, "kill_at.method is required"),
                          ({"method": "POST", "path": "/x", "at": 1}, "kill_at: unknown key 'at'")]:
        with pytest.raises(ScenarioError, match=problem):
            _kill_at(Chk(), "step 1 (run_connector)", {"kill_at": kill})


@pytest.mark.parametrize("model, rule", [("jit", "JIT-PO-PROCESSED"), ("vms", "VMS-ACK-HOLD")])
def test_cancelled_by_is_refused_outside_dropship(tmp_path, model, rule):
    """Only Dropship records who cancelled an order: `cancelled_by` in a JIT or VMS scenario would fail every connector,
    so the loader refuses it, naming the step and what to expect instead."""
    path = _write(tmp_path, f"name: t\nmodel: {model}\nrule: {rule}\nsteps:\n  - place_orders: {{count: 1, as: o}}\n"
                            "  - expect:\n      - order: {id: \"${o[0]}\", cancelled_by: SELLER}\n")
    with pytest.raises(ScenarioError, match=f"cancelled_by is kept for Dropship orders only; a {model} order"):
        load_scenario(path)
    ds = _write(tmp_path, "name: t\nmodel: ds\nrule: DS-ACK-WHAT-IS-IN-STOCK\nsteps:\n  - place_orders: {count: 1, as: o}\n"
                          "  - expect:\n      - order: {id: \"${o[0]}\", cancelled_by: SELLER}\n")
    assert load_scenario(ds).model == "ds"

"""harness/routes.py and the loader's use of it: a call matcher that no call of the AJIO API can meet is refused
(a typo'd path, method or body key would let `made: false` or `max:` pass without looking, a kill never fire)."""
from __future__ import annotations

import fnmatch
import itertools
import random
import textwrap

import pytest

from harness.loader import load_scenario
from harness.model import ScenarioError
from harness.routes import overlap, problem


@pytest.mark.parametrize("glob, template, expected", [
    ("/ds/orders/*/label", "/ds/orders/{order_id}/label", True),
    ("/ds/*", "/ds/orders/{order_id}/label", True),                 # fnmatch's * crosses /
    ("/ds/orders*", "/ds/orders/{order_id}/label", True),
    ("/ds/orders/FN0000000001/label", "/ds/orders/{order_id}/label", True),
    ("/ds/orders/*b/label", "/ds/orders/{order_id}/label", True),
    ("/ds/orders/?/label", "/ds/orders/{order_id}/label", True),
    ("/ds/orders/[!/]/label", "/ds/orders/{order_id}/label", True),
    ("/ds/Orders/*", "/ds/orders/{order_id}/label", False),         # paths are case-sensitive
    ("/ds/orders//label", "/ds/orders/{order_id}/label", False),    # an id is never empty
    ("/ds/orders/a/b/label", "/ds/orders/{order_id}/label", False),  # ... and has no /
    ("/ds/orders/[/]/label", "/ds/orders/{order_id}/label", False),
    ("/ds/orders", "/ds/orders/{order_id}/label", False),
    ("/jit/returns/**", "/jit/returns", False),                     # the ** needs the / after returns
])
def test_overlap_decides_whether_some_path_is_both_the_globs_and_the_routes(glob, template, expected):
    assert overlap(glob, template) is expected


def test_overlap_agrees_with_fnmatch_over_every_id_up_to_six_characters():
    rnd = random.Random(3)
    for _ in range(300):
        glob = "".join(rnd.choice("a/b*?o") for _ in range(rnd.randint(1, 6)))
        template = rnd.choice(["/a/{x}/b", "/a/{x}", "/{x}", "a{x}b", "/ab"])
        brute = any(fnmatch.fnmatchcase(template.replace("{x}", "".join(v)), glob)
                    for n in range(1, 7) for v in itertools.product("abo", repeat=n))
        assert overlap(glob, template) is brute, (glob, template)


def test_problem_passes_what_the_api_serves_and_names_what_it_does_not():
    assert problem("POST", "/ds/orders", {"status": "Cancel"}) is None
    assert problem("get", "/ds/orders/${o[0]}/tracking") is None     # a reference stands for an id; any case
    assert problem(None, "/ajio-vms/**") is None
    assert problem("POST", "/documents/*") == ("method 'POST' is not taken by any call matching '/documents/*' (they "
                                               "take GET): an expectation on it could never see a call")
    assert problem(None, "/ds/Orders/${o[0]}/label").startswith(
        "path '/ds/Orders/${o[0]}/label' matches no call of the AJIO API (paths are case-sensitive")
    assert problem("POST", "/ds/orders", {"statsu": "Cancel"}) == (
        "body key 'statsu' is in no request body of the calls matching POST '/ds/orders' (their keys: order_id, "
        "order_lines, status)")


HEAD = """\
name: matcher check
rule: API-CHANGE-SENT-ONCE
model: ds
world:
  sellers: [{name: pob}]
steps:
  - place_orders: {count: 1, as: o}
"""


def _load(tmp_path, steps: str, top: str = "") -> None:
    path = tmp_path / "s.yaml"
    path.write_text(HEAD + textwrap.indent(textwrap.dedent(steps), "  ") + top)
    load_scenario(path)


def _refused(tmp_path, steps: str, top: str = "") -> str:
    with pytest.raises(ScenarioError) as caught:
        _load(tmp_path, steps, top)
    return str(caught.value)


def test_loader_refuses_a_request_expectation_no_call_can_meet(tmp_path):
    message = _refused(tmp_path, """\
      - expect:
          - request: {method: POST, path: "/ds/orders/*/lable", made: false}
    """)
    assert "step 2 (expect) expectation 1 (request): path '/ds/orders/*/lable' matches no call of the AJIO API" in message
    assert "say `outside_api: true` with made: false or max: 0" in message
    assert "method 'PUT' is not taken" in _refused(tmp_path, """\
      - expect:
          - request: {method: PUT, path: /ds/orders, max: 1}
    """)
    assert "body key 'statsu' is in no request body" in _refused(tmp_path, """\
      - expect:
          - request: {method: POST, path: /ds/orders, body: {statsu: Cancel}, made: false}
    """)


def test_loader_refuses_every_kind_of_call_matcher_that_no_call_can_meet(tmp_path):
    for steps in ("- expect:\n    - requests_in_order:\n        - {method: POST, path: /ds/orders}\n"
                  "        - {method: POST, path: /ds/order/*/invoice}\n",
                  "- expect:\n    - refusals: {path: /ds/Returns/*}\n",
                  "- expect:\n    - duplicates: {method: GET, path: /ds/orders/*/track}\n",
                  "- run_connector: {kill_at: {method: POST, path: /ds/orders/*/invoices}}\n"):
        assert "could never see a call" in _refused(tmp_path, steps), steps
    message = _refused(tmp_path, "- run_connector\n", top="allow:\n  - {path: /ds/return/*/qc, max: 1}\n")
    assert message.endswith("allow[1]: path '/ds/return/*/qc' matches no call of the AJIO API (paths are "
                            "case-sensitive; `ajio-sim` serves them at /docs): an expectation on it could never see "
                            "a call")


def test_outside_api_guards_against_a_call_ajio_does_not_serve_only_when_never_made(tmp_path):
    _load(tmp_path, """\
      - expect:
          - request: {method: POST, path: /ds/orders/*/cancel, made: false, outside_api: true}
          - request: {method: POST, path: /ds/orders/*/cancel, max: 0, outside_api: true}
    """)
    assert "outside_api: true goes with made: false, count: 0 or max: 0" in _refused(tmp_path, """\
      - expect:
          - request: {method: POST, path: /ds/orders/*/cancel, min: 1, outside_api: true}
    """)
    assert "outside_api: true, but AJIO serves POST /ds/orders/*/invoice: drop it" in _refused(tmp_path, """\
      - expect:
          - request: {method: POST, path: /ds/orders/*/invoice, made: false, outside_api: true}
    """)


def test_loader_takes_every_matcher_an_ajio_call_can_meet(tmp_path):
    _load(tmp_path, """\
      - run_connector: {kill_at: {method: post, path: "/ds/orders/${o[0]}/invoice"}}
      - expect:
          - request: {method: GET, path: "/ds/orders/${o[0]}/tracking", max: 3}
          - request: {path: "/documents/*", min: 1}
          - refusals: {path: "/ds/**"}
          - requests_in_order:
              - {method: POST, path: /ds/orders, body: {status: Acknowledge}}
              - {method: POST, path: "/ds/orders/*/invoice"}
    """)


def test_loader_refuses_a_fault_that_could_never_strike(tmp_path):
    message = _refused(tmp_path, """\
      - control:
          method: POST
          path: /faults
          body: {match: {method: POST, path: "/ds/orders/*/lable"}, effects: [{kind: status, status: 503}]}
    """)
    assert message.endswith("step 2 (control): body.match: path '/ds/orders/*/lable' matches no call of the AJIO API "
                            "(paths are case-sensitive; `ajio-sim` serves them at /docs): the fault could never strike")
    assert "method 'GET' is not taken" in _refused(tmp_path, """\
      - control:
          method: POST
          path: /faults
          body: {match: {method: GET, path: "/ds/orders/*/label"}, effects: [{kind: status, status: 503}]}
    """)
    _load(tmp_path, """\
      - control:
          method: POST
          path: /faults
          body: {match: {method: POST, path: "/ds/orders/*/label"}, effects: [{kind: status, status: 503}]}
      - run_connector
      - expect:
          - order: {id: "${o[0]}", status: CREATED}
    """)

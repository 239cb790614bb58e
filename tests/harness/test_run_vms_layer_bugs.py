"""Each buggy VMS layer connector of VMS_BUGS (tests/harness/test_run_vms.py, where the table and its coverage tests
live) run by the real `ajio-sim run` against its scenario, failing it naming the rule. A file of its own so that
`make test`'s workers (--dist loadfile: a file per worker) run it beside the ERP rows: together they were the
suite's longest file by far, mostly waiting."""
from __future__ import annotations

import pytest

from .conftest import BUGGY
from .test_run_vms import VMS_BUGS, fails_naming, run_rows

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def buggy_layer_runs(tmp_path_factory, request):
    return run_rows(tmp_path_factory, request,
                    {(bug, scenario): ("--connector-cmd", f"{BUGGY} {bug}") for bug, scenario, _ in VMS_BUGS})


@pytest.mark.parametrize("bug, scenario, rule", VMS_BUGS, ids=[f"{b[0]}-{b[1]}" for b in VMS_BUGS])
def test_run_vms_buggy_connector_fails_naming_the_rule(buggy_layer_runs, bug, scenario, rule):
    fails_naming(buggy_layer_runs[bug, scenario], rule)

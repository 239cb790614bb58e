"""Each buggy ERP of ERP_BUGS (tests/harness/test_run_vms.py, where the table and its coverage tests live) run by the
real `ajio-sim run` beside the reference VMS layer against its scenario, failing it naming the rule. A file of its own
so that `make test`'s workers (--dist loadfile: a file per worker) run it beside the reference ERP's catalogue run:
together they were the suite's longest file by far (stop 53: the last eight minutes of a 20-minute run, one worker
busy), mostly waiting on the ERPs' real-time rounds."""
from __future__ import annotations

import pytest

from .conftest import REFERENCE
from .test_run_vms import BUGGY_ERP, ERP_BUGS, fails_naming, run_rows

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def buggy_erp_runs(tmp_path_factory, request):
    """Every planted ERP bug against its scenario. An ERP bug runs beside the reference connector: a scenario
    judging both sides needs one (`under_test: both`)."""
    return run_rows(tmp_path_factory, request, {
        (bug, scenario): ("--erp-cmd", f"{BUGGY_ERP} {bug}", "--connector-cmd", REFERENCE)
        for bug, scenario, _ in ERP_BUGS})


@pytest.mark.parametrize("bug, scenario, rule", ERP_BUGS, ids=[f"{b[0]}-{b[1]}" for b in ERP_BUGS])
def test_run_vms_buggy_erp_fails_naming_the_rule(buggy_erp_runs, bug, scenario, rule):
    fails_naming(buggy_erp_runs[bug, scenario], rule)

"""Each JIT row of the bug table (tests/harness/test_buggy_connectors.py, where the table and its coverage tests
live) run by the real `ajio-sim run` against its scenario, failing it naming its rules. A file of its own so that
`make test`'s workers (--dist loadfile: a file per worker) run it beside the Dropship rows."""
from __future__ import annotations

import pytest

from .test_buggy_connectors import JIT_BUGS, fails_naming, run_rows

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def jit_bug_runs(request, tmp_path_factory):
    return run_rows(request, tmp_path_factory, "test_buggy_jit_connector_fails_naming_its_rule")


@pytest.mark.parametrize("bug, scenario, rules", JIT_BUGS,
                         ids=[f"{b}-{s.rsplit('/', 1)[-1]}" for b, s, _ in JIT_BUGS])
def test_buggy_jit_connector_fails_naming_its_rule(jit_bug_runs, bug, scenario, rules):
    fails_naming(jit_bug_runs[(bug, scenario)], rules)

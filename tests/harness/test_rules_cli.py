"""`ajio-sim rules [--coverage]`: the rulebook with the scenarios that test each rule (issue 18, pinned)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from contracts import rulebook

ROOT = Path(__file__).resolve().parents[2]


def _rules(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "simulator", "rules", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


def test_rules_lists_each_rule_with_source_and_scenarios():
    out = _rules().stdout
    assert out.count("    source: ") == len(rulebook.rules())
    assert "DS-NO-ORDER-SPLIT  [refusal; ds]" in out and "ds/fulfilment/no_split.yaml" in out


def test_rules_coverage_names_untested_rules_and_ends_with_the_pinned_line(tmp_path):
    (tmp_path / "one.yaml").write_text("name: one\nmodel: ds\nrule: DS-NO-ORDER-SPLIT\n"
                                       "steps:\n  - run_connector\n  - expect:\n      - no_violations: true\n"
                                       "        rule: API-CONTRACT\n")
    result = _rules("--coverage", "--scenarios", str(tmp_path))
    lines = result.stdout.strip().splitlines()
    total = len(rulebook.rules())
    assert result.returncode == 1 and lines[-1] == f"rule coverage: 2/{total}"
    assert not any("DS-NO-ORDER-SPLIT" in line or "API-CONTRACT" in line for line in lines)
    assert "not tested: DS-PO-ON-HOLD (refusal, ds)" in result.stdout


def test_rules_coverage_of_one_model_counts_only_its_rules(tmp_path):
    (tmp_path / "one.yaml").write_text("name: one\nmodel: jit\nrule: JIT-PREPACK-LABEL\nsteps:\n  - run_connector\n")
    result = _rules("--coverage", "--model", "jit", "--scenarios", str(tmp_path))
    jit = [r for r in rulebook.rules().values() if "jit" in r.models]
    assert result.returncode == 1 and result.stdout.strip().splitlines()[-1] == f"rule coverage: 1/{len(jit)}"


def test_rules_with_an_invalid_scenario_exit_2(tmp_path):
    (tmp_path / "bad.yaml").write_text("name: bad\nmodel: ds\nrule: DS-NO-SUCH-RULE\nsteps:\n  - run_connector\n")
    result = _rules("--coverage", "--scenarios", str(tmp_path))
    assert result.returncode == 2 and "is not a rule of the rulebook" in result.stderr

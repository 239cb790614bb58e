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


def _models(model: str) -> list[rulebook.Rule]:
    return [r for r in rulebook.rules().values() if model in r.models]


def test_rules_lists_each_rule_with_source_and_scenarios():
    out = _rules().stdout
    assert out.count("    source: ") == len(rulebook.rules())
    assert "DS-NO-ORDER-SPLIT  [refusal; ds]" in out and "ds/fulfilment/no_split.yaml" in out


def test_rules_coverage_names_untested_rules_and_ends_with_the_pinned_line(tmp_path):
    (tmp_path / "one.yaml").write_text("name: one\nmodel: ds\nrule: DS-NO-ORDER-SPLIT\n"
                                       "steps:\n  - run_connector\n  - expect:\n      - no_violations: true\n"
                                       "        rule: DS-NO-ORDER-SPLIT\n"
                                       "      - connector_exit: 0\n        rule: DS-PO-ON-HOLD\n")
    result = _rules("--coverage", "--scenarios", str(tmp_path))
    lines = result.stdout.strip().splitlines()
    assert result.returncode == 1 and lines[-1] == f"rule coverage: 2/{len(rulebook.rules())}"
    assert not any("DS-NO-ORDER-SPLIT" in line or "DS-PO-ON-HOLD" in line for line in lines)
    assert "not tested: DS-ACK-REREAD-FIRST (duty, ds):" in result.stdout


def test_rules_coverage_a_rule_of_several_models_needs_a_scenario_of_each(tmp_path):
    """A ds scenario checking API-CONTRACT covers it for ds only: overall it stays untested (no jit, vms)."""
    (tmp_path / "one.yaml").write_text("name: one\nmodel: ds\nrule: API-CONTRACT\n"
                                       "steps:\n  - run_connector\n"
                                       "  - expect: [{no_violations: true, rule: API-CONTRACT}]\n")
    overall = _rules("--coverage", "--scenarios", str(tmp_path))
    assert "not tested: API-CONTRACT (refusal, ds, jit, vms):" in overall.stdout
    assert "[no jit, vms scenario checks it]" in overall.stdout
    ds = _rules("--coverage", "--model", "ds", "--scenarios", str(tmp_path))
    assert "API-CONTRACT" not in ds.stdout and ds.stdout.strip().splitlines()[-1] == f"rule coverage: 1/{len(_models('ds'))}"


def test_rules_coverage_counts_checks_not_names(tmp_path):
    """Naming a rule is not testing it: the rule of an expectation counts, a scenario's label alone does not."""
    (tmp_path / "one.yaml").write_text("name: one\nmodel: jit\nrule: JIT-PREPACK-LABEL\nsteps:\n  - run_connector\n")
    result = _rules("--coverage", "--model", "jit", "--scenarios", str(tmp_path))
    assert result.returncode == 1 and result.stdout.strip().splitlines()[-1] == f"rule coverage: 0/{len(_models('jit'))}"


def test_rules_coverage_of_the_catalogue_is_complete_for_every_model():
    """CI: every rule (the common ones as they apply to each model) is checked by a scenario of that model
    (tests/harness/test_buggy_connectors.py and test_run_vms.py prove the checks fail a connector breaking them)."""
    for model in ("ds", "jit", "vms"):
        result = _rules("--coverage", "--model", model)
        n = len(_models(model))
        assert result.returncode == 0, result.stdout
        assert result.stdout.strip().splitlines() == [f"rule coverage: {n}/{n}"]
    overall = _rules("--coverage")
    assert overall.returncode == 0 and overall.stdout.strip().splitlines()[-1].startswith("rule coverage: "), \
        overall.stdout[-2000:]


def test_rules_coverage_a_journal_check_without_a_rule_proves_none(tmp_path):
    """A journal check without `rule:` names whatever rule the offending requests broke: it proves none of the
    scenario's rules, so a scenario whose only check of its rule is one is refused (and covers nothing)."""
    (tmp_path / "one.yaml").write_text("name: one\nmodel: ds\nrule: DS-NO-ORDER-SPLIT\n"
                                       "steps:\n  - run_connector\n  - expect: [{refusals: {path: /ds/**}}]\n")
    result = _rules("--coverage", "--scenarios", str(tmp_path))
    assert result.returncode == 2 and "DS-NO-ORDER-SPLIT is named but no expectation checks it" in result.stderr


def test_rules_with_an_invalid_scenario_exit_2(tmp_path):
    (tmp_path / "bad.yaml").write_text("name: bad\nmodel: ds\nrule: DS-NO-SUCH-RULE\nsteps:\n  - run_connector\n")
    result = _rules("--coverage", "--scenarios", str(tmp_path))
    assert result.returncode == 2 and "is not a rule of the rulebook" in result.stderr


def test_output_into_a_reader_that_stops_early_ends_quietly():
    """`ajio-sim rules | head -1`: the reader closes the pipe after one line; the command ends with 141 (as one killed
    by SIGPIPE) and writes no traceback. The rulebook (over 100 KB) outgrows a pipe's 64 KB buffer, so the command
    is still writing when the reader goes."""
    proc = subprocess.Popen([sys.executable, "-m", "simulator", "rules"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    first = proc.stdout.readline()
    proc.stdout.close()  # the reader is gone
    err = proc.stderr.read()
    assert proc.wait(timeout=120) == 141, err
    assert first.startswith(b"AUTH-") and b"Traceback" not in err and b"BrokenPipe" not in err

"""The rulebook (contracts/rules/*.yaml): its format, ids used by the code, error bodies, docs/rules.md."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from contracts import rulebook
from simulator.domain.machine import MACHINES
from simulator.errors import IllegalTransition

ROOT = Path(__file__).resolve().parents[2]
SOURCES = {"seed-000": {"title": "Unicommerce help", "seed": "000"}, "ajio-sim": {"title": "ajio-sim's choice"}}
GOOD = {"id": "DS-X-Y", "statement": "One line.", "models": ["ds"], "kind": "refusal",
        "source": {"from": "seed-000", "where": "point 5", "quote": "Order Split is not supported."}}


def test_rulebook_loads_with_unique_ids_and_known_sources():
    rules = rulebook.rules()
    assert len(rules) >= 80 and all(rulebook.ID.fullmatch(rid) for rid in rules)
    rule = rulebook.rule("DS-NO-ORDER-SPLIT")
    assert rule.source.seed == "000" and rule.source.where == "point 5"
    assert rule.text() == ('DS-NO-ORDER-SPLIT: An order is never split; it is invoiced, labelled and shipped whole '
                           '(what is still open of it). Source: Unicommerce (Uniware) help, "Integration with AJIO '
                           'Dropship" (seed 000), point 5: "Order Split is not supported by Ajio dropship."')


@pytest.mark.parametrize("change, problem", [
    ({"id": "ds-lower"}, "upper-case dashed id"),
    ({"models": ["b2b"]}, "models must be"),
    ({"kind": "advice"}, "kind must be one of"),
    ({"statement": "two\nlines"}, "one line"),
    ({"source": {"from": "nowhere", "quote": "x"}}, "not in sources.yaml"),
    ({"source": {"from": "seed-000"}}, "needs `from` and `quote`"),
    ({"extra": 1}, "exactly the keys"),
], ids=["id", "models", "kind", "statement", "source-doc", "source-quote", "extra-key"])
def test_parse_refuses_a_rule_breaking_the_format(change, problem):
    with pytest.raises(rulebook.RulebookError, match=problem):
        rulebook.parse(SOURCES, {"x.yaml": [{**GOOD, **change}]})


def test_parse_refuses_an_id_defined_twice():
    with pytest.raises(rulebook.RulebookError, match="defined twice"):
        rulebook.parse(SOURCES, {"a.yaml": [GOOD], "b.yaml": [GOOD]})


def test_rule_lookup_of_an_unknown_id_names_it():
    with pytest.raises(rulebook.RulebookError, match="NO-SUCH-RULE"):
        rulebook.rule("NO-SUCH-RULE")


def _string_constants(tree) -> set[str]:
    return {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def test_every_rule_id_the_simulator_names_is_in_the_rulebook():
    """A misspelt id would turn a refusal into a 500; every id-shaped string literal must be a rule."""
    known = set(rulebook.rules())
    used = set()
    for path in (ROOT / "simulator").rglob("*.py"):
        used |= {s for s in _string_constants(ast.parse(path.read_text())) if rulebook.ID.fullmatch(s)
                 and s.split("-")[0] in {"DS", "JIT", "VMS", "ERP", "API", "AUTH", "POB", "MANIFEST", "INVENTORY",
                                         "DOCUMENTS", "RETURN"}}
    assert used and used <= known, sorted(used - known)


def test_every_state_machine_refusal_names_a_rule_of_its_model():
    for key, machine in MACHINES.items():
        model = "vms" if key.startswith(("vms", "rsi")) else key.split("_")[0] if key != "return" else "ds"
        for event, rid in machine.rules.items():
            assert model in rulebook.rule(rid).models, (key, event, rid)


def test_error_body_carries_the_rule_id_and_its_self_standing_text():
    body = IllegalTransition("not now", field="status", rule="DS-CUSTOMER-CANCEL-UNTIL-INVOICED").body()
    assert body["rule_id"] == "DS-CUSTOMER-CANCEL-UNTIL-INVOICED"
    assert body["rule"].startswith("DS-CUSTOMER-CANCEL-UNTIL-INVOICED: ") and '(seed 000), point 12.1: "' in body["rule"]


def test_error_with_an_unknown_rule_id_fails_loudly_where_it_is_raised():
    with pytest.raises(rulebook.RulebookError):
        IllegalTransition("x", rule="seed 000 point 12.1")


def test_docs_rules_md_is_generated_from_the_rulebook_and_catalogue():
    out = subprocess.run([sys.executable, "-m", "simulator", "rules", "--markdown"], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout
    assert (ROOT / "docs" / "rules.md").read_text() == out, "regenerate: ajio-sim rules --markdown > docs/rules.md"



# The seed documents sit beside the repository (docs cite them as ../shared/seeds/), not in it.
SEED_DIRS = [ROOT.parent / "shared" / "seeds", Path("/work/shared/seeds")]


def _seed_text(seed: str) -> str | None:
    for folder in SEED_DIRS:
        for path in folder.glob(f"{seed}_*.txt"):
            return " ".join(path.read_text(encoding="utf-8").split())
    return None


def test_dropship_rules_quote_their_seed_verbatim():
    """Every Dropship rule resting on a seed quotes it word for word (whitespace aside), curly quotes and all."""
    if _seed_text("000") is None:
        pytest.skip("the seed documents (../shared/seeds) are not beside this checkout")
    wrong = [r.id for r in rulebook.rules().values() if r.file == "ds.yaml" and r.source.seed
             and r.source.quote not in _seed_text(r.source.seed)]
    assert wrong == []

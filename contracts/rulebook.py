"""The rulebook: every rule AJIO enforces or a connector must keep, as data (contracts/rules/*.yaml).

Each rule has a stable id (DS-CUSTOMER-CANCEL-UNTIL-INVOICED), a one-line statement, the models it
applies to, its kind (`refusal`: AJIO refuses a request breaking it, and the error body names it;
`duty`: what a connector or ERP must do, which only a scenario can tell; `setup`: how AJIO sets up a
seller's account, refused when a POB is created, which no connector call can break) and its source: a document
named in full (contracts/rules/sources.yaml) and the sentence quoted from it, so a citation stands on
its own. The simulator's refusals, the harness's failures, docs/rules.md and `ajio-sim rules` all read
these records; nothing else defines a rule.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

ID = re.compile(r"[A-Z][A-Z0-9]*(?:-[A-Z0-9.]+)+")
MODELS = ("ds", "jit", "vms")
KINDS = ("refusal", "duty", "setup")
FILES = ("common.yaml", "ds.yaml", "jit.yaml", "vms.yaml", "erp.yaml")


class RulebookError(ValueError):
    """A rulebook file that breaks the format, or a rule id nobody defined."""


@dataclass(frozen=True, slots=True)
class Source:
    key: str            # e.g. "seed-000"
    title: str          # the document's full name
    seed: str | None    # "000".."004" for the project's five source documents
    where: str | None   # the place in the document: "point 12.2", "prerequisites"
    quote: str          # the sentence the rule rests on, verbatim

    def citation(self) -> str:
        seed = f" (seed {self.seed})" if self.seed else ""
        where = f", {self.where}" if self.where else ""
        return f'{self.title}{seed}{where}: "{self.quote}"'


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    statement: str
    models: tuple[str, ...]
    kind: str
    source: Source
    file: str

    def text(self) -> str:
        """The rule as one self-standing line: what error bodies and failure reports print."""
        return f"{self.id}: {self.statement} Source: {self.source.citation()}"


def _fail(file: str, where: str, problem: str) -> RulebookError:
    return RulebookError(f"contracts/rules/{file}: {where}: {problem}")


# libyaml's parser when PyYAML has it: the same safe constructors, ~13 times faster (70 ms of pure-Python parsing
# in every process that names a rule: each `ajio-sim run` and `serve`, hundreds in a test session).
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read(name: str):
    text = resources.files("contracts").joinpath("rules", name).read_text(encoding="utf-8")
    return yaml.load(text, Loader=_YAML_LOADER)


def _source(file: str, rid: str, raw, sources: dict) -> Source:
    if not isinstance(raw, dict) or set(raw) - {"from", "where", "quote"} or not {"from", "quote"} <= set(raw):
        raise _fail(file, rid, "source needs `from` and `quote` (and optionally `where`), nothing else")
    doc = sources.get(raw["from"])
    if doc is None:
        raise _fail(file, rid, f"source `from: {raw['from']}` is not in sources.yaml ({', '.join(sources)})")
    if not isinstance(raw["quote"], str) or not raw["quote"].strip():
        raise _fail(file, rid, "source.quote must be the quoted sentence")
    return Source(raw["from"], doc["title"], doc.get("seed"), raw.get("where"), " ".join(raw["quote"].split()))


@cache
def rules() -> dict[str, Rule]:
    """Every rule by id, in file order; the files are checked once, on first use."""
    return parse(_read("sources.yaml"), {file: _read(file) for file in FILES})


def parse(sources: dict, files: dict[str, object]) -> dict[str, Rule]:
    """Rules from loaded YAML documents (file name -> list of rules), checked against the format."""
    out: dict[str, Rule] = {}
    for file, doc in files.items():
        if doc is not None and not isinstance(doc, list):
            raise _fail(file, "top level", "a rules file is a list of rules")
        for n, raw in enumerate(doc or [], 1):
            where = f"rule {n}"
            if not isinstance(raw, dict):
                raise _fail(file, where, "each rule is a mapping")
            keys = {"id", "statement", "models", "kind", "source"}
            if set(raw) != keys:
                raise _fail(file, where, f"a rule has exactly the keys {sorted(keys)} (got {sorted(raw)})")
            rid = raw["id"]
            if not isinstance(rid, str) or not ID.fullmatch(rid):
                raise _fail(file, where, f"id {rid!r} is not an upper-case dashed id like DS-NO-ORDER-SPLIT")
            if rid in out:
                raise _fail(file, rid, f"id defined twice (also in {out[rid].file})")
            if not isinstance(raw["statement"], str) or "\n" in raw["statement"].strip():
                raise _fail(file, rid, "statement is one line of text")
            models = tuple(raw["models"] or ())
            if not models or set(models) - set(MODELS):
                raise _fail(file, rid, f"models must be a non-empty list from {MODELS}")
            if raw["kind"] not in KINDS:
                raise _fail(file, rid, f"kind must be one of {KINDS}")
            out[rid] = Rule(rid, raw["statement"].strip(), models, raw["kind"],
                            _source(file, rid, raw["source"], sources), file)
    return out


def rule(rule_id: str) -> Rule:
    try:
        return rules()[rule_id]
    except KeyError:
        raise RulebookError(f"no rule {rule_id!r} in the rulebook (contracts/rules/*.yaml)") from None


def is_rule(rule_id: object) -> bool:
    return isinstance(rule_id, str) and rule_id in rules()

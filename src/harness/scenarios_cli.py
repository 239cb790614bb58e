"""`ajio-sim scenarios list|export DIR|schema`: the bundled catalogue, for teams that run or fork it."""
from __future__ import annotations

import json
import sys

from harness import catalogue
from harness.model import ScenarioError
from harness.tables import print_table


def add_parser(sub) -> None:
    p = sub.add_parser("scenarios", help="the bundled scenario catalogue: list, export, schema",
                       description="The scenario catalogue bundled with ajio-sim (run it with "
                                   "`ajio-sim run --catalogue ds|jit|vms|all`).")
    ssub = p.add_subparsers(dest="action", required=True)
    ls = ssub.add_parser("list", help="every bundled scenario with its catalogue, rule and tags",
                         description="Every bundled scenario: catalogue, file, name, rule, tags.")
    ls.add_argument("--catalogue", choices=catalogue.CHOICES, default="all", help="only this catalogue (default all)")
    ls.add_argument("--json", action="store_true", help="print JSON (for scripts)")
    ex = ssub.add_parser("export", help="copy the catalogue to DIR, to fork it",
                         description="Copy the bundled scenarios (with the format README and the JSON Schema) "
                                     "to DIR; run your copy with `ajio-sim run DIR --connector-cmd ...`.")
    ex.add_argument("dir", metavar="DIR", help="where to write (created if missing)")
    ex.add_argument("--catalogue", choices=catalogue.CHOICES, default="all", help="only this catalogue (default all)")
    ex.add_argument("--force", action="store_true", help="overwrite files that are already there")
    sc = ssub.add_parser("schema", help="print the JSON Schema of the scenario format",
                         description="The JSON Schema (draft 2020-12) of a scenario file, for editors and linters.")
    sc.add_argument("--output", "-o", metavar="FILE", help="write it to FILE instead of standard output")


def schema_text() -> str:
    path = catalogue.root() / catalogue.SCHEMA_FILE
    if not path.is_file():
        raise ScenarioError(f"the scenario schema {path} is missing from this installation")
    return path.read_text(encoding="utf-8")


def main(args) -> int:
    try:
        if args.action == "list":
            return _list(args)
        if args.action == "export":
            return _export(args)
        text = schema_text()
        if args.output:
            with open(args.output, "w", encoding="utf-8") as out:
                out.write(text)
        else:
            sys.stdout.write(text)
        return 0
    except ScenarioError as exc:
        print(f"ajio-sim scenarios: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"ajio-sim scenarios: {exc}", file=sys.stderr)
        return 2


def _list(args) -> int:
    from harness.loader import load_scenario

    rows = []
    for path in catalogue.files(args.catalogue):
        s = load_scenario(path)
        rows.append({"catalogue": catalogue.catalogue_of(path), "file": catalogue.relative(path), "name": s.name,
                     "rule": s.rule, "tags": s.tags})
    if args.json:
        print(json.dumps({"root": str(catalogue.root()), "scenarios": rows}, indent=1))
        return 0
    if not rows:
        print(f"no scenarios in the {args.catalogue} catalogue of this version of ajio-sim")
        return 0
    print_table(["catalogue", "file", "name", "rule", "tags"],
                [[r["catalogue"], r["file"], r["name"], r["rule"], ",".join(r["tags"])] for r in rows])
    counts = catalogue.counts()
    print(f"{len(rows)} scenario(s); " + ", ".join(f"{n}: {c}" for n, c in counts.items()))
    return 0


def _export(args) -> int:
    written = catalogue.export(args.dir, args.catalogue, force=args.force, schema_text=schema_text())
    scenarios = sum(p.suffix == ".yaml" for p in written)
    print(f"exported {scenarios} scenario(s) of the {args.catalogue} catalogue to {args.dir} "
          f"(with README.md and {catalogue.SCHEMA_FILE}); run them with: "
          f"ajio-sim run {args.dir} --connector-cmd \"...\"")
    return 0

"""`ajio-sim snapshot export FILE | import FILE`: a running simulator's whole world to a file and back."""
from __future__ import annotations

import json
import sys

from simulator.client import DEFAULT_BASE_URL, SimClient, SimError, Unreachable, env_admin_token, env_sim_url

EXIT_REFUSED, EXIT_USAGE, EXIT_UNREACHABLE = 1, 2, 3


def register(sub) -> None:
    from simulator.qa_cli import _common
    common = _common()
    p = sub.add_parser("snapshot", help="save the whole world to a file, or replace it with one",
                       description="World snapshots (GET/POST /_sim/snapshot): every seller, catalogue, order, "
                                   "return, document, timer, journal entry, fault rule and the simulated clock, in "
                                   "one JSON file. `ajio-sim serve --snapshot FILE` starts from one.")
    ssub = p.add_subparsers(dest="action", required=True)
    ex = ssub.add_parser("export", parents=[common], help="write the running simulator's world to FILE")
    ex.add_argument("file", metavar="FILE", help="where to write the snapshot ('-' for standard output)")
    im = ssub.add_parser("import", parents=[common],
                         help="replace the running simulator's world with FILE's (same --seed, format_version 1)")
    im.add_argument("file", metavar="FILE", help="a snapshot file ('-' for standard input)")


def main(args) -> int:
    client = SimClient(getattr(args, "base_url", None) or env_sim_url() or DEFAULT_BASE_URL,
                       getattr(args, "admin_token", None) or env_admin_token() or None, timeout=600)
    try:
        if args.action == "export":
            doc = client.call("GET", "/snapshot")
            text = json.dumps(doc)
            if args.file == "-":
                sys.stdout.write(text + "\n")
            else:
                with open(args.file, "w", encoding="utf-8") as out:
                    out.write(text)
                print(f"snapshot of {client.base_url} written to {args.file}: {_summary(doc['counts'])}; "
                      f"simulated now {doc['clock']['now']}{' (frozen)' if doc['clock']['frozen'] else ''}",
                      file=sys.stderr if getattr(args, "json", False) else sys.stdout)
            return 0
        try:
            raw = sys.stdin.read() if args.file == "-" else open(args.file, encoding="utf-8").read()
            doc = json.loads(raw)
        except OSError as exc:
            print(f"ajio-sim snapshot: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
            return EXIT_USAGE
        except ValueError:
            print(f"ajio-sim snapshot: {args.file} is not JSON: not a snapshot file", file=sys.stderr)
            return EXIT_USAGE
        answer = client.call("POST", "/snapshot", doc)
        if getattr(args, "json", False):
            print(json.dumps(answer, indent=2))
        else:
            print(f"{client.base_url} now holds the world of {args.file}: {_summary(answer['counts'])}")
        return 0
    except SimError as exc:
        print(f"ajio-sim snapshot: refused ({exc.status} {exc.code or ''}): {exc.message}"
              + (f"\n  field: {exc.field}" if exc.field else ""), file=sys.stderr)
        return EXIT_REFUSED
    except Unreachable as exc:
        print(f"ajio-sim: {exc}", file=sys.stderr)
        return EXIT_UNREACHABLE


def _summary(counts: dict) -> str:
    return (f"{counts.get('pobs', 0)} POB(s), {counts.get('orders', 0)} order(s), {counts.get('returns', 0)} "
            f"return(s), {counts.get('journal', 0)} journal entries")

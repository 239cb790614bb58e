"""VMS QA subcommands of `ajio-sim` (registered by simulator/qa_cli.py): the simulated VMS layer's
acknowledgement hold and the postings to a seller's ERP, dead letters included.

    ajio-sim release-ack ID                         the simulated layer sends the held acknowledgement now
    ajio-sim erp postings [--pob P] [--status S]    the postings with their attempts
    ajio-sim erp dead-letters [--pob P]             postings the ERP never accepted after the last retry
    ajio-sim erp redeliver ID | --pob P             send dead letters again (MAX_ATTEMPTS more tries)
    ajio-sim erp deliver                            send every posting due now, synchronously
"""
from __future__ import annotations

import argparse
from datetime import datetime, timedelta, timezone

from contracts.vms_control import POSTING_STATUSES
from contracts.vms_control import POSTING_TYPES as POSTING_EVENTS

COMMANDS = ("release-ack", "erp")


def register(sub, common: argparse.ArgumentParser) -> None:
    ra = sub.add_parser("release-ack", parents=[common],
                        help="VMS, simulated layer: send an order's held acknowledgement to AJIO now",
                        description="The simulated VMS layer ends the order's acknowledgement hold (seed 002: 4 "
                                    "hours) and sends it to AJIO now (POST /_sim/vms/orders/ID/release-ack).")
    ra.add_argument("order_id", metavar="ID")

    erp = sub.add_parser("erp", help="VMS: postings to sellers' ERPs, dead letters and redelivery",
                         description="The postings ajio-sim sends to a VMS seller's ERP (seed 004; docs/vms.md).")
    esub = erp.add_subparsers(dest="action", required=True)
    ep = esub.add_parser("postings", parents=[common], help="the postings with status, attempts and last answer",
                         description="ERP postings (GET /_sim/erp/postings), oldest first.")
    ep.add_argument("--pob", help="only this POB's")
    ep.add_argument("--status", choices=POSTING_STATUSES, help="only this status (FAILED = dead letter)")
    ep.add_argument("--event", choices=POSTING_EVENTS, help="only this event type")
    ep.add_argument("--entity", help="only postings about this order or return")
    ed = esub.add_parser("dead-letters", parents=[common], help="postings the ERP never accepted after the last retry",
                         description="Dead letters (GET /_sim/erp/dead-letters): kept, never retried by themselves.")
    ed.add_argument("--pob", help="only this POB's")
    er = esub.add_parser("redeliver", parents=[common], help="send a dead letter, or all of a POB's, again",
                         description="Dead letters back to the queue, due now, in order (POST "
                                     "/_sim/erp/postings/ID/redeliver or /_sim/erp/redeliver); the server's sender "
                                     "posts them, or `ajio-sim erp deliver` at once.")
    who = er.add_mutually_exclusive_group(required=True)
    who.add_argument("posting_id", nargs="?", type=int, metavar="ID", help="the posting's id")
    who.add_argument("--pob", help="every dead letter of this POB")
    esub.add_parser("deliver", parents=[common], help="send every posting due now, synchronously",
                    description="Send every posting due at the simulated now (POST /_sim/erp/deliver).")


def _postings_table(table, title: str, rows: list[dict]):
    return table(title, ["id", "POB", "event", "about", "status", "attempts", "last answer"],
                 [[p["id"], p["pob_id"], p["event_type"], p["entity_id"], p["status"], p["attempts"],
                   _last(p)] for p in rows])


def _last(posting: dict) -> str:
    tries = [e for e in posting.get("log") or [] if "attempt" in e]
    if not tries:
        return ""
    t = tries[-1]
    return f"{t['status'] if t['status'] is not None else 'no answer'}: {t['outcome']}"


def run(args, client, con, table):
    """(JSON answer, printer) for one of COMMANDS; SimError propagates to qa_cli.main."""
    if args.command == "release-ack":
        out = client.release_ack(args.order_id)
        at = datetime.fromtimestamp(out["acknowledged_at"], timezone(timedelta(hours=5, minutes=30)))
        return out, lambda: con.print(f"release-ack: {args.order_id} is now {out['status']} "
                                      f"(acknowledged {at:%Y-%m-%d %H:%M:%S} IST)")
    if args.action == "postings":
        rows = client.erp_postings(pob_id=args.pob, status=args.status, event_type=args.event, entity_id=args.entity)
        return {"postings": rows}, lambda: con.print(_postings_table(table, "ERP postings", rows))
    if args.action == "dead-letters":
        rows = client.dead_letters(pob_id=args.pob)
        return {"dead_letters": rows}, lambda: con.print(
            _postings_table(table, "Dead letters", rows) if rows else "no dead letters")
    if args.action == "redeliver":
        ids = client.redeliver(posting_id=args.posting_id, pob_id=args.pob)
        return {"redelivered": ids}, lambda: con.print(
            f"redelivered {len(ids)} posting(s): {', '.join(map(str, ids)) or 'none'}")
    out = client.deliver_postings()
    return out, lambda: con.print(", ".join(f"{k} {v}" for k, v in out.items()))

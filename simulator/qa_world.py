"""QA subcommands for the messier world (docs/dropship.md): courier tracking and failed deliveries, the
timing profile and SLAs, and a seller's own catalogue. Registered by simulator/qa_cli.py.

    ajio-sim tracking ID                        ajio-sim attempt ID [--reason R] [--location L]
    ajio-sim scan ID MILESTONE [--location L]   ajio-sim timing [show] | timing set [--profile ...]
    ajio-sim catalogue import FILE (--pob DV... | --seller SL...) [--keep-existing]
    ajio-sim catalogue publish|unpublish SKU ... (--pob DV... | --seller SL...)
"""
from __future__ import annotations

import argparse

from contracts.control import FAILURE_REASONS, PROFILES, SCANS
from contracts.durations import parse_duration

COMMANDS = ("tracking", "attempt", "scan", "timing", "catalogue")


def _duration(text: str) -> int:
    try:
        return parse_duration(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _seller(p) -> None:
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--pob", help="the seller, named by one of its POBs (DV...)")
    who.add_argument("--seller", help="the seller id (SL...)")


def register(sub, common) -> None:
    t = sub.add_parser("tracking", parents=[common], help="an order's courier milestones",
                       description="The courier's milestones of an order up to now, and what its plan holds "
                                   "(GET /_sim/orders/ID/tracking).")
    t.add_argument("order_id", metavar="ID")

    a = sub.add_parser("attempt", parents=[common], help="a failed delivery attempt (the last one starts the RTO)",
                       description="The courier tried to deliver and failed (POST /_sim/orders/ID/delivery-attempt); "
                                   "after the last attempt allowed (3 by default) the parcel returns to origin.")
    a.add_argument("order_id", metavar="ID")
    a.add_argument("--reason", choices=FAILURE_REASONS, default="CUSTOMER_NOT_AVAILABLE",
                   help="why it failed (default CUSTOMER_NOT_AVAILABLE)")
    a.add_argument("--location", help="where (default the customer's city)")

    s = sub.add_parser("scan", parents=[common], help="a courier scan on a parcel in transit",
                       description="A courier milestone now (POST /_sim/orders/ID/scan).")
    s.add_argument("order_id", metavar="ID")
    s.add_argument("milestone", choices=SCANS)
    s.add_argument("--location", help="where (default the hub or city the milestone belongs to)")

    timing = sub.add_parser("timing", parents=[common], help="the timing profile and AJIO's SLAs",
                            description="The world's timing profile (exact or realistic) and SLAs (/_sim/timing).")
    tsub = timing.add_subparsers(dest="action")
    tsub.add_parser("show", parents=[common], help="the current settings (the default)")
    ts = tsub.add_parser("set", parents=[common], help="change some settings; the others stay",
                         description="Change the timing profile or SLAs (PUT /_sim/timing).")
    ts.add_argument("--profile", choices=PROFILES)
    ts.add_argument("--ack-sla", type=_duration, metavar="DURATION", help="acknowledgement SLA, e.g. 24h (0 = off)")
    ts.add_argument("--dispatch-sla", type=_duration, metavar="DURATION", help="dispatch SLA, e.g. 48h (0 = off)")
    ts.add_argument("--dispatch-sla-cancel", action=argparse.BooleanOptionalAction, default=None,
                    help="cancel (not only flag) an order past its dispatch SLA")
    ts.add_argument("--max-delivery-attempts", type=int, metavar="N", help="failed attempts before the RTO")

    cat = sub.add_parser("catalogue", help="a seller's own catalogue: import, publish, unpublish",
                         description="A seller's own catalogue, shared by its Dropship and VMS POBs (/_sim/catalogue).")
    csub = cat.add_subparsers(dest="action", required=True)
    imp = csub.add_parser("import", parents=[common], help="import a JSON or CSV catalogue",
                          description="Import listings (sku, ean, name, brand, size, colour, mrp, price, hsn, "
                                      "category, published, quantity) from a .json or .csv file for every Dropship "
                                      "and VMS POB of the seller; each POB keeps its own stock.")
    imp.add_argument("file", help="a .json (a list of listings, or {\"products\": [...]}) or .csv file")
    _seller(imp)
    imp.add_argument("--keep-existing", action="store_true",
                     help="add and update listings, keep those not in the file (default: the file replaces them)")
    for verb in ("publish", "unpublish"):
        p = csub.add_parser(verb, parents=[common], help=f"{verb} SKUs on every POB of the seller",
                            description=f"{verb.capitalize()} SKUs (POST /_sim/catalogue/publish); customers order "
                                        f"published listings only.")
        p.add_argument("skus", nargs="+", metavar="SKU", help="SKUs exactly as listed")
        _seller(p)


def run(args, client, con, ist, table):
    """(answer, print) for one of COMMANDS."""
    cmd = args.command
    if cmd == "tracking":
        out = client.tracking(args.order_id)
        return out, lambda: _show_tracking(con, out, ist, table)
    if cmd == "attempt":
        out = client.delivery_attempt(args.order_id, args.reason, args.location)
        rto = f"; the courier gave up: RTO {out['return_order_id']}" if out.get("return_order_id") else ""
        return out, lambda: con.print(f"delivery attempt {out['delivery_attempts']} of {args.order_id} failed "
                                      f"({args.reason}); order {out['status']}{rto}")
    if cmd == "scan":
        out = client.scan(args.order_id, args.milestone, args.location)
        return out, lambda: con.print(f"{args.order_id}: {out['shipment_status']}")
    if cmd == "timing":
        if getattr(args, "action", None) == "set":
            out = client.set_timing(profile=args.profile, ack_sla=args.ack_sla, dispatch_sla=args.dispatch_sla,
                                    dispatch_sla_cancel=args.dispatch_sla_cancel,
                                    max_delivery_attempts=args.max_delivery_attempts)
        else:
            out = client.timing()
        return out, lambda: con.print(
            f"profile {out['profile']}; acknowledgement SLA {_hours(out['ack_sla'])}, dispatch SLA "
            f"{_hours(out['dispatch_sla'])} ({'cancels' if out['dispatch_sla_cancel'] else 'flags'}); "
            f"{out['max_delivery_attempts']} delivery attempts before an RTO")
    who = {"pob_id": args.pob, "seller_id": args.seller}
    if args.action == "import":
        out = client.import_catalogue(args.file, replace=not args.keep_existing, **who)
        return out, lambda: con.print(f"{out['imported']} listing(s) on POB(s) {', '.join(out['pob_ids'])} of seller "
                                      f"{out['seller_id']}" + (f"; {out['removed']} removed" if out["removed"] else ""))
    out = client.publish(args.skus, published=args.action == "publish", **who)
    return out, lambda: con.print(f"{', '.join(out['skus'])}: {out['published_status']} "
                                  f"({out['listings_changed']} listing(s))")


def _hours(seconds: int) -> str:
    return "off" if not seconds else f"{seconds / 3600:g} h"


def _show_tracking(con, out: dict, ist, table) -> None:
    con.print(f"Order {out['order_id']} ({out['status']}), {out['carrier']} AWB {out.get('tracking_number') or '-'}: "
              f"{out.get('shipment_status') or 'not picked up'}, {out['delivery_attempts']} failed attempt(s)")
    rows = [[ist(e["at"]), e["status"], e["location"], e.get("reason") or ""] for e in out["events"]]
    con.print(table("Milestones", ["time", "milestone", "where", "reason"], rows))
    if out.get("planned"):
        con.print(table("Planned by the courier", ["time", "milestone", "where", "reason"],
                        [[ist(e["at"]), e["status"], e["location"], e.get("reason") or ""] for e in out["planned"]]))

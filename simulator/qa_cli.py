"""QA subcommands of `ajio-sim`: drive a running simulator through its control plane.

    ajio-sim seller create|list        ajio-sim orders create|list      ajio-sim order show ID
    ajio-sim cancel|pickup|deliver|rto|return ID      ajio-sim return-arrive|return-withdraw RID
    ajio-sim clock [show]|advance 4h|set EPOCH|freeze|unfreeze          ajio-sim journal [--pob ...]
    ajio-sim fault add|list|clear                                       ajio-sim reset
    ajio-sim tracking|attempt|scan ID    ajio-sim timing    ajio-sim catalogue import|publish|unpublish
    ajio-sim release-ack ID                 ajio-sim erp postings|dead-letters|redeliver|deliver   (VMS)

Every command takes --base-url (default $AJIO_SIM_URL or http://127.0.0.1:8080), --admin-token
(default $AJIO_SIM_ADMIN_TOKEN) and --json (the control plane's answer, for scripts).
Exit codes: 0 done, 1 the simulator refused (its message and rule are printed), 2 bad usage,
3 no simulator answers at the base URL.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import datetime, timedelta, timezone

from contracts.control import CARRIERS, FAILURE_REASONS
from simulator import qa_cli_vms, qa_world
from simulator.client import (
    DEFAULT_BASE_URL,
    SimClient,
    SimError,
    Unreachable,
    env_admin_token,
    env_sim_url,
    line_columns,
    parse_duration,
)

IST = timezone(timedelta(hours=5, minutes=30))
EXIT_REFUSED, EXIT_USAGE, EXIT_UNREACHABLE = 1, 2, 3
# CLI verb -> the control plane's world event on an order.
ORDER_EVENTS = {"cancel": ("customer-cancel", "the customer cancels the order (refused once it is invoiced)"),
                "pickup": ("pickup", "the courier picks the parcel up (READY_TO_DISPATCH -> DISPATCHED)"),
                "deliver": ("deliver", "the courier delivers the parcel (DISPATCHED -> DELIVERED)"),
                "rto": ("rto", "delivery failed: the parcel comes back as an RTO"),
                "return": ("customer-return", "the customer returns a delivered order")}
COMMANDS = ("seller", "orders", "order", *ORDER_EVENTS, "return-arrive", "return-withdraw", "clock", "fault",
            "journal", "reset",
            *qa_world.COMMANDS, *qa_cli_vms.COMMANDS)


def _common() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False)
    g = p.add_argument_group("simulator connection")
    # SUPPRESS: an option given at any level (`clock --json advance 4h`) is not reset by a nested parser.
    g.add_argument("--base-url", default=argparse.SUPPRESS,
                   help=f"the running simulator (default $AJIO_SIM_URL or {DEFAULT_BASE_URL})")
    g.add_argument("--admin-token", default=argparse.SUPPRESS,
                   help="admin token of /_sim (default $AJIO_SIM_ADMIN_TOKEN; needed beyond loopback)")
    g.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                   help="print the control plane's JSON answer (for scripts)")
    return p


def _duration(text: str) -> int:
    try:
        return parse_duration(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _line(text: str) -> dict:
    item, sep, qty = text.partition(":")
    if not sep or not item or not qty.isdigit() or int(qty) < 1:
        raise argparse.ArgumentTypeError(f"not ITEM:QTY: {text!r} (e.g. FN123-1:1)")
    return {"order_item_id": item, "quantity": int(qty)}


def _sku(text: str) -> dict:
    sku, sep, qty = text.rpartition(":")
    if not sep:
        return {"sku": text, "quantity": 1}
    if not sku or not qty.isdigit() or int(qty) < 1:
        raise argparse.ArgumentTypeError(f"not SKU[:QTY]: {text!r}")
    return {"sku": sku, "quantity": int(qty)}


def _json_object(text: str) -> dict:
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not JSON: {exc}") from None
    if not isinstance(value, dict):
        raise argparse.ArgumentTypeError(f"not a JSON object: {text!r}")
    return value


def _effect(text: str) -> dict:
    """KIND[:key=value,...] -> {"kind": KIND, key: value}; numbers and true/false become JSON ones (not the values
    of ids and texts: line_failure:sku=1001 names SKU "1001"), and a dotted key an object's member
    (unknown_value:field=status,item.order_id=FN1 -> "item": {"order_id": "FN1"})."""
    kind, _, rest = text.partition(":")
    if not re.fullmatch(r"[a-z_]+", kind):
        raise argparse.ArgumentTypeError(f"not KIND[:key=value,...]: {text!r} (e.g. status:status=503)")
    effect: dict = {"kind": kind}
    for item in filter(None, rest.split(",")):
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise argparse.ArgumentTypeError(f"not key=value: {item!r} in {text!r}")
        outer, dot, inner = key.partition(".")
        if dot:
            if not inner or not isinstance(effect.setdefault(outer, {}), dict):
                raise argparse.ArgumentTypeError(f"not key=value or key.member=value: {item!r} in {text!r}")
            effect[outer][inner] = _scalar(value)
        elif key in _LIST_KEYS:   # stale_page:ignore_params=fromDate+toDate -> ["fromDate", "toDate"]
            effect[key] = value.split("+")
        else:
            # An id stays text even when it looks like a number (a SKU or an order id of digits).
            effect[key] = value if key in _TEXT_KEYS else _scalar(value)
    return effect


_TEXT_KEYS = ("sku", "order_id", "error_message", "field", "value")
_LIST_KEYS = ("ignore_params",)


def _scalar(value: str):
    if value in ("true", "false"):
        return value == "true"
    for kind in (int, float):
        try:
            return kind(value)
        except ValueError:
            pass
    return value


def register(sub) -> None:
    """Add the QA subcommands to the `ajio-sim` parser's subparsers."""
    common = _common()

    seller = sub.add_parser("seller", help="create or list sellers (POBs)", description="Sellers and their POBs.")
    ssub = seller.add_subparsers(dest="action", required=True)
    sc = ssub.add_parser("create", parents=[common], help="create a POB with a Faker catalog",
                         description="Create a seller's POB (POST /_sim/sellers); prints its login.")
    sc.add_argument("--model", default="ds", choices=("ds", "jit", "vms"), help="selling model (default ds)")
    sc.add_argument("--store-code", help="store code (default generated)")
    sc.add_argument("--seller-id", help="add a POB to this existing seller")
    sc.add_argument("--einvoicing", action="store_true", help="the POB e-invoices (IRN and QR on invoices)")
    sc.add_argument("--no-shipping-api", action="store_true", help="the POB has no shipping-API access")
    sc.add_argument("--erp-url", help="the seller's ERP URL (VMS postings)")
    sc.add_argument("--password", help="API password (default generated)")
    sc.add_argument("--catalog-size", type=int, help="number of Faker listings (default 20)")
    vms = sc.add_argument_group("VMS settings (docs/vms.md)")
    vms.add_argument("--einvoice-model", choices=("erp", "rms"), help="e-invoice via the ERP (1, default) or RMS (2)")
    vms.add_argument("--return-model", choices=("credit_note", "rsi"), help="credit note (default) or RSI")
    vms.add_argument("--vms-layer", choices=("connector", "simulated"),
                     help="who plays the VMS layer: the connector under test (default) or ajio-sim (for an ERP)")
    vms.add_argument("--ack-hold", type=_duration, help="the acknowledgement hold, e.g. 4h (default), 30m, 0 = none")
    vms.add_argument("--late-customer-cancel", action="store_true",
                     help="customers may cancel after the acknowledgement too (seed 004)")
    vms.add_argument("--channel-name", help="the channel (customer) code the ERP postings name")
    ssub.add_parser("list", parents=[common], help="list every POB with its credentials and settings")

    orders = sub.add_parser("orders", help="place or list orders", description="Orders of the world.")
    osub = orders.add_subparsers(dest="action", required=True)
    oc = osub.add_parser("create", parents=[common], help="place Faker orders for a POB",
                         description="Place orders (POST /_sim/orders) for a POB.")
    oc.add_argument("--pob", required=True, help="the POB id (DV...)")
    oc.add_argument("--count", type=int, default=1, help="how many orders (default 1, at most 1000)")
    oc.add_argument("--seed", type=int, help="Faker seed for these orders")
    oc.add_argument("--sku", action="append", type=_sku, metavar="SKU[:QTY]", help="explicit line (repeatable)")
    oc.add_argument("--payment", choices=("PREPAID", "COD"), help="payment method")
    oc.add_argument("--carrier", choices=CARRIERS, help="the courier AJIO assigns (default: drawn per order)")
    ol = osub.add_parser("list", parents=[common], help="list orders, newest first",
                         description="Orders (GET /_sim/orders), newest first.")
    ol.add_argument("--pob", help="only this POB")
    ol.add_argument("--status", help="only this status (e.g. CREATED, CANCELLED)")
    ol.add_argument("--model", choices=("ds", "jit", "vms"), help="only this model")
    ol.add_argument("--page", type=int, default=0, help="page from 0")
    ol.add_argument("--size", type=int, default=20, help="page size (at most 50)")

    order = sub.add_parser("order", help="show one order", description="One order.")
    orsub = order.add_subparsers(dest="action", required=True)
    show = orsub.add_parser("show", parents=[common], help="an order with its lines, timeline and next moves",
                            description="An order (GET /_sim/orders/ID): lines, timeline, documents, returns, "
                                        "and the world events allowed now.")
    show.add_argument("order_id", metavar="ID")

    for verb, (event, text) in ORDER_EVENTS.items():
        p = sub.add_parser(verb, parents=[common], help=text,
                           description=f"{text[0].upper()}{text[1:]} (POST /_sim/orders/ID/{event}).")
        p.add_argument("order_id", metavar="ID")
        if verb in ("cancel", "return"):
            p.add_argument("--line", action="append", type=_line, metavar="ITEM:QTY",
                           help="only this quantity of this order_item_id (repeatable; default the whole order)")
        if verb == "return":
            p.add_argument("--reason", help="return reason, e.g. SIZE_FIT_ISSUES")
        if verb == "rto":
            p.add_argument("--reason", choices=FAILURE_REASONS, help="why the delivery failed")

    ra = sub.add_parser("return-arrive", parents=[common], help="a return parcel reaches the warehouse",
                        description="The return parcel reaches the seller's warehouse now "
                                    "(POST /_sim/returns/RID/deliver).")
    ra.add_argument("return_order_id", metavar="RID")
    rw = sub.add_parser("return-withdraw", parents=[common], help="the customer withdraws a return before its pickup",
                        description="The customer withdraws a return before its pickup, wholly or only some units "
                                    "(POST /_sim/returns/RID/cancel).")
    rw.add_argument("return_order_id", metavar="RID")
    rw.add_argument("--line", action="append", type=_line, metavar="ITEM:QTY",
                    help="withdraw only this quantity of this order_item_id (repeatable; default the whole return)")

    clock = sub.add_parser("clock", parents=[common], help="show or move the simulated clock",
                           description="The simulated clock (all timers follow it).")
    csub = clock.add_subparsers(dest="action")
    csub.add_parser("show", parents=[common], help="the simulated now (the default)")
    adv = csub.add_parser("advance", parents=[common], help="move the clock forward, e.g. 30m, 4h, 1d, 90s",
                          description="Move the clock forward; every timer due in between fires at its due time.")
    adv.add_argument("duration", type=_duration, help="90s, 30m, 4h, 1d, 1h30m or plain seconds")
    cset = csub.add_parser("set", parents=[common], help="jump to an instant (epoch seconds or ISO-8601)")
    cset.add_argument("when", help="epoch seconds, or e.g. 2026-11-24T10:00:00+05:30")
    csub.add_parser("freeze", parents=[common], help="stop the clock where it stands")
    csub.add_parser("unfreeze", parents=[common],
                    help="let the clock run again at real-time speed, from where it stands")

    fault = sub.add_parser("fault", help="fault rules: AJIO's bad days on purpose (docs/faults.md)",
                           description="Fault rules on AJIO-facing requests (/_sim/faults; docs/faults.md).")
    fsub = fault.add_subparsers(dest="action", required=True)
    fa = fsub.add_parser("add", parents=[common], help="add a rule",
                         description="Add a fault rule (POST /_sim/faults). Effects apply in the order given.",
                         epilog="examples:\n"
                                "  ajio-sim fault add --path '/ds/orders/*/invoice' --effect status:status=503 --times 2\n"
                                "  ajio-sim fault add --pob DV... --effect latency:ms=800 --effect reset "
                                "--probability 0.25 --seed 7\n"
                                "  ajio-sim fault add --method POST --path /ds/orders --effect po_missing:minutes=240\n"
                                "  ajio-sim fault add --method POST --path /ds/updateInventory "
                                "--effect line_failure:sku=AJ-KURTA-RED-L",
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    fa.add_argument("--effect", action="append", type=_effect, required=True, metavar="KIND[:k=v,...]",
                    help="an effect: status, latency, throttle, reset, empty_body, truncate, malformed, po_missing, "
                         "repeat_order, hide_order, hide_return, stale_page, vanish_after_ack, line_failure, unknown_value, "
                         "customer_cancel (the whole order: customer_cancel:order_id=FN1; lines through the API), "
                         "with its "
                         "options (e.g. status:status=503,phase=after; latency:ms=200; unknown_value:field=status,"
                         "item.order_id=FN1); repeatable")
    fa.add_argument("--method", type=str.upper, help="only this HTTP method")
    fa.add_argument("--path", help="only paths matching this glob ('*' within a segment, '**' across)")
    fa.add_argument("--path-regex", help="or only paths this regular expression matches whole")
    fa.add_argument("--model", choices=("ds", "jit", "vms"), help="only this model's requests")
    fa.add_argument("--pob", help="only this POB's requests")
    fa.add_argument("--body", type=_json_object, metavar="JSON",
                    help="only requests whose JSON body holds this object (e.g. '{\"forwardPurchaseOrder\": \"PO1\"}'; "
                         "a list matches when each of its items is found in the body's list)")
    fa.add_argument("--name", help="a name for the rule")
    fa.add_argument("--times", type=int, help="apply this many times, then the rule is spent")
    fa.add_argument("--probability", type=float, help="apply with this chance (0..1, seeded)")
    fa.add_argument("--seed", type=int, help="seed of the probability draws (default the server's)")
    fsub.add_parser("list", parents=[common], help="the rules, in the order they apply, with hits and state")
    fc = fsub.add_parser("clear", parents=[common], help="delete every rule, or one with --id")
    fc.add_argument("--id", type=int, help="only this rule")

    j = sub.add_parser("journal", parents=[common], help="AJIO-facing requests and answers",
                       description="The request journal (GET /_sim/journal), oldest first, with contract "
                                   "violations marked.")
    j.add_argument("--pob", help="only this POB's requests")
    j.add_argument("--path", help="only paths like this ('*' is a wildcard), e.g. '/ds/orders*'")
    j.add_argument("--entity", help="only requests that touched this order or return id")
    j.add_argument("--since", type=int, help="only requests at or after this epoch")
    j.add_argument("--limit", type=int, default=200, help="at most this many entries (default 200)")
    j.add_argument("--bodies", action="store_true", help="print request and answer bodies too")

    sub.add_parser("reset", parents=[common], help="empty the world (every seller, order and journal entry)")
    qa_world.register(sub, common)
    qa_cli_vms.register(sub, common)


# -- output ---------------------------------------------------------------------------------------

def _console(stderr: bool = False):
    from rich.console import Console
    # markup=False: ids, paths and messages print as they are ("order_lines[0]", "[/ds/orders]" are data).
    con = Console(stderr=stderr, highlight=False, soft_wrap=False)
    if not con.is_terminal:
        con.soft_wrap = True  # piped or logged: a line is never broken at an assumed 80 columns
    return con


class _Table:
    """A table that is a rich table on a terminal and plain columns elsewhere (a pipe, a file, a CI log),
    where a folded cell would split a password or an id over several lines."""

    def __init__(self, title: str | None, columns: list[str], rows: list[list]) -> None:
        self.title, self.columns, self.rows = title, columns, rows

    def __rich_console__(self, console, options):
        from rich.table import Table
        from rich.text import Text
        if not console.is_terminal:
            from harness.tables import plain_table
            text = plain_table(self.columns, self.rows)
            yield Text(f"{self.title}\n{text}" if self.title else text, no_wrap=True)
            return
        t = Table(title=self.title, title_justify="left", show_lines=False)
        for c in self.columns:
            t.add_column(c, overflow="fold")
        for r in self.rows:
            t.add_row(*[Text("" if v is None else str(v)) for v in r])  # data, never markup
        yield t


def _table(title: str | None, columns: list[str], rows: list[list]) -> _Table:
    return _Table(title, columns, rows)


def ist(epoch) -> str:
    if epoch is None:
        return ""
    return datetime.fromtimestamp(int(epoch), IST).strftime("%Y-%m-%d %H:%M:%S IST")


def _show_order(con, o: dict) -> None:
    status = o["status"] + (f" (AJIO shows {o['ajio_status']})" if o.get("ajio_status") not in (None, o["status"])
                            else "")
    from rich.text import Text
    con.print(Text.assemble((f"Order {o['order_id']}", "bold"), f"  {status}  model {o.get('model')}  "
                            f"POB {o.get('pob_id')}  ordered {ist(o.get('order_date'))}"))
    if o.get("on_hold"):
        con.print(Text("on hold: the PO is not issued yet", style="yellow"))
    lines = o.get("lines") or []
    cols = line_columns(lines)
    con.print(_table("Lines", cols, [[line.get(c) for c in cols] for line in lines]))
    con.print(_table("Timeline", ["time", "from", "to", "cause"],
                     [[ist(t["at"]), t.get("from") or "", t["to"], t["cause"]] for t in o.get("timeline", [])]))
    if o.get("documents"):
        con.print(_table("Documents", ["kind", "document", "url"],
                         [[d["kind"], d["document_id"], d.get("url")] for d in o["documents"]]))
    if o.get("returns"):
        con.print(_table("Returns", ["return", "type", "status"],
                         [[r["return_order_id"], r["return_type"], r["return_status"]] for r in o["returns"]]))
    allowed = o.get("allowed_world_events") or []
    con.print("world events allowed now: " + (", ".join(allowed) if allowed else "none"))


def _print_error(exc: SimError) -> None:
    from rich.text import Text
    err = _console(stderr=True)
    err.print(Text.assemble(("refused", "bold red"), f" ({exc.status} {exc.code or ''}) {exc.method} {exc.path}: "
                                                      f"{exc.message}"))
    if exc.field:
        err.print(f"  field: {exc.field}")
    if exc.rule:
        err.print(f"  rule: {exc.rule}")


# -- commands -------------------------------------------------------------------------------------

class UsageError(Exception):
    """A value argparse could not check; reported like argparse's own errors (exit 2)."""


def _parse_when(text: str) -> int:
    if text.isascii() and text.isdigit():
        return int(text)
    try:
        d = datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(f"ajio-sim clock set: not an epoch or ISO-8601 instant: {text!r}") from None
    if d.tzinfo is None:
        raise UsageError(f"ajio-sim clock set: give the zone, e.g. {text}+05:30")
    return int(d.timestamp())


def _run(args, client: SimClient, con):
    cmd = args.command
    if cmd == "seller" and args.action == "create":
        body = {k: v for k, v in {"store_code": args.store_code, "seller_id": args.seller_id,
                                  "erp_url": args.erp_url, "password": args.password,
                                  "catalog_size": args.catalog_size, "einvoice_model": args.einvoice_model,
                                  "return_model": args.return_model, "vms_layer": args.vms_layer,
                                  "ack_hold": args.ack_hold, "channel_name": args.channel_name}.items()
                if v is not None}
        if args.late_customer_cancel:
            body["late_customer_cancel"] = True
        if args.einvoicing:
            body["einvoicing"] = True
        if args.no_shipping_api:
            body["shipping_api_access"] = False
        out = client.create_seller(args.model, **body)
        return out, lambda: con.print(_table("Created POB", ["pob_id", "password", "model", "store_code", "seller_id"],
                                             [[out["pob_id"], out["password"], out["model"], out["store_code"],
                                               out.get("seller_id")]]))
    if cmd == "seller":
        out = client.sellers()
        return {"sellers": out}, lambda: con.print(_table(
            "POBs", ["pob_id", "model", "store_code", "password", "seller_id", "einvoicing", "shipping_api_access"],
            [[p["pob_id"], p["model"], p["store_code"], p["password"], p["seller_id"], p.get("einvoicing"),
              p.get("shipping_api_access")] for p in out]))
    if cmd == "orders" and args.action == "create":
        kw = {k: v for k, v in {"seed": args.seed, "lines": args.sku, "payment_method": args.payment,
                                "carrier": args.carrier}.items() if v is not None}
        ids = client.create_orders(args.pob, args.count, **kw)
        return {"order_ids": ids}, lambda: [con.print(i) for i in ids]
    if cmd == "orders":
        out = client.orders(pob_id=args.pob, status=args.status, model=args.model, page=args.page, size=args.size)
        page = out["page"]
        return out, lambda: con.print(_table(
            f"Orders (page {page['number']} of {page['totalPages']}, {page['totalElements']} in all)",
            ["order_id", "pob_id", "model", "status", "ordered"],
            [[o["order_id"], o["pob_id"], o["model"], o["status"], ist(o["order_date"])] for o in out["orders"]]))
    if cmd == "order":
        out = client.order(args.order_id)
        return out, lambda: _show_order(con, out)
    if cmd in ORDER_EVENTS:
        event = ORDER_EVENTS[cmd][0]
        body = {}
        if getattr(args, "line", None):
            body["lines"] = args.line
        if getattr(args, "reason", None):
            body["reason"] = args.reason
        out = client.order_event(args.order_id, event, body)
        after = client.order(args.order_id)

        def human():
            extra = f"; return {out['return_order_id']}" if isinstance(out, dict) and out.get("return_order_id") else ""
            con.print(f"{event}: {args.order_id} is now {after['status']}{extra}")
        return out, human
    if cmd == "return-arrive":
        out = client.return_event(args.return_order_id, "deliver")
        after = client.return_order(args.return_order_id)
        return out, lambda: con.print(f"return {args.return_order_id} is now {after['status']}")
    if cmd == "return-withdraw":
        out = client.return_event(args.return_order_id, "cancel", {"lines": args.line} if args.line else {})
        after = client.return_order(args.return_order_id)

        def withdrawn():
            kept = ", ".join(f"{i['order_item_id']}: {i['return_quantity'] - i['cancelled_return_quantity']}"
                             for i in after.get("return_order_items", []))
            con.print(f"return {args.return_order_id} is now {after['status']}" + (f" (units returned: {kept})"
                                                                                   if kept else ""))
        return out, withdrawn
    if cmd == "clock":
        action = args.action or "show"
        if action == "advance":
            out = client.advance(args.duration)
        elif action == "set":
            out = client.set_clock(_parse_when(args.when))
        elif action in ("freeze", "unfreeze"):
            out = client.freeze(action == "freeze")
        else:
            out = client.clock()
        frozen = out.get("frozen")
        state = "" if frozen is None else (" (frozen)" if frozen else " (running)")
        return out, lambda: con.print(f"simulated now: {ist(out['now'])}  epoch {out['now']}{state}")
    if cmd == "fault":
        return _fault(args, client, con)
    if cmd == "journal":
        rows = client.journal(pob_id=args.pob, path=args.path, entity_id=args.entity, since=args.since,
                              limit=args.limit)

        def human():
            con.print(_table("Journal", ["#", "time", "POB", "request", "status", "ms", "marks"],
                             [[e["id"], ist(e["at"]), e.get("pob_id"),
                               f"{e['method']} {e['path']}" + (f"?{e['query']}" if e.get("query") else ""),
                               e["status"], e["duration_ms"], _marks(e)] for e in rows]))
            if args.bodies:
                for e in rows:
                    con.print(f"#{e['id']} request: {e.get('request_body') or ''}")
                    con.print(f"#{e['id']} answer:  {e.get('response_body') or ''}")
        return {"entries": rows}, human
    if cmd in qa_world.COMMANDS:
        return qa_world.run(args, client, con, ist, _table)
    if cmd in qa_cli_vms.COMMANDS:
        return qa_cli_vms.run(args, client, con, _table)
    if cmd == "reset":
        client.reset()
        return {"status": "SUCCESS"}, lambda: con.print("the world is empty")
    raise AssertionError(cmd)


def _fault(args, client: SimClient, con):
    if args.action == "add":
        match = {k: v for k, v in {"method": args.method, "path": args.path, "path_regex": args.path_regex,
                                   "model": args.model, "pob_id": args.pob, "body": args.body}.items()
                 if v is not None}
        rule = {"match": match, "effects": args.effect}
        rule.update({k: v for k, v in {"name": args.name, "times": args.times, "probability": args.probability,
                                       "seed": args.seed}.items() if v is not None})
        out = client.add_fault(rule)
        return out, lambda: con.print(f"fault rule {out['id']} added: " + _rule_text(out))
    if args.action == "list":
        rules = client.faults()
        return {"faults": rules}, lambda: con.print(_table(
            "Fault rules", ["id", "name", "match", "effects", "how often", "hits", "applied", "state"],
            [[r["id"], r.get("name"), _kv(r["match"]) or "every request", _effects_text(r["effects"]), _often(r),
              r["hits"], r["applied"], "active" if r["active"] else "spent"] for r in rules]))
    deleted = client.clear_faults(args.id)
    return {"deleted": deleted}, lambda: con.print(f"deleted {deleted} fault rule(s)")


def _kv(d: dict) -> str:
    return " ".join(f"{k}={v}" for k, v in d.items())


def _effects_text(effects: list[dict]) -> str:
    return "; ".join(e["kind"] + (f" {_kv({k: v for k, v in e.items() if k != 'kind'})}" if len(e) > 1 else "")
                     for e in effects)


def _often(rule: dict) -> str:
    parts = []
    if rule.get("times"):
        parts.append(f"{rule['times']} time(s)" + (f", {rule['remaining']} left" if rule.get("remaining") is not None
                                                  else ""))
    if rule.get("probability") is not None:
        parts.append(f"p={rule['probability']}")
    return ", ".join(parts) or "always"


def _rule_text(rule: dict) -> str:
    return f"{_effects_text(rule['effects'])} on {_kv(rule['match']) or 'every request'} ({_often(rule)})"


def _marks(entry: dict) -> str:
    marks = [f"VIOLATION {v.get('field')}: {v.get('message')}" for v in entry.get("violations") or []]
    marks += [f"FAULT {f.get('kind', f) if isinstance(f, dict) else f}"
              + (f" (rule {f['rule_id']})" if isinstance(f, dict) and "rule_id" in f else "")
              for f in entry.get("faults") or []]
    return "; ".join(marks)


def main(args) -> int:
    args.base_url = getattr(args, "base_url", None) or env_sim_url() or DEFAULT_BASE_URL
    args.admin_token = getattr(args, "admin_token", None) or env_admin_token() or None
    args.json = getattr(args, "json", False)
    client = SimClient(args.base_url, args.admin_token)
    con = _console()
    try:
        out, human = _run(args, client, con)
    except SimError as exc:
        if args.json:
            print(json.dumps({"status_code": exc.status, **exc.body}), file=sys.stderr)
        _print_error(exc)
        return EXIT_REFUSED
    except Unreachable as exc:
        print(f"ajio-sim: {exc}", file=sys.stderr)
        return EXIT_UNREACHABLE
    except UsageError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_USAGE
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        human()
    return 0

"""Dropship returns (seed 000 points 13-18): the seller's create-RTO, putaway (QC good/bad/missing),
and AJIO's credit note 2.5 h after putaway."""
from __future__ import annotations

from sqlalchemy import select

from simulator.domain import documents, timing, tracking
from simulator.domain import returns as b2c_returns
from simulator.domain.catalog import adjust_stock
from simulator.domain.context import load, move, save
from simulator.domain.ds.machines import DS_ORDER
from simulator.domain.idempotency import conflicting
from simulator.domain.orders import open_qty
from simulator.domain.returns import RETURN
from simulator.domain.sellers import get_pob
from simulator.errors import Conflict, NotYet, ValidationFailed
from simulator.lifecycle import schedule, timer_handler
from simulator.store import returns


def list_returns(ctx, pob_id: str, *, return_type: str | None, from_date: int | None, to_date: int | None,
                 page: int, size: int, return_ids: list[str] | None = None, order_ids: list[str] | None = None) -> dict:
    """GET /ds/returns: RTOs and customer returns (seed 000 point 13), in AJIO's grounded shape; by id too."""
    return b2c_returns.list_returns(ctx, pob_id, return_type=return_type, from_date=from_date, to_date=to_date,
                                    page=page, size=size, return_ids=return_ids, order_ids=order_ids)


def initiate_rto(ctx, order_id: str, reason: str | None = None) -> dict:
    """Delivery failed: the courier brings the parcel back (RTO expectation, seed 000 point 14.2)."""
    return b2c_returns.initiate_rto(ctx, order_id, reason=reason)


def customer_return(ctx, order_id: str, lines: list[dict] | None, reason: str | None) -> dict:
    """The customer returns delivered items (CIR, seed 000 point 15); reverse pickup follows."""
    return b2c_returns.customer_return(ctx, order_id, lines, reason)


def create_rto(ctx, pob_id: str, body: dict, failed: str | None = None) -> dict:
    """A parcel came back without an RTO expectation: create the RTO with its QC (seed 000 point 14.1).

    `failed`: AJIO fails this creation (a line_failure fault) with that reason: a request it would take is answered
    `status: FAILED` and creates nothing; a retry of a creation already taken replays it, a wrong one is refused."""
    order = load(ctx, "order", body["order_id"], pob_id)
    replay = _rto_replay(ctx, order, body)
    if replay is not None:
        return replay
    existing = [r for r in order["data"]["return_order_ids"]]
    if order["status"] == "RTO" and existing:
        raise Conflict(f"order {order['order_id']} already has an RTO expectation ({existing[-1]}): "
                       f"putaway that return instead", field="order_id", rule="DS-RTO-CREATE-ONLY-UNEXPECTED")
    DS_ORDER.next(order["status"], "rto")
    left = {l["order_item_id"]: open_qty(l) for l in order["data"]["lines"]}
    by_item = {l["order_item_id"]: l for l in order["data"]["lines"]}
    seen = set()
    for i, item in enumerate(body["order_items"]):
        if item["order_item_id"] not in left:
            raise ValidationFailed(f"order_item_id {item['order_item_id']} is not a line of order {order['order_id']}",
                                   field=f"order_items[{i}].order_item_id", rule="DS-RTO-ITEMS-OF-ORDER")
        if item["order_item_id"] in seen:
            raise ValidationFailed("order_item_id repeated", field=f"order_items[{i}].order_item_id")
        seen.add(item["order_item_id"])
        line = by_item[item["order_item_id"]]
        if item.get("item_id") and item["item_id"] not in (line["item_details"]["item_code"], line["item_details"]["ean"]):
            raise ValidationFailed(f"item_id {item['item_id']} is not the item of line {item['order_item_id']} of order "
                                   f"{order['order_id']} (its SKU is {line['item_details']['item_code']}, its EAN "
                                   f"{line['item_details']['ean']})", field=f"order_items[{i}].item_id",
                                   rule="DS-RTO-ITEMS-OF-ORDER")
        if item["quantity"] > left[item["order_item_id"]]:
            raise ValidationFailed(f"quantity {item['quantity']} is more than the shipped quantity "
                                   f"{left[item['order_item_id']]}", field=f"order_items[{i}].quantity")
    if failed is not None:
        return {"status": "FAILED", "return_order_id": None, "error_message": failed}
    move(ctx, DS_ORDER, order, "rto", "seller reported an RTO that came back without an expectation")
    # The courier's plan (a delivery still due) is void: the parcel is back at the seller's warehouse.
    tracking.cut(order["data"], ctx.now)
    tracking.add(order["data"], timing.event("RTO_DELIVERED", ctx.now, tracking.shipment(order["data"]).get("origin", "")))
    ret = b2c_returns.new_return(ctx, order, "RTO", "RETURN_DELIVERED", body["order_items"],
                      "RTO created by the seller: parcel already at the warehouse", order["data"]["tracking_number"],
                      "DELIVERY_FAILED")
    ret["data"]["seller_rto_request"] = _rto_key(body["order_items"])  # what a retry must repeat
    save(ctx, "order", order)
    qc_items = [{"return_item_id": row["return_item_id"], "quantity": src["quantity"], "qc_code": src["qc_code"],
                 "reason": src.get("reason")} for row, src in zip(ret["data"]["items"], body["order_items"])]
    _apply_qc(ctx, ret, qc_items)
    return {"status": "SUCCESS", "return_order_id": ret["return_order_id"], "error_message": None}


def _rto_key(order_items: list[dict]) -> list[dict]:
    return sorted(({k: item.get(k) for k in ("order_item_id", "item_id", "quantity", "qc_code", "reason")}
                   for item in order_items), key=lambda i: (i["order_item_id"], i["qc_code"], i["quantity"]))


def _rto_replay(ctx, order: dict, body: dict) -> dict | None:
    """A create-RTO retried: the first answer; another payload for the same order is refused."""
    for return_order_id in order["data"]["return_order_ids"]:
        row = ctx.conn.execute(select(returns.c.data).where(returns.c.return_order_id == return_order_id)).first()
        first = row[0].get("seller_rto_request") if row else None
        if first is None:
            continue
        asked = _rto_key(body["order_items"])
        if asked != first:
            raise conflicting(f"create-RTO of order {order['order_id']} (return {return_order_id})", "order_items",
                              first, asked)
        ctx.touched.append(return_order_id)
        return {"status": "SUCCESS", "return_order_id": return_order_id, "error_message": None}
    return None


def _apply_qc(ctx, ret: dict, items: list[dict]) -> dict:
    by_id = {i["return_item_id"]: i for i in ret["data"]["items"]}
    counts = {rid: {"GOOD": 0, "BAD": 0, "MISSING": 0, "reasons": []} for rid in by_id}
    for i, item in enumerate(items):
        rid = item["return_item_id"]
        if rid not in by_id:
            raise ValidationFailed(f"return_item_id {rid} is not an item of return {ret['return_order_id']}",
                                   field=f"items[{i}].return_item_id")
        counts[rid][item["qc_code"]] += item["quantity"]
        if item.get("reason"):
            counts[rid]["reasons"].append(item["reason"])
    for rid, row in by_id.items():
        expected = row["return_quantity"] - row["cancelled_return_quantity"]
        got = counts[rid]["GOOD"] + counts[rid]["BAD"] + counts[rid]["MISSING"]
        if got != expected:
            raise ValidationFailed(f"QC of return item {rid} covers {got} unit(s) but {expected} came back: "
                                   f"put away every unit as GOOD, BAD or MISSING", field="items",
                                   rule="DS-PUTAWAY-GOOD-BAD")
    move(ctx, RETURN, ret, "qc", "putaway done: " + ", ".join(
        f"{rid} good {c['GOOD']} bad {c['BAD']} missing {c['MISSING']}" for rid, c in counts.items()))
    for rid, row in by_id.items():
        c = counts[rid]
        row["qc"] = {"good": c["GOOD"], "bad": c["BAD"], "missing": c["MISSING"], "reasons": c["reasons"]}
        # Seed 000 point 16: putaway updates the channel's inventory; good units are sellable again.
        adjust_stock(ctx, ret["pob_id"], row["sku"], c["GOOD"])
    ret["data"]["putaway_at"] = ctx.now
    ret["data"]["credit_note_due_at"] = ctx.now + ctx.config.credit_note_delay
    save(ctx, "return", ret)
    schedule(ctx, "credit_note_issue", ret["return_order_id"], ret["data"]["credit_note_due_at"])
    return {"return_order_id": ret["return_order_id"], "return_status": ret["status"],
            "items": [{"return_item_id": rid, **by_id[rid]["qc"]} for rid in by_id],
            "credit_note_available_at": ret["data"]["credit_note_due_at"]}


def quality_check(ctx, pob_id: str, return_order_id: str, items: list[dict]) -> dict:
    ret = load(ctx, "return", return_order_id, pob_id)
    if ret["status"] == "RETURN_PROCESSED" and all(i["qc"] is not None for i in ret["data"]["items"]):
        return _qc_replay(ret, items)
    RETURN.next(ret["status"], "qc")
    return _apply_qc(ctx, ret, items)


def _qc_key(items: list[dict]) -> dict[str, dict]:
    counts: dict[str, dict] = {}
    for item in items:
        c = counts.setdefault(item["return_item_id"], {"good": 0, "bad": 0, "missing": 0, "reasons": []})
        c[item["qc_code"].lower()] += item["quantity"]
        if item.get("reason"):
            c["reasons"].append(item["reason"])
    return {rid: {**c, "reasons": sorted(c["reasons"])} for rid, c in counts.items()}


def _qc_replay(ret: dict, items: list[dict]) -> dict:
    """The putaway retried: the first answer; a different putaway of the same return is refused."""
    asked = _qc_key(items)
    stored = {i["return_item_id"]: {**{k: i["qc"][k] for k in ("good", "bad", "missing")},
                                    "reasons": sorted(i["qc"]["reasons"])} for i in ret["data"]["items"]}
    if asked != stored:
        raise conflicting(f"putaway (QC) of return {ret['return_order_id']}", "items", stored, asked)
    return {"return_order_id": ret["return_order_id"], "return_status": ret["status"],
            "items": [{"return_item_id": i["return_item_id"], **i["qc"]} for i in ret["data"]["items"]],
            "credit_note_available_at": ret["data"]["credit_note_due_at"]}


@timer_handler("credit_note_issue")
def _issue_credit_note(ctx, return_order_id: str) -> None:
    ret = load(ctx, "return", return_order_id)
    if ret["data"]["credit_note"] is not None:
        return
    order = load(ctx, "order", ret["order_id"])
    pob = get_pob(ctx.conn, ret["pob_id"])
    fy = documents.financial_year(ctx.now)
    # AJIO's return-invoice series for this POB: "R" + the POB's series + financial year.
    series = f"R{pob['settings']['invoice_series']}{fy}"
    number = f"{series}{ctx.seq(f'credit_note:{series}'):04d}"
    payload = documents.credit_note_payload(ctx, pob, ret, order, number, series)
    document_id = documents.create(ctx, ret["pob_id"], "credit_note", return_order_id, payload)
    ret["data"]["credit_note"] = {"credit_note_number": number, "credit_note_series": series,
                                  "credit_note_date": ctx.now, "document_id": document_id,
                                  "amount": payload["totals"]["total"]}
    move(ctx, RETURN, ret, "credit_note_issued", f"AJIO issued credit note {number}")
    save(ctx, "return", ret)


def get_credit_note(ctx, pob_id: str, return_order_id: str) -> dict:
    ret = load(ctx, "return", return_order_id, pob_id)
    cn = ret["data"]["credit_note"]
    if cn is None:
        if ret["status"] == "RETURN_CANCELLED":
            # Never put away, so never credited: "not yet" would keep a connector polling forever.
            raise Conflict(f"return {return_order_id} was cancelled before pickup: AJIO issues no credit note "
                           f"for it", field="return_order_id")
        if ret["status"] != "RETURN_PROCESSED":
            raise NotYet(f"return {return_order_id} is {ret['status']}: the credit note follows putaway (QC), "
                         f"which has not happened yet", available_at=None, now=ctx.now,
                         rule="DS-CREDIT-NOTE-AFTER-PUTAWAY")
        raise NotYet(f"credit note of return {return_order_id} not generated yet: AJIO issues it 2.5 hours after "
                     f"putaway, at {ret['data']['credit_note_due_at']}", available_at=ret["data"]["credit_note_due_at"],
                     now=ctx.now, rule="DS-CREDIT-NOTE-AFTER-PUTAWAY")
    return {"return_order_id": return_order_id, "credit_note_number": cn["credit_note_number"],
            "credit_note_series": cn["credit_note_series"], "credit_note_date": cn["credit_note_date"],
            "credit_note_amount": cn["amount"], "credit_note_pdf_url": ctx.doc_url(cn["document_id"])}

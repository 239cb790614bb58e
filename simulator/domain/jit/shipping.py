"""JIT after packing: the manifest (<= 250 POs), the courier's pickup and delivery to AJIO, returns to the seller."""
from __future__ import annotations

from sqlalchemy import insert, select

from simulator.domain import documents
from simulator.domain import returns as ds_returns
from simulator.domain.context import move, record_transition, save
from simulator.domain.jit import documents as jit_docs
from simulator.domain.jit.machine import JIT_PO
from simulator.domain.jit.orders import jit_pob, load_po, open_qty
from simulator.errors import Conflict, ConflictingRepeat, NotFound, ValidationFailed
from simulator.lifecycle import schedule, timer_handler
from simulator.store import jit_boxes, manifests, returns

MAX_MANIFEST = 250
RETURN_STATUS = "CONFIRMED"
RETURN_TYPE = "RTV"


def _failure(item: dict, message: str) -> dict:
    return {"masterAWB": item["masterAWB"], "orderId": item["orderId"], "invoiceNo": item["invoiceNo"],
            "error_message": message}


def _answer(ctx, manifest_id: str | None, document_id: str | None, failed: list[dict]) -> dict:
    answer = {"status": "SUCCESS" if manifest_id else "FAILED", "manifest_id": manifest_id,
              "manifestUrl": ctx.doc_url(document_id) if document_id else None, "failedDispatchItems": failed}
    if not manifest_id:
        answer["error_message"] = "no PO could be manifested: see failedDispatchItems"
        answer["error_code"] = "DISPATCH_FAILED"
    return answer


def _check_item(ctx, pob_id: str, item: dict) -> tuple[dict | None, str | None]:
    try:
        rec = load_po(ctx, item["orderId"], pob_id)
    except NotFound:
        return None, f"PO {item['orderId']} not found"
    d = rec["data"]
    if d["pack"] is None or not (JIT_PO.allows(rec["status"], "dispatch") or d["manifest_id"]):
        return None, f"PO {rec['order_id']} is {rec['status']}: only packed POs can be manifested (seed 001)"
    if item["masterAWB"] != d["master_awb"]:
        return None, f"masterAWB {item['masterAWB']} is not the master AWB of PO {rec['order_id']}"
    if item["invoiceNo"] != d["invoice"]["invoice_number"]:
        return None, f"invoiceNo {item['invoiceNo']} is not the current invoice of PO {rec['order_id']}"
    return rec, None


def dispatch_orders(ctx, pob_id: str, items: list[dict]) -> dict:
    """Manifest packed POs; each item succeeds or fails on its own. A retry of manifested POs answers
    their manifest; manifested and new POs mixed in one call are a ConflictingRepeat."""
    if len(items) > MAX_MANIFEST:
        raise ValidationFailed(f"at most {MAX_MANIFEST} shipments per manifest (got {len(items)})",
                               field="dispatchItems", rule="API.md: at most 250 shipments per manifest (Increff)")
    ok, failed, seen = [], [], set()
    for item in items:
        if item["orderId"] in seen:
            failed.append(_failure(item, "orderId repeated in this manifest"))
            continue
        seen.add(item["orderId"])
        rec, problem = _check_item(ctx, pob_id, item)
        if problem:
            failed.append(_failure(item, problem))
        else:
            ok.append(rec)
    earlier = {rec["data"]["manifest_id"] for rec in ok if rec["data"]["manifest_id"]}
    if earlier:
        if len(earlier) != 1 or any(not rec["data"]["manifest_id"] for rec in ok):
            raise ConflictingRepeat("some POs of this request are already on a manifest and others are not: send "
                                    "the manifested POs alone to get their manifest again", field="dispatchItems")
        row = ctx.conn.execute(select(manifests).where(manifests.c.manifest_id == earlier.pop())).mappings().first()
        return _answer(ctx, row["manifest_id"], row["data"]["document_id"], failed)
    if not ok:
        return _answer(ctx, None, None, failed)
    manifest_id = ctx.ids.manifest_id(ctx.seq("manifest"))
    shipments = []
    for rec in ok:
        d = rec["data"]
        boxes = ctx.conn.execute(select(jit_boxes).where(jit_boxes.c.pob_id == pob_id, jit_boxes.c.order_id ==
                                                         rec["order_id"], jit_boxes.c.status == "PACKED")
                                 .order_by(jit_boxes.c.created_at, jit_boxes.c.box_id)).mappings().all()
        shipments.append({"order_id": rec["order_id"], "master_awb": d["master_awb"], "carrier": d["carrier"],
                          "invoice_number": d["invoice"]["invoice_number"], "deliver_to": d["deliver_to"]["name"],
                          "quantity": sum(open_qty(l) for l in d["lines"]),
                          "boxes": [{"box_id": b["box_id"], "seal_id": b["seal_id"],
                                     "tracking_number": b["data"]["tracking_number"],
                                     "quantity": sum(i["quantity"] for i in b["data"]["items"])} for b in boxes]})
        d["manifest_id"] = manifest_id
        move(ctx, JIT_PO, rec, "dispatch", f"added to manifest {manifest_id}")
        save(ctx, "order", rec)
        if ctx.config.pickup_after:
            schedule(ctx, "jit_pickup", rec["order_id"], ctx.now + ctx.config.pickup_after)
    pob = jit_pob(ctx, pob_id)
    document_id = documents.create(ctx, pob_id, "jit_manifest", manifest_id,
                                   jit_docs.manifest_payload(ctx, pob, manifest_id, shipments))
    ctx.conn.execute(insert(manifests).values(manifest_id=manifest_id, pob_id=pob_id, created_at=ctx.now,
                                              data={"document_id": document_id, "shipments": shipments}))
    return _answer(ctx, manifest_id, document_id, failed)


# -- courier (control plane or timers) ---------------------------------------------------------
def courier_pickup(ctx, order_id: str) -> dict:
    rec = load_po(ctx, order_id)
    if not rec["data"]["manifest_id"]:
        # Ready to ship at pack: READY_TO_DISPATCH before any manifest, and the courier takes only manifested POs.
        raise Conflict(f"PO {order_id} is on no manifest yet: the courier picks up manifested POs",
                       field="order_id", rule=JIT_PO.rules["dispatch"])
    move(ctx, JIT_PO, rec, "pickup", f"courier picked up master AWB {rec['data']['master_awb']}")
    save(ctx, "order", rec)
    if ctx.config.deliver_after:
        schedule(ctx, "jit_deliver", order_id, ctx.now + ctx.config.deliver_after)
    return {"order_id": order_id, "status": rec["status"]}


def courier_deliver(ctx, order_id: str) -> dict:
    rec = load_po(ctx, order_id)
    move(ctx, JIT_PO, rec, "deliver", f"delivered to {rec['data']['deliver_to']['name']}")
    save(ctx, "order", rec)
    return {"order_id": order_id, "status": rec["status"]}


@timer_handler("jit_pickup")
def _pickup_timer(ctx, order_id: str) -> None:
    courier_pickup(ctx, order_id)


@timer_handler("jit_deliver")
def _deliver_timer(ctx, order_id: str) -> None:
    courier_deliver(ctx, order_id)


# -- returns to the seller (seed 001 row 3) -----------------------------------------------------
def _returned(ctx, order_id: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for row in ctx.conn.execute(select(returns.c.data).where(returns.c.order_id == order_id)):
        for item in row[0]["items"]:
            out[item["order_item_id"]] = out.get(item["order_item_id"], 0) + item["return_quantity"]
    return out


def vendor_return(ctx, order_id: str, lines: list[dict] | None, reason: str | None) -> dict:
    """AJIO sends units of a delivered PO back to the seller; the return is created CONFIRMED (seed 001 row 3)."""
    rec = load_po(ctx, order_id)
    JIT_PO.next(rec["status"], "vendor_return")
    by_id = {l["order_item_id"]: l for l in rec["data"]["lines"]}
    already = _returned(ctx, order_id)
    if not lines:
        lines = [{"order_item_id": k, "quantity": open_qty(l) - already.get(k, 0)} for k, l in by_id.items()
                 if open_qty(l) - already.get(k, 0) > 0]
        if not lines:
            raise Conflict(f"every unit of PO {order_id} was already returned", field="lines")
    for i, req in enumerate(lines):
        line = by_id.get(req["order_item_id"])
        if line is None:
            raise ValidationFailed(f"order_item_id {req['order_item_id']} is not a line of PO {order_id}",
                                   field=f"lines[{i}].order_item_id")
        left = open_qty(line) - already.get(req["order_item_id"], 0) - sum(
            r["quantity"] for r in lines[:i] if r["order_item_id"] == req["order_item_id"])
        if req["quantity"] > left:
            raise ValidationFailed(f"only {left} unit(s) of line {req['order_item_id']} can still be returned",
                                   field=f"lines[{i}].quantity")
    return_order_id = ctx.ids.return_order_id(ctx.seq("return"))
    items = [{"return_item_id": ctx.ids.return_item_id(ctx.seq("return_item")), "order_item_id": r["order_item_id"],
              "sku": by_id[r["order_item_id"]]["sku"], "ean": by_id[r["order_item_id"]]["ean"],
              "item_details": by_id[r["order_item_id"]]["item_details"], "return_quantity": r["quantity"],
              "cancelled_return_quantity": 0, "qc": None} for r in lines]
    data = {"return_order_id": return_order_id, "order_id": order_id, "return_type": RETURN_TYPE,
            "return_date": ctx.now, "tracking_number": None, "reason": reason, "items": items,
            "putaway_at": None, "credit_note_due_at": None, "credit_note": None}
    ctx.conn.execute(insert(returns).values(return_order_id=return_order_id, pob_id=rec["pob_id"], order_id=order_id,
                                            return_type=RETURN_TYPE, status=RETURN_STATUS, return_date=ctx.now,
                                            updated_at=ctx.now, version=1, data=data))
    record_transition(ctx, "return", return_order_id, None, RETURN_STATUS,
                      "AJIO returned units to the seller; created CONFIRMED (seed 001 row 3)")
    rec["data"]["return_order_ids"].append(return_order_id)
    move(ctx, JIT_PO, rec, "vendor_return", f"return {return_order_id} created")
    save(ctx, "order", rec)
    ctx.touched.append(return_order_id)
    return {"return_order_id": return_order_id, "status": RETURN_STATUS}


def return_view(row: dict) -> dict:
    d = row["data"]
    return {"return_order_id": row["return_order_id"], "return_date": row["return_date"], "order_id": row["order_id"],
            "return_type": row["return_type"], "return_status": row["status"], "return_reason": d["reason"],
            "return_order_items": [{"return_item_id": i["return_item_id"], "order_item_id": i["order_item_id"],
                                    "sku_code": i["sku"], "ean": i["ean"], "return_quantity": i["return_quantity"]}
                                   for i in d["items"]]}


def list_returns(ctx, pob_id: str, *, from_date: int | None, to_date: int | None, page: int, size: int) -> dict:
    return ds_returns.list_returns(ctx, pob_id, from_date=from_date, to_date=to_date, page=page, size=size,
                                   view=return_view)

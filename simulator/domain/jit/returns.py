"""JIT returns (seed 001 row 3): units of a delivered PO AJIO sends back to the seller, created CONFIRMED."""
from __future__ import annotations

from sqlalchemy import insert, select

from simulator.domain import returns as b2c_returns
from simulator.domain.context import move, record_transition, save
from simulator.domain.jit.machines import JIT_PO
from simulator.domain.jit.orders import load_po, open_qty
from simulator.errors import Conflict, IllegalTransition, ValidationFailed
from simulator.store import returns

RETURN_STATUS = "CONFIRMED"
RETURN_TYPE = "RTV"


def initiate_rto(ctx, order_id: str) -> dict:
    """JIT has no RTO: refused, naming what to use instead."""
    load_po(ctx, order_id)
    raise IllegalTransition(f"PO {order_id} is a JIT purchase order: an RTO of a B2B shipment to AJIO is not "
                            f"modelled (seed 001 names none); use customer-return for units AJIO sends back",
                            field="order_id", rule="JIT-RETURNS-CONFIRMED")


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
    return b2c_returns.list_returns(ctx, pob_id, from_date=from_date, to_date=to_date, page=page, size=size,
                                    view=return_view)

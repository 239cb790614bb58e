"""JIT purchase orders: AJIO raises them (no acknowledgement, no customer cancellation), the seller cancels per line."""
from __future__ import annotations

import random

from sqlalchemy import insert, select, update

from simulator import datagen
from simulator.domain.catalog import published_products
from simulator.domain.context import load, move, record_transition, save
from simulator.domain.jit.machines import JIT_PO
from simulator.domain.paging import paged, paged_by_keys
from simulator.domain.sellers import get_pob
from simulator.errors import ConflictingRepeat, IllegalTransition, NotFound, ValidationFailed
from simulator.store import jit_boxes, orders

# AJIO buys at roughly the selling price less its margin (as for Dropship's B2B price).
MARGIN = 0.22
# AJIO's warehouses a JIT PO is delivered to (AJIO publishes none; Bhiwandi is its known hub).
WAREHOUSES = (
    {"name": "AJIO FC Bhiwandi", "line1": "Reliance Corporate Park, Bhiwandi", "city": "Bhiwandi",
     "state": "Maharashtra", "pincode": "421302"},
    {"name": "AJIO FC Hoskote", "line1": "Hoskote Industrial Area", "city": "Bengaluru",
     "state": "Karnataka", "pincode": "562114"},
    {"name": "AJIO FC Farukhnagar", "line1": "KMP Expressway Logistics Park", "city": "Gurugram",
     "state": "Haryana", "pincode": "122506"},
    {"name": "AJIO FC Dankuni", "line1": "Dankuni Logistics Hub", "city": "Kolkata",
     "state": "West Bengal", "pincode": "712311"},
)
SELLER_CANCEL_RULE = "JIT-SELLER-CANCEL-UNTIL-PACKED"


def open_qty(line: dict) -> int:
    return line["quantity"] - line["cancelled_quantity"]


def _money(x: float) -> float:
    return round(x + 1e-9, 2)


def jit_pob(ctx, pob_id: str) -> dict:
    pob = get_pob(ctx.conn, pob_id)
    if pob["model"] != "jit":
        raise ValidationFailed(f"POB {pob_id} is a {pob['model']} POB; JIT purchase orders need a jit POB",
                               field="pob_id")
    return pob


def load_po(ctx, order_id: str, pob_id: str | None = None) -> dict:
    """A JIT PO; a Dropship order or another POB's PO answers exactly like a missing one."""
    rec = load(ctx, "order", order_id, pob_id)
    if rec["model"] != "jit":
        raise NotFound(f"order {order_id} not found", field="order_id")
    return rec


def _make_line(ctx, product: dict, quantity: int) -> dict:
    data = product["data"]
    b2b_total = _money(float(data["selling_price"]) * (1 - MARGIN))
    rate = datagen.gst_rate_for_price_incl_tax(data["category"], b2b_total, ctx.now)
    base = _money(b2b_total / (1 + rate / 100))
    return {"order_item_id": ctx.ids.order_item_id(ctx.seq("order_item")), "sku": product["sku"],
            "product_id": data["product_id"], "variant_id": data["variant_id"], "ean": data["ean"],
            "item_details": {"brand_name": data["brand_name"], "color": data["color"], "ean": data["ean"],
                             "item_code": product["sku"], "name": data["name"], "size": data["size"]},
            "category": data["category"], "hsn": data["hsn"], "mrp": float(data["mrp"]),
            "quantity": quantity, "cancelled_quantity": 0,
            "b2b_gst_rate": rate, "b2b_base_price": base, "b2b_tax": _money(b2b_total - base)}


def place_pos(ctx, pob_id: str, *, count: int = 1, seed: int | None = None, lines: list[dict] | None = None) -> list[str]:
    """AJIO raises purchase orders (control plane): Faker-made unless lines are given. Stock is not
    checked: demand beyond it is what back orders show (seed 001 "Back Order Inventory Pull")."""
    jit_pob(ctx, pob_id)
    catalog = published_products(ctx, pob_id)
    by_sku = {p["sku"]: p for p in catalog}
    if lines:
        seen = set()
        for i, line in enumerate(lines):
            if line["sku"] not in by_sku:
                raise ValidationFailed(f"sku {line['sku']} is not an approved (published) SKU of POB {pob_id}",
                                       field=f"lines[{i}].sku", rule="JIT-SKU-MAPPING")
            if line["sku"] in seen:
                raise ValidationFailed(f"sku {line['sku']} repeated: one PO line per SKU", field=f"lines[{i}].sku")
            seen.add(line["sku"])
    elif not catalog:
        raise ValidationFailed(f"POB {pob_id} has no approved SKU to order", field="pob_id")
    created = []
    for _ in range(count):
        order_id = ctx.ids.po_number(ctx.seq("po"))
        rng = random.Random(f"{ctx.config.seed}:{seed}:{order_id}")
        if lines:
            chosen = [(by_sku[line["sku"]], line["quantity"]) for line in lines]
        else:
            picks = rng.sample(catalog, k=min(len(catalog), rng.choice((1, 2, 2, 3, 4))))
            # B2B replenishment: several units a line.
            chosen = [(p, rng.choice((2, 3, 4, 5, 6, 8, 10))) for p in picks]
        data = {"order_id": order_id, "po_date": ctx.now, "deliver_to": dict(rng.choice(WAREHOUSES)),
                "carrier": ctx.data.pick_carrier(order_id), "lines": [_make_line(ctx, p, q) for p, q in chosen],
                "invoice": None, "invoice_history": [], "pack": None, "master_awb": None, "manifest_id": None,
                "return_order_ids": [], "cancel_keys": {}}
        ctx.conn.execute(insert(orders).values(order_id=order_id, pob_id=pob_id, model="jit", status="CREATED",
                                               order_date=ctx.now, updated_at=ctx.now, version=1, data=data))
        record_transition(ctx, "order", order_id, None, "CREATED", "AJIO raised the purchase order")
        created.append(order_id)
    return created


# -- views ---------------------------------------------------------------------------------------
def line_view(line: dict) -> dict:
    return {"order_item_id": line["order_item_id"], "sku_code": line["sku"], "product_id": line["product_id"],
            "variant_id": line["variant_id"], "ean": line["ean"], "quantity": line["quantity"],
            "cancelled_quantity": line["cancelled_quantity"], "open_quantity": open_qty(line), "hsn": line["hsn"],
            "b2b_base_price": line["b2b_base_price"], "gst_rate": line["b2b_gst_rate"]}


def invoice_stale(rec: dict) -> bool:
    inv = rec["data"]["invoice"]
    if inv is None or rec["status"] == "CANCELLED":
        return False
    return any(inv["lines"].get(l["order_item_id"], 0) != open_qty(l) for l in rec["data"]["lines"])


def po_view(rec: dict) -> dict:
    d = rec["data"]
    return {"order_id": rec["order_id"], "po_date": d["po_date"], "status": rec["status"],
            "order_lines": [line_view(l) for l in d["lines"]], "deliver_to": d["deliver_to"],
            "invoice_number": (d["invoice"] or {}).get("invoice_number"), "invoice_stale": invoice_stale(rec),
            "master_awb": d["master_awb"], "manifest_id": d["manifest_id"]}


def get_pendency(ctx, pob_id: str, page: int, size: int) -> dict:
    """New POs: raised and not yet invoiced (JIT has no acknowledgement step)."""
    stmt = select(orders).where(orders.c.pob_id == pob_id, orders.c.status == "CREATED")
    rows, block = paged(ctx.conn, stmt, [orders.c.order_date, orders.c.order_id], page, size)
    return {"orders": [po_view(dict(r)) for r in rows], "page": block}


def list_orders(ctx, pob_id: str, *, order_ids: list[str] | None, status: str | None, page: int, size: int) -> dict:
    if order_ids:
        missing, rows, block = paged_by_keys(ctx.conn, orders, order_ids, pob_id=pob_id, page=page, size=size,
                                             statuses={status} if status else None)
        if missing:
            raise NotFound(f"unknown PO number(s) for this POB: {', '.join(missing)}", field="orderIds")
    else:
        stmt = select(orders).where(orders.c.pob_id == pob_id)
        if status:
            stmt = stmt.where(orders.c.status == status)
        rows, block = paged(ctx.conn, stmt, [orders.c.order_date, orders.c.order_id], page, size)
    return {"orders": [po_view(dict(r)) for r in rows], "page": block}


# -- seller cancellation ---------------------------------------------------------------------------
def cancel_order(ctx, pob_id: str, order_id: str, lines: list[dict], key: str | None = None) -> dict:
    """Cancel quantities per line (a delta), all or nothing. With an Idempotency-Key, a repeat with
    the same lines answers the first result; other lines under the same key are a ConflictingRepeat."""
    rec = load_po(ctx, order_id, pob_id)
    d = rec["data"]
    if key is not None and key in d["cancel_keys"]:
        first = d["cancel_keys"][key]
        if first["lines"] == lines:
            return first["answer"]
        raise ConflictingRepeat(f"Idempotency-Key {key} was used for other cancellation lines on PO {order_id}",
                                field="lines")
    if not JIT_PO.allows(rec["status"], "seller_cancel_lines"):
        JIT_PO.next(rec["status"], "seller_cancel")  # raises with the rule
    by_id = {l["order_item_id"]: l for l in d["lines"]}
    seen = set()
    for i, req in enumerate(lines):
        line = by_id.get(req["order_item_id"])
        if line is None:
            raise ValidationFailed(f"order_item_id {req['order_item_id']} is not a line of PO {order_id}",
                                   field=f"lines[{i}].order_item_id")
        if req["order_item_id"] in seen:
            raise ValidationFailed(f"order_item_id {req['order_item_id']} repeated in this request",
                                   field=f"lines[{i}].order_item_id")
        seen.add(req["order_item_id"])
        if req["quantity"] > open_qty(line):
            raise ValidationFailed(f"cannot cancel {req['quantity']} of line {line['order_item_id']}: only "
                                   f"{open_qty(line)} open", field=f"lines[{i}].quantity", rule=SELLER_CANCEL_RULE)
    for req in lines:
        by_id[req["order_item_id"]]["cancelled_quantity"] += req["quantity"]
    touched = ", ".join(f"{r['order_item_id']} x{r['quantity']}" for r in lines)
    if sum(open_qty(l) for l in d["lines"]) == 0:
        move(ctx, JIT_PO, rec, "seller_cancel", f"seller cancelled the PO ({touched})")
        # Labels prefetched for a PO that will never ship are void; their box ids stay used.
        ctx.conn.execute(update(jit_boxes).where(jit_boxes.c.order_id == order_id, jit_boxes.c.pob_id == pob_id,
                                                 jit_boxes.c.status == "PREFETCHED").values(status="VOID"))
    else:
        move(ctx, JIT_PO, rec, "seller_cancel_lines", f"seller cancelled {touched}")
    answer = po_view(rec)
    if key is not None:
        d["cancel_keys"][key] = {"lines": lines, "answer": answer}
    save(ctx, "order", rec)
    return answer


def customer_cancel(ctx, order_id: str) -> dict:
    load_po(ctx, order_id)
    raise IllegalTransition(f"PO {order_id} is a JIT purchase order: JIT has no customer cancellation",
                            field="order_id", rule="JIT-NO-CUSTOMER-CANCEL")

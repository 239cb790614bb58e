"""Dropship orders: placement, pendency, acknowledgement and cancellations, the PO after a lag."""
from __future__ import annotations

import random

from sqlalchemy import bindparam, insert, select

from simulator import datagen
from simulator.domain import documents, sellers
from simulator.domain.catalog import adjust_stock, published_products, stock_for_update, write_stock
from simulator.domain.context import load, move, record_transition, save, transition_row
from simulator.domain.idempotency import conflicting
from simulator.domain.machines import DS_ORDER, DS_PUBLIC_STATUS, order_machine
from simulator.domain.paging import checked_page, paged
from simulator.domain.sellers import get_pob
from simulator.errors import NotFound, ValidationFailed
from simulator.lifecycle import schedule, timer_handler
from simulator.store import orders, transitions

# AJIO keeps roughly this share of the selling price; the rest is the seller's B2B price.
COMMISSION = 0.22
MAX_ORDERS_PER_CALL = 1000
# Models whose orders customers place on AJIO (B2C): Dropship, and VMS (seed 002).
ORDER_MODELS = ("ds", "vms")


def open_qty(line: dict) -> int:
    return (line["ordered_quantity"] - line["customer_cancelled_qty"] - line["seller_cancelled_qty"]
            - line["seller_short_picked_qty"])


def _money(x: float) -> float:
    return round(x + 1e-9, 2)


def _make_line(ctx, order_id: str, product: dict, quantity: int, rng: random.Random, item_seq: int) -> dict:
    data = product["data"]
    listing = float(data["selling_price"])
    # A seller-funded discount on some lines, as AJIO's payloads carry `seller_discount`.
    discount = _money(listing * rng.choice((0, 0, 0, 0.05, 0.10)))
    unit_price = _money(listing - discount)
    rate = datagen.gst_rate_for_price_incl_tax(data["category"], unit_price, ctx.now)
    b2b_total = _money(unit_price * (1 - COMMISSION))
    b2b_rate = datagen.gst_rate_for_price_incl_tax(data["category"], b2b_total, ctx.now)
    b2b_base = _money(b2b_total / (1 + b2b_rate / 100))
    return {
        "order_item_id": ctx.ids.order_item_id(item_seq), "sku": product["sku"],
        "item_details": {"brand_name": data["brand_name"], "color": data["color"], "ean": data["ean"],
                         "item_code": product["sku"], "name": data["name"], "size": data["size"]},
        "category": data["category"], "hsn": data["hsn"], "ordered_quantity": quantity,
        "acknowledged": False, "confirmed_quantity": None, "customer_cancelled_qty": 0,
        "seller_cancelled_qty": 0, "seller_short_picked_qty": 0,
        "mrp": float(data["mrp"]), "listing_price": listing, "seller_discount": discount, "unit_price": unit_price,
        "gst_rate": rate, "item_base_price": _money(unit_price / (1 + rate / 100)),
        "b2b_gst_rate": b2b_rate, "b2b_base_price": b2b_base, "b2b_tax": _money(b2b_total - b2b_base),
    }


def place_orders(ctx, pob_id: str, *, count: int = 1, seed: int | None = None, lines: list[dict] | None = None,
                 payment_method: str | None = None) -> list[str]:
    """Customers place orders on AJIO (control plane): Faker-made unless lines are given."""
    pob = get_pob(ctx.conn, pob_id)
    if pob["model"] not in ORDER_MODELS:
        raise ValidationFailed(f"POB {pob_id} is a {pob['model']} POB; customer orders need a "
                               f"{' or '.join(ORDER_MODELS)} POB", field="pob_id")
    catalog = published_products(ctx, pob_id)
    by_sku = {p["sku"]: p for p in catalog}
    if lines:
        for i, line in enumerate(lines):
            if line["sku"] not in by_sku:
                raise ValidationFailed(f"sku {line['sku']} is not a published product of POB {pob_id}",
                                       field=f"lines[{i}].sku")
    elif not catalog:
        raise ValidationFailed(f"POB {pob_id} has no published product to order", field="pob_id")
    # Bulk path (benchmarks/README.md): one block of sequence numbers per call, stock taken in memory
    # under the rows' lock and written once per SKU, orders and timeline rows inserted in one
    # statement each. The ids, lines and stock effects are the same as placing them one by one.
    first = ctx.store.next_seq(ctx.conn, "order", count)
    plans = []
    for seq in range(first, first + count):
        order_id = ctx.ids.order_id(seq)
        rng = random.Random(f"{ctx.config.seed}:{seed}:{order_id}")
        if lines:
            chosen = [(by_sku[line["sku"]], line["quantity"]) for line in lines]
        else:
            picks = rng.sample(catalog, k=min(len(catalog), rng.choice((1, 1, 1, 2, 2, 3))))
            chosen = [(p, rng.choice((1, 1, 1, 2))) for p in picks]
        plans.append((order_id, rng, chosen))
    item_seq = ctx.store.next_seq(ctx.conn, "order_item", sum(len(chosen) for _, _, chosen in plans))
    stock = stock_for_update(ctx, pob_id, {p["sku"] for _, _, chosen in plans for p, _ in chosen})
    before = dict(stock)
    order_rows, timeline_rows, created = [], [], []
    for order_id, rng, chosen in plans:
        order_lines = []
        for product, quantity in chosen:
            line = _make_line(ctx, order_id, product, quantity, rng, item_seq)
            item_seq += 1
            # Units ordered beyond the listed stock took nothing from it, so they give nothing back.
            have = stock.get(product["sku"])
            taken = 0 if have is None else min(have, quantity)
            if have is not None:
                stock[product["sku"]] = have - taken
            line["oversold_qty"] = quantity - taken
            order_lines.append(line)
        data = {
            "order_id": order_id, "order_date": ctx.now,
            "payment_method": payment_method or rng.choice(("PREPAID", "PREPAID", "COD")),
            "carrier": ctx.data.pick_carrier(order_id), "tracking_number": None,
            "customer": ctx.data.customer(order_id), "lines": order_lines,
            "total_amount": _money(sum(l["unit_price"] * l["ordered_quantity"] for l in order_lines)),
            "po": None, "po_due_at": None, "invoice": None, "shipment": None, "manifest_id": None,
            "return_order_ids": [],
        }
        if pob["model"] == "vms":
            from simulator.domain.vms.orders import vms_order_data
            vms_order_data(pob, data)
        order_rows.append({"order_id": order_id, "pob_id": pob_id, "model": pob["model"], "status": "CREATED",
                           "order_date": ctx.now, "updated_at": ctx.now, "version": 1, "data": data})
        timeline_rows.append(transition_row(ctx, "order", order_id, None, "CREATED", "order placed by customer"))
        created.append(order_id)
    write_stock(ctx, pob_id, {sku: q for sku, q in stock.items() if q != before[sku]})
    ctx.conn.execute(insert(orders), order_rows)
    ctx.conn.execute(insert(transitions), timeline_rows)
    ctx.touched.extend(created)
    return created


# -- views -----------------------------------------------------------------------------------
def _line_view(line: dict, acknowledged_view: bool, intra_state: bool = False) -> dict:
    out = {"item_details": line["item_details"], "order_item_id": line["order_item_id"],
           "ordered_quantity": line["ordered_quantity"], "mrp": line["mrp"], "unit_price": line["unit_price"],
           "listing_price": line["listing_price"], "seller_discount": line["seller_discount"],
           "b2b_base_price": line["b2b_base_price"], "b2b_tax": line["b2b_tax"]}
    qty = open_qty(line)
    # Pendency shows what is left to acknowledge after a customer cancellation, so a connector can confirm it.
    out.update({"quantity": qty, "customer_cancelled_qty": line["customer_cancelled_qty"],
                "seller_cancelled_qty": line["seller_cancelled_qty"]})
    if acknowledged_view:
        tax = documents.line_tax(line, qty, b2b=True, intra_state=intra_state)
        out.update({
            "item_base_price": line["item_base_price"], "seller_short_picked_qty": line["seller_short_picked_qty"],
            "hsn": line["hsn"],
            "tax_summary": {"gst_rate": tax["rate"], "taxable_value": tax["taxable_value"], "tax_amount": tax["tax"]},
        })
    return out


def pendency_view(rec: dict) -> dict:
    d = rec["data"]
    return {"order_id": rec["order_id"], "order_date": rec["order_date"], "payment_method": d["payment_method"],
            "carrier": d["carrier"], "tracking_number": d["tracking_number"], "total_amount": d["total_amount"],
            "order_lines": [_line_view(l, False) for l in d["lines"] if not l["acknowledged"] and open_qty(l) > 0]}


def order_view(ctx, rec: dict, seller_state_code: str | None = None) -> dict:
    d = rec["data"]
    po = d["po"] or {}
    invoice = d["invoice"] or {}
    if seller_state_code is None:
        seller_state_code = sellers.seller_state_code(ctx.conn, rec["pob_id"])
    _, intra = documents.place_of_supply(rec, seller_state_code)
    # The PO's value follows its open quantities (a cancellation after the PO shrinks it), with the
    # same GST split as the lines' tax_summary and the B2B invoice, so all three agree to the paisa.
    totals = documents.money_lines(d["lines"], open_qty, b2b=True, intra_state=intra)[1] if po else {}
    out = {"order_id": rec["order_id"], "order_date": rec["order_date"], "status": DS_PUBLIC_STATUS[rec["status"]],
           "payment_method": d["payment_method"], "carrier": d["carrier"], "tracking_number": d["tracking_number"],
           "total_amount": d["total_amount"],
           "po_number": po.get("po_number"), "po_date": po.get("po_date"),
           "po_pdf_url": ctx.doc_url(po["document_id"]) if po else None,
           "po_amount": totals.get("total"), "total_tax": totals.get("tax"),
           "invoice_number": invoice.get("invoice_number"), "manifest_id": d["manifest_id"],
           "return_order_ids": list(d["return_order_ids"]),
           "order_lines": [_line_view(l, True, intra) for l in d["lines"]]}
    return out


# The page connectors poll most: built once, on the (pob_id, status, order_date, order_id) index.
_PENDENCY = (select(orders).where(orders.c.pob_id == bindparam("pob"), orders.c.status == "CREATED")
             .order_by(orders.c.order_date, orders.c.order_id).limit(bindparam("lim")).offset(bindparam("off")))


def get_pendency(ctx, pob_id: str, page: int, size: int) -> dict:
    # A POB is enabled for one model, so its orders are all Dropship: filtering on pob_id and status
    # keeps the query on the (pob_id, status, order_date) index.
    block = checked_page(page, size, ctx.store.count_status(ctx.conn, pob_id, "CREATED"))  # O(1) at any size
    rows = ctx.conn.execute(_PENDENCY, {"pob": pob_id, "lim": size, "off": page * size}).mappings().all()
    return {"orders": [pendency_view(dict(r)) for r in rows], "page": block}


_INTERNAL_FOR_PUBLIC = {}
for _internal, _public in DS_PUBLIC_STATUS.items():
    _INTERNAL_FOR_PUBLIC.setdefault(_public, []).append(_internal)


def list_orders(ctx, pob_id: str, *, order_ids: list[str] | None, status: str | None, page: int, size: int) -> dict:
    stmt = select(orders).where(orders.c.pob_id == pob_id)
    if order_ids:
        stmt = stmt.where(orders.c.order_id.in_(order_ids))
        found = {r[0] for r in ctx.conn.execute(select(orders.c.order_id).where(
            orders.c.pob_id == pob_id, orders.c.order_id.in_(order_ids)))}
        missing = [o for o in order_ids if o not in found]
        if missing:
            raise NotFound(f"unknown order id(s) for this POB: {', '.join(missing)}", field="orderIds")
    else:
        # Without ids: the orders a connector holds, i.e. past acknowledgement (pendency lists the rest).
        stmt = stmt.where(orders.c.status != "CREATED")
    total = None
    if status:
        stmt = stmt.where(orders.c.status.in_(_INTERNAL_FOR_PUBLIC[status]))
    if not order_ids:  # the trigger-kept counts answer totalElements without counting rows
        total = ctx.store.count_orders(ctx.conn, pob_id, statuses=_INTERNAL_FOR_PUBLIC[status] if status else None,
                                       exclude=["CREATED"])
    rows, block = paged(ctx.conn, stmt, [orders.c.order_date, orders.c.order_id], page, size, total)
    state = sellers.seller_state_code(ctx.conn, pob_id)  # one POB, one seller: looked up once a page
    return {"orders": [order_view(ctx, dict(r), state) for r in rows], "page": block}


# -- acknowledgement and cancellations -----------------------------------------------------------
def _check_lines(rec: dict, requested: list[dict]) -> tuple[list[tuple[dict, dict]], list[dict]]:
    by_id = {l["order_item_id"]: l for l in rec["data"]["lines"]}
    valid, failed, seen = [], [], set()
    for req in requested:
        item_id = req["order_item_id"]
        if item_id in seen:
            failed.append({"order_item_id": item_id, "error_message": "order_item_id repeated in this request"})
        elif item_id not in by_id:
            failed.append({"order_item_id": item_id,
                           "error_message": f"order_item_id {item_id} is not a line of order {rec['order_id']}"})
        else:
            valid.append((by_id[item_id], req))
        seen.add(item_id)
    return valid, failed


def _restock(ctx, rec: dict, line: dict, quantity: int) -> None:
    """Cancelled units go back to stock, except those the placement could not take from it
    (cancelled first: they are the ones AJIO could never have shipped)."""
    uncovered = min(quantity, line.get("oversold_qty", 0))
    line["oversold_qty"] = line.get("oversold_qty", 0) - uncovered
    if quantity - uncovered:
        adjust_stock(ctx, rec["pob_id"], line["sku"], quantity - uncovered)


def _confirm(ctx, rec: dict, cause: str) -> None:
    """Every open line is acknowledged: the order is CONFIRMED and AJIO's PO follows after its lag."""
    move(ctx, DS_ORDER, rec, "acknowledge", cause)
    rec["data"]["po_due_at"] = ctx.now + ctx.config.po_lag
    schedule(ctx, "po_issue", rec["order_id"], rec["data"]["po_due_at"])


def _finish_cancel(ctx, rec: dict, who: str, touched: list[str]) -> None:
    lines = rec["data"]["lines"]
    if sum(open_qty(l) for l in lines) == 0:
        move(ctx, order_machine(rec), rec, f"{who}_cancel", f"{who} cancelled the order")
        return
    move(ctx, order_machine(rec), rec, f"{who}_cancel_lines", f"{who} cancelled quantities of {', '.join(touched)}")
    if rec["status"] == "CREATED" and all(l["acknowledged"] or open_qty(l) == 0 for l in lines):
        # The cancelled line was the last one waiting: nothing is pending any more (no empty pendency order).
        _confirm(ctx, rec, "every line still open is acknowledged")


def acknowledge(ctx, rec: dict, requested: list[dict]) -> dict:
    lines = rec["data"]["lines"]
    if rec["status"] != "CREATED":
        replay = _ack_replay(rec, requested)
        if replay is not None:
            return replay
        DS_ORDER.next(rec["status"], "acknowledge")  # raises the rule
    if not requested:
        requested = [{"order_item_id": l["order_item_id"], "confirmed_quantity": open_qty(l), "cancelled_quantity": 0}
                     for l in lines if not l["acknowledged"]]
    valid, failed = _check_lines(rec, requested)
    applied, changed, conflict = [], False, None
    for line, req in valid:
        confirmed, cancelled = req["confirmed_quantity"], req["cancelled_quantity"]
        if line["acknowledged"]:
            clash = _ack_clash(rec, line, req, requested.index(req))
            if clash is None:
                applied.append(line["order_item_id"])  # the same acknowledgement again: nothing changes
            else:
                conflict = conflict or clash
                failed.append({"order_item_id": line["order_item_id"], "error_message": clash.message})
            continue
        if confirmed + cancelled != open_qty(line):
            failed.append({"order_item_id": line["order_item_id"],
                           "error_message": f"confirmed_quantity + cancelled_quantity must equal the open quantity "
                                            f"{open_qty(line)} (got {confirmed} + {cancelled})"})
            continue
        line["acknowledged"] = True
        line["confirmed_quantity"] = confirmed
        line["ack_cancelled_quantity"] = cancelled  # what the acknowledgement said, for its repeats
        line["seller_cancelled_qty"] += cancelled
        _restock(ctx, rec, line, cancelled)
        applied.append(line["order_item_id"])
        changed = True
    if not applied:
        if conflict is not None:  # nothing new, only repeats that differ from the first acknowledgement
            conflict.extra = {"success": [], "failed_items": failed}
            raise conflict
        raise ValidationFailed(f"no line of order {rec['order_id']} could be acknowledged", field="order_lines",
                               extra={"success": [], "failed_items": failed})
    if not changed:
        return {"success": applied, "failed_items": failed}  # a retry of lines already acknowledged: no new step
    if all(l["acknowledged"] or open_qty(l) == 0 for l in lines):
        if sum(open_qty(l) for l in lines) == 0:
            move(ctx, DS_ORDER, rec, "seller_cancel", "seller acknowledged with every quantity cancelled")
        else:
            _confirm(ctx, rec, "seller acknowledged the order")
    else:
        move(ctx, DS_ORDER, rec, "acknowledge_lines", f"seller acknowledged lines {', '.join(applied)}")
    save(ctx, "order", rec)
    return {"success": applied, "failed_items": failed}


def _ack_clash(rec: dict, line: dict, req: dict, index: int):
    """None when `req` repeats the line's acknowledgement, else the ConflictingRepeat naming the field."""
    what = f"acknowledgement of line {line['order_item_id']} of order {rec['order_id']}"
    if line["confirmed_quantity"] != req["confirmed_quantity"]:
        return conflicting(what, f"order_lines[{index}].confirmed_quantity", line["confirmed_quantity"],
                           req["confirmed_quantity"])
    first_cancelled = line.get("ack_cancelled_quantity", req["cancelled_quantity"])
    if first_cancelled != req["cancelled_quantity"]:
        return conflicting(what, f"order_lines[{index}].cancelled_quantity", first_cancelled, req["cancelled_quantity"])
    return None


def _ack_replay(rec: dict, requested: list[dict]) -> dict | None:
    """A repeated acknowledgement of an acknowledged order answers the first result; one that
    differs from it is a ConflictingRepeat; None when it is no repeat (the state machine decides)."""
    if rec["status"] == "CANCELLED":
        return None
    by_id = {l["order_item_id"]: l for l in rec["data"]["lines"]}
    if not requested:
        return {"success": [l["order_item_id"] for l in by_id.values() if l["acknowledged"]], "failed_items": []}
    for index, req in enumerate(requested):
        line = by_id.get(req["order_item_id"])
        if line is None or not line["acknowledged"]:
            return None
        clash = _ack_clash(rec, line, req, index)
        if clash is not None:
            raise clash
    return {"success": [r["order_item_id"] for r in requested], "failed_items": []}


def cancel(ctx, rec: dict, requested: list[dict], who: str) -> dict:
    """Seller (POST /ds/orders Cancel) or customer (control plane) cancellation, whole or per line."""
    first = rec["data"].get("seller_cancel") if who == "seller" else None
    if first is not None and rec["status"] == "CANCELLED":
        if _cancel_key(requested) == first["request"]:
            return first["answer"]  # the seller's cancellation retried: its first answer
        raise conflicting(f"seller cancellation of order {rec['order_id']}", "order_lines", first["request"],
                          _cancel_key(requested))
    machine = order_machine(rec)
    if not machine.allows(rec["status"], f"{who}_cancel_lines"):
        machine.next(rec["status"], f"{who}_cancel")  # raises with the seed's rule
    original = _cancel_key(requested)
    lines = rec["data"]["lines"]
    if not requested:
        requested = [{"order_item_id": l["order_item_id"], "cancelled_quantity": open_qty(l)}
                     for l in lines if open_qty(l) > 0]
    valid, failed = _check_lines(rec, requested)
    applied = []
    for line, req in valid:
        quantity = req["cancelled_quantity"]
        if quantity < 1 or quantity > open_qty(line):
            failed.append({"order_item_id": line["order_item_id"],
                           "error_message": f"cancelled_quantity must be between 1 and the open quantity "
                                            f"{open_qty(line)} (got {quantity})"})
            continue
        if who == "customer":
            line["customer_cancelled_qty"] += quantity
        elif line["acknowledged"]:
            # The seller confirmed this line and then could not pick it: a short pick.
            line["seller_short_picked_qty"] += quantity
        else:
            line["seller_cancelled_qty"] += quantity
        _restock(ctx, rec, line, quantity)
        applied.append(line["order_item_id"])
    if not applied:
        raise ValidationFailed(f"nothing of order {rec['order_id']} could be cancelled", field="order_lines",
                               extra={"success": [], "failed_items": failed})
    _finish_cancel(ctx, rec, who, applied)
    answer = {"success": applied, "failed_items": failed}
    if who == "seller" and rec["status"] == "CANCELLED":
        # Only a cancellation that ends the order can be told from a new one when repeated: a partial
        # cancellation's quantities are deltas, so its repeat cancels more (README: idempotency).
        rec["data"]["seller_cancel"] = {"request": original, "answer": answer}
    save(ctx, "order", rec)
    return answer


def _cancel_key(requested: list[dict]) -> list[list]:
    return sorted([r["order_item_id"], r["cancelled_quantity"]] for r in requested)


def acknowledge_order(ctx, pob_id: str, body: dict) -> dict:
    """POST /ds/orders: "Acknowledge", or "Cancel" as the seller's cancellation (API.md, seed 000)."""
    rec = load(ctx, "order", body["order_id"], pob_id)
    if rec["model"] != "ds":
        raise NotFound(f"order {body['order_id']} not found", field="order_id")
    if body["status"] == "Acknowledge":
        return acknowledge(ctx, rec, body["order_lines"])
    return cancel(ctx, rec, body["order_lines"], "seller")


def customer_cancel(ctx, order_id: str, lines: list[dict] | None) -> dict:
    rec = load(ctx, "order", order_id)
    requested = [{"order_item_id": l["order_item_id"], "cancelled_quantity": l["quantity"]} for l in lines or []]
    result = cancel(ctx, rec, requested, "customer")
    return {**result, "status": rec["status"]}


@timer_handler("po_issue")
def issue_po(ctx, order_id: str) -> None:
    rec = load(ctx, "order", order_id)
    if rec["data"]["po"] is not None:
        return
    pob = get_pob(ctx.conn, rec["pob_id"])
    po_number = ctx.ids.po_number(ctx.seq("po"))
    lines = [l for l in rec["data"]["lines"] if open_qty(l) > 0]
    payload = documents.purchase_order_payload(ctx, pob, rec, po_number, lines)
    document_id = documents.create(ctx, rec["pob_id"], "purchase_order", order_id, payload)
    rec["data"]["po"] = {"po_number": po_number, "po_date": ctx.now, "document_id": document_id,
                         "po_amount": payload["totals"]["total"], "total_tax": payload["totals"]["tax"]}
    move(ctx, DS_ORDER, rec, "po_issued", f"AJIO issued PO {po_number}")
    save(ctx, "order", rec)

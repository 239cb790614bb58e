"""B2C orders, shared by Dropship and VMS (customers order on AJIO, seeds 000 and 002): order lines and
their money, placement, open quantities and the per-line cancellation both models apply."""
from __future__ import annotations

import random
from typing import Callable

from sqlalchemy import insert

from simulator import datagen
from simulator.domain.catalog import adjust_stock, published_products, stock_for_update, write_stock
from simulator.domain.context import move, save, transition_row
from simulator.domain.machine import order_machine
from simulator.domain.sellers import get_pob
from simulator.errors import ValidationFailed
from simulator.store import orders, transitions

# AJIO keeps roughly this share of the selling price; the rest is the seller's B2B price.
COMMISSION = 0.22
MAX_ORDERS_PER_CALL = 1000
# Models whose orders customers place on AJIO (B2C): Dropship, and VMS (seed 002).
ORDER_MODELS = ("ds", "vms")


def open_qty(line: dict) -> int:
    return (line["ordered_quantity"] - line["customer_cancelled_qty"] - line["seller_cancelled_qty"]
            - line["seller_short_picked_qty"])


def amount_due(lines: list[dict]) -> float:
    """What the customer still pays for an order: its open quantities at their selling price, i.e. what a
    COD courier collects (the label's cod_amount); an order's total_amount stays the order as placed."""
    return round(sum(round(l["unit_price"] * open_qty(l), 2) for l in lines) + 1e-9, 2)


def _money(x: float) -> float:
    return round(x + 1e-9, 2)


def _make_line(ctx, order_id: str, product: dict, quantity: int, rng: random.Random, item_seq: int) -> dict:
    data = product["data"]
    listing = float(data["selling_price"])
    # A seller-funded discount on some lines, as AJIO's payloads carry `seller_discount`.
    discount = _money(listing * rng.choice((0, 0, 0, 0.05, 0.10)))
    unit_price = _money(listing - discount)
    rate = datagen.gst_rate_for_hsn_price_incl_tax(data["hsn"], unit_price, ctx.now)
    b2b_total = _money(unit_price * (1 - COMMISSION))
    b2b_rate = datagen.gst_rate_for_hsn_price_incl_tax(data["hsn"], b2b_total, ctx.now)
    # Per unit, split as CGST + SGST would be (two equal halves): the tax is a whole even number of paise,
    # so quantity x (base, tax) is the line's taxable value and tax to the paisa, intra- or inter-state.
    b2b_base = datagen.split_tax(b2b_total, b2b_rate, intra_state=True)["taxable_value"]
    item_base = datagen.split_tax(unit_price, rate, intra_state=True)["taxable_value"]
    return {
        "order_item_id": ctx.ids.order_item_id(item_seq), "sku": product["sku"],
        "item_details": {"brand_name": data["brand_name"], "color": data["color"], "ean": data["ean"],
                         "item_code": product["sku"], "name": data["name"], "size": data["size"]},
        "category": data["category"], "hsn": data["hsn"], "ordered_quantity": quantity,
        "acknowledged": False, "confirmed_quantity": None, "customer_cancelled_qty": 0,
        "seller_cancelled_qty": 0, "seller_short_picked_qty": 0,
        "mrp": float(data["mrp"]), "listing_price": listing, "seller_discount": discount, "unit_price": unit_price,
        "gst_rate": rate, "item_base_price": item_base,
        "b2b_gst_rate": b2b_rate, "b2b_base_price": b2b_base, "b2b_tax": _money(b2b_total - b2b_base),
    }


def place_orders(ctx, pob_id: str, *, count: int = 1, seed: int | None = None, lines: list[dict] | None = None,
                 payment_method: str | None = None, carrier: str | None = None,
                 decorate: Callable[[dict, dict], None] | None = None) -> list[str]:
    """Customers place orders on AJIO (control plane): Faker-made unless lines are given.

    `carrier` forces the courier AJIO assigns (default: drawn per order). `decorate(pob, data)` adds what
    the POB's model carries beside the common order fields (VMS: its own, Dropship: its SLAs)."""
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
            "carrier": carrier or ctx.data.pick_carrier(order_id), "tracking_number": None,
            "customer": ctx.data.customer(order_id), "lines": order_lines,
            "total_amount": _money(sum(l["unit_price"] * l["ordered_quantity"] for l in order_lines)),
            "po": None, "po_due_at": None, "invoice": None, "shipment": None, "manifest_id": None,
            "return_order_ids": [],
        }
        if decorate is not None:
            decorate(pob, data)
        order_rows.append({"order_id": order_id, "pob_id": pob_id, "model": pob["model"], "status": "CREATED",
                           "order_date": ctx.now, "updated_at": ctx.now, "version": 1, "data": data})
        timeline_rows.append(transition_row(ctx, "order", order_id, None, "CREATED", "order placed by customer"))
        created.append(order_id)
    write_stock(ctx, pob_id, {sku: q for sku, q in stock.items() if q != before[sku]})
    ctx.conn.execute(insert(orders), order_rows)
    ctx.conn.execute(insert(transitions), timeline_rows)
    ctx.touched.extend(created)
    return created


# -- cancellation, per line -------------------------------------------------------------------
def check_lines(rec: dict, requested: list[dict]) -> tuple[list[tuple[dict, dict]], list[dict]]:
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


def restock(ctx, rec: dict, line: dict, quantity: int) -> None:
    """Cancelled units go back to stock, except those the placement could not take from it
    (cancelled first: they are the ones AJIO could never have shipped)."""
    uncovered = min(quantity, line.get("oversold_qty", 0))
    line["oversold_qty"] = line.get("oversold_qty", 0) - uncovered
    if quantity - uncovered:
        adjust_stock(ctx, rec["pob_id"], line["sku"], quantity - uncovered)


def cancel_lines(ctx, rec: dict, requested: list[dict], who: str) -> tuple[list[str], list[dict]]:
    """Take `cancelled_quantity` units off each requested line (customer or seller), restocking them.

    Answers (order_item_ids applied, per-line failures); the caller moves the order (`finish_cancel`)."""
    valid, failed = check_lines(rec, requested)
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
        restock(ctx, rec, line, quantity)
        applied.append(line["order_item_id"])
    if not applied:
        raise ValidationFailed(f"nothing of order {rec['order_id']} could be cancelled", field="order_lines",
                               extra={"success": [], "failed_items": failed})
    return applied, failed


def finish_cancel(ctx, rec: dict, who: str, touched: list[str]) -> None:
    """The order's move after a cancellation: the whole order when nothing is open any more, else its lines."""
    if sum(open_qty(l) for l in rec["data"]["lines"]) == 0:
        move(ctx, order_machine(rec), rec, f"{who}_cancel", f"{who} cancelled the order")
        return
    move(ctx, order_machine(rec), rec, f"{who}_cancel_lines", f"{who} cancelled quantities of {', '.join(touched)}")


def cancel(ctx, rec: dict, requested: list[dict], who: str,
           then: Callable[[object, dict], None] | None = None) -> dict:
    """A customer's or seller's cancellation, whole (no lines) or per line, as the order's machine allows.

    `then(ctx, rec)` runs after the order moved (Dropship: the last pending line went, so the order is
    confirmed). The caller saves the order."""
    machine = order_machine(rec)
    if not machine.allows(rec["status"], f"{who}_cancel_lines"):
        machine.next(rec["status"], f"{who}_cancel")  # raises with the seed's rule
    if not requested:
        requested = [{"order_item_id": l["order_item_id"], "cancelled_quantity": open_qty(l)}
                     for l in rec["data"]["lines"] if open_qty(l) > 0]
    applied, failed = cancel_lines(ctx, rec, requested, who)
    finish_cancel(ctx, rec, who, applied)
    if then is not None:
        then(ctx, rec)
    return {"success": applied, "failed_items": failed}


def customer_cancel(ctx, rec: dict, lines: list[dict] | None,
                    then: Callable[[object, dict], None] | None = None) -> dict:
    """The customer cancels on AJIO (control plane): `lines` as [{order_item_id, quantity}], or all."""
    requested = [{"order_item_id": l["order_item_id"], "cancelled_quantity": l["quantity"]} for l in lines or []]
    result = cancel(ctx, rec, requested, "customer", then)
    save(ctx, "order", rec)
    return {**result, "status": rec["status"]}

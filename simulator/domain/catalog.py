"""A POB's listings and AJIO's view of its stock (absolute updates, <= 50 lines a call)."""
from __future__ import annotations

from sqlalchemy import bindparam, select, update

from simulator.domain.paging import paged
from simulator.errors import ValidationFailed
from simulator.store import products

MAX_INVENTORY_LINES = 50


def product_view(row) -> dict:
    data = row["data"]
    return {"sku": row["sku"], "ean": data["ean"], "item_code": data["sku"], "name": data["name"],
            "brand_name": data["brand_name"], "category": data.get("category"), "color": data["color"],
            "size": data["size"], "hsn": data["hsn"], "mrp": data["mrp"], "selling_price": data["selling_price"],
            "style_code": data.get("style_code"), "product_id": data.get("product_id"),
            "variant_id": data.get("variant_id"), "published_status": row["published_status"],
            "quantity": row["quantity"], "updated_at": row["updated_at"]}


def list_products(ctx, pob_id: str, *, sku: str | None, published_status: str | None, page: int, size: int) -> dict:
    stmt = select(products).where(products.c.pob_id == pob_id)
    if sku:
        stmt = stmt.where(products.c.sku == sku)
    if published_status:
        stmt = stmt.where(products.c.published_status == published_status)
    rows, block = paged(ctx.conn, stmt, [products.c.sku], page, size)
    return {"products": [product_view(r) for r in rows], "page": block}


def update_inventory(ctx, pob_id: str, lines: list[dict]) -> dict:
    """Absolute quantities; each line succeeds or fails on its own (AJIO's per-line result)."""
    success, failed, seen = [], [], set()
    for line in lines:
        sku, quantity = line["sku"], line["quantity"]
        if sku in seen:
            failed.append({"sku": sku, "quantity": quantity,
                           "error_message": "duplicate sku in this call: send each SKU once"})
            continue
        seen.add(sku)
        done = ctx.conn.execute(update(products).where(products.c.pob_id == pob_id, products.c.sku == sku)
                                .values(quantity=quantity, updated_at=ctx.now)).rowcount
        if done:
            success.append({"sku": sku, "quantity": quantity})
        else:
            failed.append({"sku": sku, "quantity": quantity,
                           "error_message": f"unknown sku {sku} for this POB (seed 003: SKUs must match AJIO's exactly)"})
    if not success:
        # As everywhere: a call where nothing succeeded is a 4xx, still with the per-line reasons.
        raise ValidationFailed("no inventory line could be applied: see failed_items", field="inventory",
                               extra={"success": [], "failed_items": failed})
    return {"success": success, "failed_items": failed}


def adjust_stock(ctx, pob_id: str, sku: str, delta: int) -> int:
    """AJIO's sellable count moves with orders and cancellations; never below zero.

    Returns the change actually applied: an order for more units than are listed takes only what
    there is, and the caller must remember that to give back no more on cancellation."""
    # Read under a row lock (PostgreSQL; SQLite writers are serialised already): two orders taking
    # the last units cannot both read the same count and lose one update.
    row = ctx.conn.execute(select(products.c.quantity).where(products.c.pob_id == pob_id, products.c.sku == sku)
                           .with_for_update()).first()
    if row is None:
        return 0
    new = max(0, row[0] + delta)
    ctx.conn.execute(update(products).where(products.c.pob_id == pob_id, products.c.sku == sku)
                     .values(quantity=new, updated_at=ctx.now))
    return new - row[0]


def stock_for_update(ctx, pob_id: str, skus: set[str]) -> dict[str, int]:
    """The listed quantities of these SKUs, locked until the transaction ends (bulk placement)."""
    if not skus:
        return {}
    rows = ctx.conn.execute(select(products.c.sku, products.c.quantity)
                            .where(products.c.pob_id == pob_id, products.c.sku.in_(sorted(skus)))
                            .order_by(products.c.sku).with_for_update())
    return {sku: quantity for sku, quantity in rows}


def write_stock(ctx, pob_id: str, quantities: dict[str, int]) -> None:
    if not quantities:
        return
    ctx.conn.execute(update(products).where(products.c.pob_id == bindparam("b_pob"),
                                            products.c.sku == bindparam("b_sku"))
                     .values(quantity=bindparam("b_qty"), updated_at=ctx.now),
                     [{"b_pob": pob_id, "b_sku": sku, "b_qty": q} for sku, q in sorted(quantities.items())])


def published_products(ctx, pob_id: str) -> list[dict]:
    rows = ctx.conn.execute(select(products).where(products.c.pob_id == pob_id,
                                                   products.c.published_status == "PUBLISHED")
                            .order_by(products.c.sku)).mappings().all()
    return [dict(r) for r in rows]


def all_products(ctx, pob_id: str) -> list[dict]:
    """Every listing of a POB, published or not, by SKU (the control plane's inventory view)."""
    rows = ctx.conn.execute(select(products).where(products.c.pob_id == pob_id)
                            .order_by(products.c.sku)).mappings().all()
    return [dict(r) for r in rows]

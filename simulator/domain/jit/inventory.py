"""JIT SKU pull, inventory push, AJIO's view for the daily reconciliation (with injectable drift), back orders."""
from __future__ import annotations

from sqlalchemy import insert, select, update

from simulator.domain.jit.machines import OPEN_STATUSES
from simulator.domain.paging import paged
from simulator.errors import ValidationFailed
from simulator.store import jit_stock, orders, products

# AJIO's moderation vocabulary for the SKU pull; stored as the catalog's published status.
MODERATION = {"PUBLISHED": "APPROVED", "UNPUBLISHED": "PENDING"}
PUBLISHED = {v: k for k, v in MODERATION.items()}
PUSH_RULE = "INVENTORY-SKU-EXACT"


def product_view(row) -> dict:
    d = row["data"]
    return {"sku_code": row["sku"], "product_id": d["product_id"], "variant_id": d["variant_id"],
            "channel_product_id": f"{d['product_id']}~{d['variant_id']}", "ean": d["ean"], "name": d["name"],
            "brand_name": d["brand_name"], "color": d["color"], "size": d["size"], "hsn": d["hsn"], "mrp": d["mrp"],
            "moderation_status": MODERATION[row["published_status"]]}


def list_products(ctx, pob_id: str, *, sku: str | None, moderation: str | None, page: int, size: int) -> dict:
    stmt = select(products).where(products.c.pob_id == pob_id)
    if sku:
        stmt = stmt.where(products.c.sku == sku)
    if moderation:
        stmt = stmt.where(products.c.published_status == PUBLISHED[moderation])
    rows, block = paged(ctx.conn, stmt, [products.c.sku], page, size)
    return {"products": [product_view(r) for r in rows], "page": block}


def moderate_sku(ctx, pob_id: str, sku: str, status: str) -> dict:
    """Control plane: a SKU becomes orderable (APPROVED) or goes back to moderation (PENDING)."""
    done = ctx.conn.execute(update(products).where(products.c.pob_id == pob_id, products.c.sku == sku)
                            .values(published_status=PUBLISHED[status], updated_at=ctx.now)).rowcount
    if not done:
        raise ValidationFailed(f"unknown sku {sku} for POB {pob_id}", field="sku")
    return {"pob_id": pob_id, "sku": sku, "moderation_status": status}


def _stock_row(ctx, pob_id: str, sku: str) -> dict | None:
    row = ctx.conn.execute(select(jit_stock).where(jit_stock.c.pob_id == pob_id, jit_stock.c.sku == sku)).mappings().first()
    return dict(row) if row else None


def _put_stock(ctx, pob_id: str, sku: str, **values) -> None:
    if _stock_row(ctx, pob_id, sku) is None:
        ctx.conn.execute(insert(jit_stock).values(pob_id=pob_id, sku=sku, **{"pushed": None, "pushed_at": None,
                                                                             "drift": 0, **values}))
    else:
        ctx.conn.execute(update(jit_stock).where(jit_stock.c.pob_id == pob_id, jit_stock.c.sku == sku).values(**values))


def push_inventory(ctx, pob_id: str, lines: list[dict]) -> dict:
    """Absolute quantities become AJIO's view at once; a push clears any drift on the SKU. All or nothing."""
    known = {r[0] for r in ctx.conn.execute(select(products.c.sku).where(
        products.c.pob_id == pob_id, products.c.sku.in_([l["sku"] for l in lines])))}
    for i, line in enumerate(lines):
        if line["sku"] not in known:
            raise ValidationFailed(f"unknown sku {line['sku']} for this POB: push AJIO's SKU codes as pulled from "
                                   f"GET /jit/products", field=f"inventory[{i}].sku", rule=PUSH_RULE)
        if any(line["sku"] == other["sku"] for other in lines[:i]):
            raise ValidationFailed(f"sku {line['sku']} repeated in this call: send each SKU once",
                                   field=f"inventory[{i}].sku", rule=PUSH_RULE)
    for line in lines:
        ctx.conn.execute(update(products).where(products.c.pob_id == pob_id, products.c.sku == line["sku"])
                         .values(quantity=line["quantity"], updated_at=ctx.now))
        _put_stock(ctx, pob_id, line["sku"], pushed=line["quantity"], pushed_at=ctx.now, drift=0)
    return {"status": "SUCCESS", "inventory": [{"sku": l["sku"], "quantity": l["quantity"]} for l in lines]}


def get_inventory(ctx, pob_id: str, sku: str | None = None) -> dict:
    """What AJIO holds as the seller's sellable stock: the last push, less packed units, plus any drift."""
    stmt = select(products.c.sku, products.c.quantity).where(products.c.pob_id == pob_id).order_by(products.c.sku)
    if sku:
        stmt = stmt.where(products.c.sku == sku)
    return {"inventory": [{"sku": r[0], "quantity": r[1]} for r in ctx.conn.execute(stmt)]}


def inject_drift(ctx, pob_id: str, lines: list[dict]) -> dict:
    """Control plane: AJIO's view moves away from what the seller pushed (lost or double-applied update)."""
    rows = {r["sku"]: r for r in ctx.conn.execute(select(products.c.sku, products.c.quantity).where(
        products.c.pob_id == pob_id, products.c.sku.in_([l["sku"] for l in lines]))).mappings()}
    for i, line in enumerate(lines):
        if line["sku"] not in rows:
            raise ValidationFailed(f"unknown sku {line['sku']} for POB {pob_id}", field=f"lines[{i}].sku")
    out = []
    for line in lines:
        before = rows[line["sku"]]["quantity"]
        after = line["quantity"] if "quantity" in line else max(0, before + line["delta"])
        ctx.conn.execute(update(products).where(products.c.pob_id == pob_id, products.c.sku == line["sku"])
                         .values(quantity=after, updated_at=ctx.now))
        stock = _stock_row(ctx, pob_id, line["sku"])
        _put_stock(ctx, pob_id, line["sku"], drift=(stock["drift"] if stock else 0) + after - before)
        out.append({"sku": line["sku"], "before": before, "quantity": after})
    return {"pob_id": pob_id, "drifted": out}


def stock_report(ctx, pob_id: str) -> dict:
    """Control plane: per SKU, what was pushed, AJIO's view and the drift injected since the push."""
    pushes = {r["sku"]: r for r in ctx.conn.execute(select(jit_stock).where(jit_stock.c.pob_id == pob_id)).mappings()}
    out = []
    for item in get_inventory(ctx, pob_id)["inventory"]:
        p = pushes.get(item["sku"])
        out.append({"sku": item["sku"], "ajio_quantity": item["quantity"], "pushed": p["pushed"] if p else None,
                    "pushed_at": p["pushed_at"] if p else None, "drift": p["drift"] if p else 0})
    return {"pob_id": pob_id, "inventory": out}


def get_backorders(ctx, pob_id: str) -> dict:
    """SKUs whose open PO demand (raised, not yet packed) exceeds AJIO's view of the seller's stock."""
    demand: dict[str, int] = {}
    rows = ctx.conn.execute(select(orders.c.data).where(orders.c.pob_id == pob_id, orders.c.model == "jit",
                                                        orders.c.status.in_(OPEN_STATUSES)))
    for (data,) in rows:
        for line in data["lines"]:
            demand[line["sku"]] = demand.get(line["sku"], 0) + line["quantity"] - line["cancelled_quantity"]
    if not demand:
        return {"backorders": []}
    stock = dict(ctx.conn.execute(select(products.c.sku, products.c.quantity).where(
        products.c.pob_id == pob_id, products.c.sku.in_(list(demand)))).all())
    out = [{"sku": sku, "demand": qty, "available": stock.get(sku, 0)} for sku, qty in sorted(demand.items())
           if qty > stock.get(sku, 0)]
    return {"backorders": out}


__all__ = ["list_products", "push_inventory", "get_inventory", "inject_drift", "stock_report", "get_backorders",
           "moderate_sku"]

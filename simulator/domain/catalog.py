"""A POB's listings and AJIO's view of its stock (absolute updates, <= 50 lines a call)."""
from __future__ import annotations

from sqlalchemy import bindparam, delete, insert, select, update

from simulator import datagen
from simulator.domain.paging import paged
from simulator.errors import NotFound, ValidationFailed
from simulator.store import pobs, products, sellers

# The table, by a name the catalogue functions below keep free (their `products` is the imported list).
products_table = products

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


def update_inventory(ctx, pob_id: str, lines: list[dict], refused: dict[str, str] | None = None) -> dict:
    """Absolute quantities; each line succeeds or fails on its own (AJIO's per-line result). `refused`: SKUs AJIO
    fails on this call though the line is right (a line_failure fault), with the reason; AJIO's count stays."""
    success, failed, seen = [], [], set()
    for line in lines:
        sku, quantity = line["sku"], line["quantity"]
        if sku in seen:
            failed.append({"sku": sku, "quantity": quantity,
                           "error_message": "duplicate sku in this call: send each SKU once"})
            continue
        seen.add(sku)
        if refused and sku in refused and _listed(ctx, pob_id, sku):
            failed.append({"sku": sku, "quantity": quantity, "error_message": refused[sku]})
            continue
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


def _listed(ctx, pob_id: str, sku: str) -> bool:
    return ctx.conn.execute(select(products.c.sku).where(products.c.pob_id == pob_id, products.c.sku == sku)
                            ).first() is not None


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


# -- a seller's own catalogue (control plane; docs/dropship.md "Catalogue control") -----------------
# Models whose POBs list the seller's catalogue: Dropship and VMS (a JIT POB's listings carry AJIO's
# product and variant ids, which a seller's file has not: its catalogue stays AJIO's).
CATALOGUE_MODELS = ("ds", "vms")


def product_data(item: dict) -> dict:
    """A listing's stored data from one row of an imported catalogue (contracts/control.CatalogueProduct)."""
    return {"sku": item["sku"], "ean": item["ean"], "name": item["name"], "brand_name": item["brand"],
            "category": item["category"], "color": item["colour"], "size": item["size"], "hsn": item["hsn"],
            "mrp": float(item["mrp"]), "selling_price": float(item["price"]), "style_code": None,
            "product_id": None, "variant_id": None, "own_catalogue": True}


def _check(ctx, products: list[dict]) -> None:
    skus, eans = {}, {}
    for i, item in enumerate(products):
        if item["sku"] in skus:
            raise ValidationFailed(f"sku {item['sku']} is listed twice (rows {skus[item['sku']]} and {i}): SKUs must "
                                   f"be unique (seed 003)", field=f"products[{i}].sku")
        if item["ean"] in eans:
            raise ValidationFailed(f"ean {item['ean']} is listed twice (rows {eans[item['ean']]} and {i}): avoid "
                                   f"overlapping barcodes (seed 003)", field=f"products[{i}].ean")
        skus[item["sku"]], eans[item["ean"]] = i, i
        if datagen.gst_rate_for_hsn(item["hsn"], float(item["price"]), ctx.now) is None:
            raise ValidationFailed(f"HSN {item['hsn']}: the simulator prices GST for apparel and made-ups (61-63), "
                                   f"footwear (64), bags (4202) and jewellery (7113, 7117) only",
                                   field=f"products[{i}].hsn")


def seller_pobs(ctx, seller_id: str | None, pob_id: str | None) -> tuple[str, list[dict]]:
    """The seller (named directly or by one of its POBs) and its POBs, oldest first."""
    if pob_id is not None:
        row = ctx.conn.execute(select(pobs.c.seller_id).where(pobs.c.pob_id == pob_id)).first()
        if row is None:
            raise NotFound(f"POB {pob_id} not found", field="pob_id")
        seller_id = row[0]
    rows = ctx.conn.execute(select(pobs.c.pob_id, pobs.c.model).where(pobs.c.seller_id == seller_id)
                            .order_by(pobs.c.created_at, pobs.c.pob_id)).mappings().all()
    if not rows:
        raise NotFound(f"seller {seller_id} not found", field="seller_id")
    return seller_id, [dict(r) for r in rows]


def import_catalogue(ctx, *, seller_id: str | None, pob_id: str | None, products: list[dict],
                     replace: bool) -> dict:
    """The seller's own listings on every one of its Dropship and VMS POBs, each POB with its own stock:
    a row's `quantity` where given, else what the POB had for that SKU, else 0."""
    _check(ctx, products)
    seller_id, its_pobs = seller_pobs(ctx, seller_id, pob_id)
    targets = [p["pob_id"] for p in its_pobs if p["model"] in CATALOGUE_MODELS]
    if not targets:
        raise ValidationFailed(f"seller {seller_id} has no Dropship or VMS POB to list a catalogue on",
                               field="seller_id")
    wanted = {item["sku"] for item in products}
    removed = 0
    for target in targets:
        have = {r[0]: r[1] for r in ctx.conn.execute(select(products_table.c.sku, products_table.c.quantity)
                                                     .where(products_table.c.pob_id == target))}
        if replace:
            gone = sorted(set(have) - wanted)
            if gone:
                removed += ctx.conn.execute(delete(products_table).where(products_table.c.pob_id == target,
                                                                         products_table.c.sku.in_(gone))).rowcount
        for item in products:
            status = "PUBLISHED" if item.get("published", True) else "UNPUBLISHED"
            quantity = item.get("quantity", have.get(item["sku"], 0))
            values = {"published_status": status, "quantity": quantity, "updated_at": ctx.now,
                      "data": product_data(item)}
            if item["sku"] in have:
                ctx.conn.execute(update(products_table).where(products_table.c.pob_id == target,
                                                              products_table.c.sku == item["sku"]).values(**values))
            else:
                ctx.conn.execute(insert(products_table).values(pob_id=target, sku=item["sku"], **values))
    _remember(ctx, seller_id, products, replace)
    return {"seller_id": seller_id, "pob_ids": targets, "imported": len(products), "removed": removed,
            "skipped_pob_ids": [p["pob_id"] for p in its_pobs if p["model"] not in CATALOGUE_MODELS]}


def _remember(ctx, seller_id: str, products: list[dict], replace: bool) -> None:
    """The seller's catalogue, kept on the seller: a POB added to the seller later lists it too."""
    row = ctx.conn.execute(select(sellers.c.data).where(sellers.c.seller_id == seller_id)).first()
    data = dict(row[0]) if row else {}
    kept = {} if replace else {item["sku"]: item for item in data.get("catalogue") or []}
    kept.update({item["sku"]: dict(item) for item in products})
    data["catalogue"] = list(kept.values())
    ctx.conn.execute(update(sellers).where(sellers.c.seller_id == seller_id).values(data=data))


def own_catalogue(conn, seller_id: str) -> list[dict] | None:
    row = conn.execute(select(sellers.c.data).where(sellers.c.seller_id == seller_id)).first()
    return (row[0] or {}).get("catalogue") if row else None


def set_published(ctx, *, seller_id: str | None, pob_id: str | None, skus: list[str], published: bool) -> dict:
    """Publish or unpublish SKUs on every POB of the seller that lists them (customers order published ones only)."""
    seller_id, its_pobs = seller_pobs(ctx, seller_id, pob_id)
    ids = [p["pob_id"] for p in its_pobs]
    status = "PUBLISHED" if published else "UNPUBLISHED"
    changed = 0
    for i, sku in enumerate(skus):
        done = ctx.conn.execute(update(products_table).where(products_table.c.pob_id.in_(ids), products_table.c.sku == sku)
                                .values(published_status=status, updated_at=ctx.now)).rowcount
        if not done:
            raise NotFound(f"sku {sku} is listed on no POB of seller {seller_id} (SKUs match exactly)",
                           field=f"skus[{i}]")
        changed += done
    catalogue = own_catalogue(ctx.conn, seller_id)
    if catalogue:
        for item in catalogue:
            if item["sku"] in skus:
                item["published"] = published
        row = ctx.conn.execute(select(sellers.c.data).where(sellers.c.seller_id == seller_id)).first()
        ctx.conn.execute(update(sellers).where(sellers.c.seller_id == seller_id)
                         .values(data={**row[0], "catalogue": catalogue}))
    return {"seller_id": seller_id, "skus": skus, "published_status": status, "listings_changed": changed}

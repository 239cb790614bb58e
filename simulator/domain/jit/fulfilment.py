"""JIT forward flow (seed 001): invoice from the seller's series -> box-wise pack with a label per box ->
manifest (<= 250 POs)."""
from __future__ import annotations

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from simulator.domain import documents
from simulator.domain.catalog import adjust_stock
from simulator.domain.context import move, save
from simulator.domain.jit import courier
from simulator.domain.jit import documents as jit_docs
from simulator.domain.jit.machines import JIT_PO
from simulator.domain.jit.orders import invoice_stale, jit_pob, load_po, open_qty
from simulator.errors import ConcurrentUpdate, Conflict, ConflictingRepeat, NotFound, ValidationFailed
from simulator.lifecycle import schedule
from simulator.store import jit_boxes, manifests

MAX_MANIFEST = 250
BOX_RULE = "JIT-PACK-MATCHES-INVOICE"
BOX_ID_RULE = "JIT-BOX-IDS-UNIQUE"
STALE_RULE = "JIT-INVOICE-UPDATE-UNTIL-PACKED"


# -- invoice -----------------------------------------------------------------------------------
def invoice_answer(ctx, rec: dict) -> dict:
    inv = rec["data"]["invoice"]
    out = {"order_id": rec["order_id"], "invoice_number": inv["invoice_number"], "invoice_date": inv["invoice_date"],
           "invoice_pdf_url": ctx.doc_url(inv["document_id"]),
           "invoice_lines": [{"order_item_id": k, "quantity": v} for k, v in inv["lines"].items()]}
    if inv.get("irn"):
        out["irn"], out["qr_code"] = inv["irn"], inv["qr_code"]
    return out


def _issue_invoice(ctx, pob: dict, rec: dict) -> None:
    """A number from the seller's registered series (seed 001: AJIO generates the invoice) for the open quantities."""
    fy = documents.financial_year(ctx.now)
    # GST caps invoice numbers at 16 characters: series (6) + financial year (4) + counter (6).
    counter = ctx.seq(f"invoice:{pob['pob_id']}:{fy}")
    number = f"{pob['settings']['invoice_series']}{fy}{counter:06d}"
    quantities = {l["order_item_id"]: open_qty(l) for l in rec["data"]["lines"] if open_qty(l) > 0}
    payload = jit_docs.invoice_payload(ctx, pob, rec, number, quantities)
    document_id = documents.create(ctx, pob["pob_id"], "jit_b2b_invoice", rec["order_id"], payload)
    einv = payload["einvoice"] or {}
    rec["data"]["invoice"] = {"invoice_number": number, "invoice_date": ctx.now, "document_id": document_id,
                              "lines": quantities, "irn": einv.get("irn"), "qr_code": einv.get("qr_payload")}


def generate_invoice(ctx, pob_id: str, order_id: str) -> dict:
    """POST: AJIO invoices the PO. A repeat answers the current invoice (no second number)."""
    rec = load_po(ctx, order_id, pob_id)
    if rec["data"]["invoice"] is not None and rec["status"] != "CANCELLED":
        return invoice_answer(ctx, rec)
    JIT_PO.next(rec["status"], "invoice")
    _issue_invoice(ctx, jit_pob(ctx, pob_id), rec)
    move(ctx, JIT_PO, rec, "invoice", f"AJIO issued B2B invoice {rec['data']['invoice']['invoice_number']}")
    save(ctx, "order", rec)
    return invoice_answer(ctx, rec)


def update_invoice(ctx, pob_id: str, order_id: str) -> dict:
    """PUT: re-issue for the current open quantities, until packed. Nothing changed: the current invoice."""
    rec = load_po(ctx, order_id, pob_id)
    if rec["status"] == "CREATED":
        raise Conflict(f"PO {order_id} has no invoice to update yet: generate it with POST first", field="order_id",
                       rule=JIT_PO.rules["update_invoice"])
    JIT_PO.next(rec["status"], "update_invoice")
    if not invoice_stale(rec):
        return invoice_answer(ctx, rec)
    old = rec["data"]["invoice"]
    rec["data"]["invoice_history"].append({**old, "superseded_at": ctx.now})
    _issue_invoice(ctx, jit_pob(ctx, pob_id), rec)
    new = rec["data"]["invoice"]["invoice_number"]
    move(ctx, JIT_PO, rec, "update_invoice", f"AJIO re-issued the B2B invoice as {new} (replaces {old['invoice_number']})")
    save(ctx, "order", rec)
    return invoice_answer(ctx, rec)


# -- boxes -------------------------------------------------------------------------------------
def _box_rows(ctx, pob_id: str, box_ids=(), seal_ids=()) -> tuple[dict, dict]:
    rows = ctx.conn.execute(select(jit_boxes).where(jit_boxes.c.pob_id == pob_id, (
        jit_boxes.c.box_id.in_(list(box_ids)) | jit_boxes.c.seal_id.in_(list(seal_ids))))).mappings().all()
    by_box = {r["box_id"]: dict(r) for r in rows if r["box_id"] in set(box_ids)}
    by_seal = {r["seal_id"]: dict(r) for r in rows if r["seal_id"] is not None and r["seal_id"] in set(seal_ids)}
    return by_box, by_seal


def _label(ctx, pob: dict, rec: dict, box: dict, index=None, count=None) -> tuple[str, str]:
    tracking = ctx.data.awb(rec["data"]["carrier"], ctx.seq("awb"))
    payload = jit_docs.box_label_payload(ctx, pob, rec, box, tracking, index, count)
    return tracking, documents.create(ctx, pob["pob_id"], "jit_box_label", rec["order_id"], payload)


def _insert_box(ctx, **row) -> None:
    """Box ids are checked before this insert; another worker taking the same id in between (possible on
    PostgreSQL, not on SQLite's serialised writers) makes the whole request retry and meet the check."""
    try:
        with ctx.conn.begin_nested():
            ctx.conn.execute(insert(jit_boxes).values(**row))
    except IntegrityError:
        raise ConcurrentUpdate(f"box {row['box_id']} was taken by another request; retry") from None


def _box_answer(ctx, row: dict) -> dict:
    return {"box_id": row["box_id"], "tracking_number": row["data"]["tracking_number"],
            "label_pdf_url": ctx.doc_url(row["data"]["label_document_id"])}


def prepack(ctx, pob_id: str, order_id: str, box_ids: list[str]) -> dict:
    """Seed 001 row 4: labels (and the invoice) fetched at picklist time. Per box id: a repeat answers the same label."""
    rec = load_po(ctx, order_id, pob_id)
    pob = jit_pob(ctx, pob_id)
    for i, box_id in enumerate(box_ids):
        if box_id in box_ids[:i]:
            raise ValidationFailed(f"box_id {box_id} repeated in this request", field=f"box_ids[{i}]", rule=BOX_ID_RULE)
    existing, _ = _box_rows(ctx, pob_id, box_ids)
    for i, box_id in enumerate(box_ids):
        row = existing.get(box_id)
        if row is not None and (row["order_id"] != order_id or row["status"] == "VOID"):
            raise Conflict(f"box_id {box_id} is already used ({row['status'].lower()}) by PO {row['order_id']}",
                           field=f"box_ids[{i}]", rule=BOX_ID_RULE)
    new = [b for b in box_ids if b not in existing]
    if new or rec["status"] == "CANCELLED":
        JIT_PO.next(rec["status"], "invoice" if rec["status"] == "CREATED" else "prepack")
    if rec["status"] == "CREATED":
        _issue_invoice(ctx, pob, rec)
        move(ctx, JIT_PO, rec, "invoice", f"AJIO issued B2B invoice {rec['data']['invoice']['invoice_number']} "
                                          f"with the prefetched labels")
    for box_id in new:
        tracking, doc = _label(ctx, pob, rec, {"box_id": box_id})
        row = {"pob_id": pob_id, "box_id": box_id, "seal_id": None, "order_id": order_id, "status": "PREFETCHED",
               "created_at": ctx.now, "data": {"tracking_number": tracking, "label_document_id": doc, "items": []}}
        _insert_box(ctx, **row)
        existing[box_id] = row
    if new:
        move(ctx, JIT_PO, rec, "prepack", f"ship labels prefetched for boxes {', '.join(new)}")
        save(ctx, "order", rec)
    return {"order_id": order_id, "invoice": invoice_answer(ctx, rec),
            "boxes": [_box_answer(ctx, existing[b]) for b in box_ids]}


def _check_boxes(ctx, rec: dict, boxes: list[dict]) -> dict:
    """Every bad-input rule of the pack call, before anything is written (nothing half-applied)."""
    lines = {l["order_item_id"]: l for l in rec["data"]["lines"]}
    packed: dict[str, int] = {}
    first_path: dict[str, str] = {}
    for i, box in enumerate(boxes):
        for key in ("box_id", "seal_id"):
            if any(box[key] == other[key] for other in boxes[:i]):
                raise ValidationFailed(f"{key} {box[key]} repeated in this request: every box has its own",
                                       field=f"boxes[{i}].{key}", rule=BOX_ID_RULE)
        in_box = set()
        for j, item in enumerate(box["items"]):
            item_id = item["order_item_id"]
            path = f"boxes[{i}].items[{j}]"
            if item_id not in lines:
                raise ValidationFailed(f"order_item_id {item_id} is not a line of PO {rec['order_id']}",
                                       field=f"{path}.order_item_id")
            if item_id in in_box:
                raise ValidationFailed(f"order_item_id {item_id} appears twice in box {box['box_id']}: give one "
                                       f"quantity per line and box", field=f"{path}.order_item_id")
            in_box.add(item_id)
            packed[item_id] = packed.get(item_id, 0) + item["quantity"]
            first_path.setdefault(item_id, f"{path}.quantity")
    invoiced = rec["data"]["invoice"]["lines"]
    for item_id in list(lines):
        want, got = invoiced.get(item_id, 0), packed.get(item_id, 0)
        if want != got:
            raise ValidationFailed(f"boxes carry {got} of line {item_id} ({lines[item_id]['sku']}) but the invoice "
                                   f"{rec['data']['invoice']['invoice_number']} has {want}",
                                   field=first_path.get(item_id, "boxes"), rule=BOX_RULE)
    return packed


def pack(ctx, pob_id: str, order_id: str, boxes: list[dict]) -> dict:
    """Box-wise pack: one dummy ship label per box. A repeat with the same boxes answers the first result;
    other boxes for a packed PO are a ConflictingRepeat."""
    rec = load_po(ctx, order_id, pob_id)
    done = rec["data"]["pack"]
    if done is not None:
        if done["request"] == boxes:
            return done["answer"] | {"status": rec["status"]}
        raise ConflictingRepeat(f"PO {order_id} is already packed with other boxes", field="boxes",
                                rule=JIT_PO.rules["pack"])
    JIT_PO.next(rec["status"], "pack")
    if invoice_stale(rec):
        raise Conflict(f"PO {order_id}'s invoice {rec['data']['invoice']['invoice_number']} no longer matches the "
                       f"open quantities: update it (PUT) before packing", field="invoice", rule=STALE_RULE)
    packed = _check_boxes(ctx, rec, boxes)
    pob = jit_pob(ctx, pob_id)
    existing, by_seal = _box_rows(ctx, pob_id, [b["box_id"] for b in boxes], [b["seal_id"] for b in boxes])
    for i, box in enumerate(boxes):
        row = existing.get(box["box_id"])
        if row is not None and (row["order_id"] != order_id or row["status"] != "PREFETCHED"):
            raise Conflict(f"box_id {box['box_id']} is already used by PO {row['order_id']}",
                           field=f"boxes[{i}].box_id", rule=BOX_ID_RULE)
        if box["seal_id"] in by_seal:
            raise Conflict(f"seal_id {box['seal_id']} is already on box {by_seal[box['seal_id']]['box_id']}",
                           field=f"boxes[{i}].seal_id", rule=BOX_ID_RULE)
    answer_boxes = []
    for i, box in enumerate(boxes):
        row = existing.get(box["box_id"])
        if row is not None:  # prefetched: the label fetched at picklist time is the box's label
            tracking, doc = row["data"]["tracking_number"], row["data"]["label_document_id"]
        else:
            tracking, doc = _label(ctx, pob, rec, box, i + 1, len(boxes))
        data = {"tracking_number": tracking, "label_document_id": doc, "items": box["items"]}
        if row is not None:
            ctx.conn.execute(update(jit_boxes).where(jit_boxes.c.pob_id == pob_id, jit_boxes.c.box_id == box["box_id"])
                             .values(seal_id=box["seal_id"], status="PACKED", data=data))
        else:
            _insert_box(ctx, pob_id=pob_id, box_id=box["box_id"], seal_id=box["seal_id"], order_id=order_id,
                        status="PACKED", created_at=ctx.now, data=data)
        answer_boxes.append({"box_id": box["box_id"], "tracking_number": tracking, "label_pdf_url": ctx.doc_url(doc)})
    # Prefetched labels the pack did not use are void: their box ids cannot be reused.
    ctx.conn.execute(update(jit_boxes).where(jit_boxes.c.pob_id == pob_id, jit_boxes.c.order_id == order_id,
                                             jit_boxes.c.status == "PREFETCHED").values(status="VOID"))
    by_id = {l["order_item_id"]: l for l in rec["data"]["lines"]}
    for item_id, quantity in packed.items():
        adjust_stock(ctx, pob_id, by_id[item_id]["sku"], -quantity)  # the units left the seller's warehouse
    rec["data"]["master_awb"] = answer_boxes[0]["tracking_number"]
    move(ctx, JIT_PO, rec, "pack", f"packed in {len(boxes)} box(es): {', '.join(b['box_id'] for b in boxes)}")
    if pob["settings"].get("ready_to_ship_at") == "pack":
        move(ctx, JIT_PO, rec, "ready_to_ship", "ready to ship at pack (seller setting, seed 001 row 5)")
    answer = {"order_id": order_id, "master_awb": rec["data"]["master_awb"], "boxes": answer_boxes}
    rec["data"]["pack"] = {"request": boxes, "answer": answer}
    save(ctx, "order", rec)
    return answer | {"status": rec["status"]}


# -- manifest ---------------------------------------------------------------------------------
def _dispatch_failure(item: dict, message: str) -> dict:
    return {"masterAWB": item["masterAWB"], "orderId": item["orderId"], "invoiceNo": item["invoiceNo"],
            "error_message": message}


def _manifest_answer(ctx, manifest_id: str | None, document_id: str | None, failed: list[dict]) -> dict:
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


def dispatch_orders(ctx, pob_id: str, items: list[dict], refused: dict[str, str] | None = None) -> dict:
    """Manifest packed POs; each item succeeds or fails on its own. A retry of manifested POs answers
    their manifest; manifested and new POs mixed in one call are a ConflictingRepeat. `refused`: POs AJIO
    fails on this call whatever their state (a line_failure fault), with the reason."""
    if len(items) > MAX_MANIFEST:
        raise ValidationFailed(f"at most {MAX_MANIFEST} shipments per manifest (got {len(items)})",
                               field="dispatchItems", rule="MANIFEST-MAX-250")
    ok, failed, seen = [], [], set()
    for item in items:
        if item["orderId"] in seen:
            failed.append(_dispatch_failure(item, "orderId repeated in this manifest"))
            continue
        seen.add(item["orderId"])
        rec, problem = _check_item(ctx, pob_id, item)
        if problem is None and refused and item["orderId"] in refused and not rec["data"]["manifest_id"]:
            problem = refused[item["orderId"]]
        if problem:
            failed.append(_dispatch_failure(item, problem))
        else:
            ok.append(rec)
    earlier = {rec["data"]["manifest_id"] for rec in ok if rec["data"]["manifest_id"]}
    if earlier:
        if len(earlier) != 1 or any(not rec["data"]["manifest_id"] for rec in ok):
            raise ConflictingRepeat("some POs of this request are already on a manifest and others are not: send "
                                    "the manifested POs alone to get their manifest again", field="dispatchItems")
        row = ctx.conn.execute(select(manifests).where(manifests.c.manifest_id == earlier.pop())).mappings().first()
        return _manifest_answer(ctx, row["manifest_id"], row["data"]["document_id"], failed)
    if not ok:
        return _manifest_answer(ctx, None, None, failed)
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
            schedule(ctx, courier.PICKUP, rec["order_id"], ctx.now + ctx.config.pickup_after)
    pob = jit_pob(ctx, pob_id)
    document_id = documents.create(ctx, pob_id, "jit_manifest", manifest_id,
                                   jit_docs.manifest_payload(ctx, pob, manifest_id, shipments))
    ctx.conn.execute(insert(manifests).values(manifest_id=manifest_id, pob_id=pob_id, created_at=ctx.now,
                                              data={"document_id": document_id, "shipments": shipments}))
    return _manifest_answer(ctx, manifest_id, document_id, failed)



"""RSI documents (seed 002 RSI model): AJIO issues them, the seller pulls them by date (<= 2 days) and
marks each ACCEPTED, even when some returned items have not been received yet."""
from __future__ import annotations

import base64
import json

from sqlalchemy import insert, select, update

from simulator.domain import documents
from simulator.domain.context import load, record_transition, save, timeline
from simulator.domain.sellers import get_pob, seller_profile
from simulator.domain.vms.common import settings, zoned
from simulator.domain.vms.machines import RSI
from simulator.errors import ConcurrentUpdate, Conflict, NotFound, ValidationFailed
from simulator.lifecycle import schedule, timer_handler
from simulator.store import rsi_documents

# AJIO issues an RSI over a return about a day after the expectation, received or not (seed 002);
# Config.extra["vms_rsi_after"] changes it, 0 leaves RSI issue to the control plane alone.
RSI_AFTER = 86400


def return_expected(ctx, order: dict, return_order_id: str) -> None:
    """A return expectation of an RSI-model POB: AJIO's RSI over it comes due."""
    delay = int(ctx.config.extra.get("vms_rsi_after", RSI_AFTER))
    if delay and settings(get_pob(ctx.conn, order["pob_id"]))["return_model"] == "rsi":
        schedule(ctx, "vms_rsi_issue", return_order_id, ctx.now + delay)


@timer_handler("vms_rsi_issue")
def _rsi_timer(ctx, return_order_id: str) -> None:
    ret = load(ctx, "return", return_order_id)
    if ret["status"] == "RETURN_CANCELLED" or ret["data"].get("rsi_number"):
        return  # withdrawn, or already on an RSI the control plane issued
    issue_rsi(ctx, ret["pob_id"], [return_order_id])


def issue_rsi(ctx, pob_id: str, return_order_ids: list[str]) -> dict:
    """Control plane: AJIO issues one RSI over these returns (received or not: seed 002)."""
    pob = get_pob(ctx.conn, pob_id)
    if pob["model"] != "vms" or settings(pob)["return_model"] != "rsi":
        raise ValidationFailed(f"POB {pob_id} is not a VMS POB of the RSI return model", field="pob_id",
                               rule="VMS-RSI-MODEL")
    seller = seller_profile(ctx.conn, pob)
    lines, rets = [], []
    for i, rid in enumerate(return_order_ids):
        if rid in return_order_ids[:i]:
            raise ValidationFailed(f"return {rid} named twice", field=f"return_order_ids[{i}]")
        try:
            ret = load(ctx, "return", rid, pob_id)
        except NotFound:
            raise NotFound(f"return {rid} is no return of POB {pob_id}", field=f"return_order_ids[{i}]") from None
        if ret["status"] == "RETURN_CANCELLED":
            raise Conflict(f"return {rid} was cancelled: AJIO issues no RSI for it", field=f"return_order_ids[{i}]")
        if ret["data"].get("rsi_number"):
            raise Conflict(f"return {rid} is already on RSI {ret['data']['rsi_number']}",
                           field=f"return_order_ids[{i}]")
        order = load(ctx, "order", ret["order_id"])
        intra = documents.place_of_supply(order, seller["state_code"])[1]
        by_item = {l["order_item_id"]: l for l in order["data"]["lines"]}
        for item in ret["data"]["items"]:
            qty = item["return_quantity"] - item["cancelled_return_quantity"]
            line = by_item[item["order_item_id"]]
            tax = documents.line_tax(line, qty, b2b=True, intra_state=intra)
            rate = tax["rate"]
            lines.append({"returnOrderCode": rid, "clientSkuCode": line["item_details"]["ean"], "hsn": line["hsn"],
                          "quantity": qty, "rsiLineAmount": tax["total"], "totalLineTax": tax["tax"],
                          "taxSummary": {"cessAmount": 0, "cessPercentage": 0, "cgstAmount": tax["cgst"],
                                         "cgstPercentage": rate / 2 if intra else 0, "igstAmount": tax["igst"],
                                         "igstPercentage": 0 if intra else rate, "sgstAmount": tax["sgst"],
                                         "sgstPercentage": rate / 2 if intra else 0, "tcsAmount": 0,
                                         "tcsPercentage": 0, "gstAmount": tax["tax"]},
                          "name": line["item_details"]["name"]})
        rets.append(ret)
    seq = ctx.seq("rsi")
    number = "31" + ctx.ids._digits("rsi", seq, 8)
    billing = "33" + ctx.ids._digits("rsi_billing", seq, 12)
    irn = ctx.ids.irn(number, seller["gstin"])
    qr = base64.urlsafe_b64encode(json.dumps({"DocNo": number, "Irn": irn, "DocDt": ctx.now},
                                             separators=(",", ":")).encode()).decode().rstrip("=")
    pdf_rows, totals = _pdf_lines(lines)
    payload = {"credit_note_number": number, "credit_note_series": "RSI", "date": ctx.now,
               "return_order_id": ", ".join(return_order_ids), "order_id": ", ".join(r["order_id"] for r in rets),
               "return_type": "RSI", "original_invoice_number": billing, "seller": seller,
               "buyer": documents.ajio_buyer(seller["state_code"]), "lines": pdf_rows, "totals": totals,
               "einvoice": {"irn": irn, "qr_payload": qr, "ack_number": billing, "ack_date": ctx.now}}
    document_id = documents.create(ctx, pob_id, "rsi", number, payload)
    # Seed 002 RSI key points: "customer code and plant/store code will also be provided".
    data = {"rsiNumber": number, "locationCode": pob["store_code"], "channelName": settings(pob)["channel_name"],
            "billingNo": billing,
            "irnNumber": irn, "qrCode": qr, "document_id": document_id, "return_order_ids": list(return_order_ids),
            "rsiLines": lines, "accepted_at": None}
    ctx.conn.execute(insert(rsi_documents).values(rsi_number=number, pob_id=pob_id, status="ISSUED", created_at=ctx.now,
                                                  updated_at=ctx.now, version=1, data=data))
    record_transition(ctx, "rsi", number, None, "ISSUED",
                      f"AJIO issued RSI {number} over {', '.join(return_order_ids)}")
    for ret in rets:
        ret["data"]["rsi_number"] = number
        save(ctx, "return", ret)
    ctx.touched.append(number)
    return {"rsiNumber": number, "pob_id": pob_id, "status": "ISSUED", "created_at": ctx.now}


def _pdf_lines(lines: list[dict]) -> tuple[list[dict], dict]:
    rows, totals = [], {"taxable_value": 0.0, "cgst": 0.0, "sgst": 0.0, "igst": 0.0, "tax": 0.0, "total": 0.0}
    for l in lines:
        t = l["taxSummary"]
        taxable = round(l["rsiLineAmount"] - l["totalLineTax"], 2)
        rows.append({"sku": l["clientSkuCode"], "name": f"{l['name']} (return {l['returnOrderCode']})", "hsn": l["hsn"],
                     "quantity": l["quantity"], "unit_price": round(l["rsiLineAmount"] / l["quantity"], 2),
                     "taxable_value": taxable, "gst_rate": t["cgstPercentage"] * 2 or t["igstPercentage"],
                     "cgst": t["cgstAmount"], "sgst": t["sgstAmount"], "igst": t["igstAmount"],
                     "total": l["rsiLineAmount"]})
        for key, value in (("taxable_value", taxable), ("cgst", t["cgstAmount"]), ("sgst", t["sgstAmount"]),
                           ("igst", t["igstAmount"]), ("tax", l["totalLineTax"]), ("total", l["rsiLineAmount"])):
            totals[key] = round(totals[key] + value, 2)
    return rows, totals


def rsi_view(ctx, row: dict) -> dict:
    d = row["data"]
    return {"rsiNumber": row["rsi_number"], "locationCode": d["locationCode"], "channelName": d["channelName"],
            "createdAt": zoned(row["created_at"]), "rsiPdfUrl": ctx.doc_url(d["document_id"]),
            "billingNo": d["billingNo"], "irnNumber": d["irnNumber"], "qrCode": d["qrCode"],
            "rsiLines": [{k: v for k, v in l.items() if k != "name"} for l in d["rsiLines"]]}


def list_rsi(ctx, pob_id: str, date_from: int, date_to: int) -> dict:
    """Every RSI of the range (at most 2 days: VMS-RSI-RANGE-2-DAYS), in issue order. No paging and no cap: the seed
    gives the list no pages, and an answer cut at some count would lose RSIs without a sign (an ERP moves its
    cursor past the range). Whether AJIO caps a big range is not known (not grounded)."""
    rows = ctx.conn.execute(select(rsi_documents).where(
        rsi_documents.c.pob_id == pob_id, rsi_documents.c.created_at >= date_from,
        rsi_documents.c.created_at <= date_to)
        .order_by(rsi_documents.c.created_at, rsi_documents.c.rsi_number)).mappings().all()
    for r in rows:
        ctx.touched.append(r["rsi_number"])
    return {"returnSalesInvoices": [rsi_view(ctx, dict(r)) for r in rows]}


def _load(ctx, rsi_number: str, pob_id: str | None) -> dict:
    row = ctx.conn.execute(select(rsi_documents).where(rsi_documents.c.rsi_number == rsi_number)).mappings().first()
    if row is None or (pob_id is not None and row["pob_id"] != pob_id):
        raise NotFound(f"RSI {rsi_number} not found", field="rsi_number")
    ctx.touched.append(rsi_number)
    return dict(row)


def accept_rsi(ctx, pob_id: str, rsi_number: str) -> dict:
    """Mark an RSI ACCEPTED; allowed whatever the state of its returns (seed 002: AJIO's throttling)."""
    row = _load(ctx, rsi_number, pob_id)
    data = dict(row["data"])
    if row["status"] != "ACCEPTED":
        new = RSI.next(row["status"], "accept")
        data["accepted_at"] = ctx.now
        done = ctx.conn.execute(update(rsi_documents).where(rsi_documents.c.rsi_number == rsi_number,
                                                            rsi_documents.c.version == row["version"])
                                .values(status=new, updated_at=ctx.now, version=row["version"] + 1, data=data)).rowcount
        if done != 1:
            raise ConcurrentUpdate(f"RSI {rsi_number} was changed by another request; retry")
        record_transition(ctx, "rsi", rsi_number, row["status"], new, "seller marked the RSI ACCEPTED")
        row["status"] = new
    return {"rsiNumber": rsi_number, "status": row["status"], "accepted_at": data["accepted_at"]}


def rsi_state(ctx, rsi_number: str) -> dict:
    row = _load(ctx, rsi_number, None)
    return {**rsi_view(ctx, row), "pob_id": row["pob_id"], "status": row["status"],
            "return_order_ids": row["data"]["return_order_ids"], "accepted_at": row["data"]["accepted_at"],
            "timeline": timeline(ctx.conn, rsi_number)}


"""VMS returns (seed 002): expectations against the forward order, the RTO generation request, QC
(PASS/FAIL with reasons), and the credit note the seller's ERP or RMS posts (credit-note model)."""
from __future__ import annotations

from simulator.domain import documents, numbers
from simulator.domain import returns as b2c_returns
from simulator.domain.catalog import adjust_stock
from simulator.domain.context import load, move, save, timeline
from simulator.domain.machine import order_machine
from simulator.domain.orders import open_qty
from simulator.domain.returns import RETURN
from simulator.domain.sellers import get_pob
from simulator.domain.vms import dates, erp, rsi
from simulator.domain.vms.common import CHANNEL, fingerprint, plain, settings, vms_order
from simulator.errors import Conflict, ConflictingRepeat, IllegalTransition, NotFound, ValidationFailed
from simulator.lifecycle import schedule, timer_handler

# After an RTO generation request AJIO's RTO expectation arrives "in some time" (seed 002).
RTO_EXPECTATION_LAG = 2 * 3600
_RTO_RULE = "VMS-RTO-REQUEST"
_CN_RULE = "VMS-CREDIT-NOTE-MODEL"
# Returns the world raises by itself (the courier's RTO after failed attempts, a customer's own return)
# get AJIO's RSI follow-up like those QA injects.
b2c_returns.FOLLOW_UP["vms"] = rsi.return_expected


def _vms_return(ctx, pob_id: str, return_order_id: str) -> dict:
    ret = load(ctx, "return", return_order_id, pob_id)
    vms_order(ctx, ret["order_id"])  # a VMS POB's returns are all against VMS orders; checked anyway
    return ret


def return_view(rec: dict, eans: dict | None = None) -> dict:
    d = rec["data"]
    return {"return_order_id": rec["return_order_id"], "order_id": rec["order_id"], "return_type": rec["return_type"],
            "return_status": rec["status"], "return_date": rec["return_date"], "return_reason": d["reason"],
            "tracking_number": d["tracking_number"],
            "items": [{"itemCode": i["return_item_id"], "order_item_id": i["order_item_id"],
                       "channelSkuCode": i["item_details"]["ean"],
                       "quantity": i["return_quantity"] - i["cancelled_return_quantity"],
                       "qc": {k: v for k, v in i["qc"].items() if k != "units"} if i["qc"] else None}
                      for i in d["items"]],
            "creditNoteNumber": (d["credit_note"] or {}).get("credit_note_number")}


def list_returns(ctx, pob_id: str, *, return_type, from_date, to_date, page: int, size: int) -> dict:
    return b2c_returns.list_returns(ctx, pob_id, return_type=return_type, from_date=from_date, to_date=to_date,
                                   page=page, size=size, view=return_view)


def initiate_rto(ctx, order_id: str, reason: str | None = None) -> dict:
    """Delivery failed (`reason`: the last failed attempt's): AJIO's RTO expectation against the forward
    order (seed 002 returns)."""
    return b2c_returns.initiate_rto(ctx, order_id, rsi.return_expected, reason=reason)


def customer_return(ctx, order_id: str, lines: list[dict] | None, reason: str | None) -> dict:
    """The customer returns delivered items: AJIO's return expectation (seed 002 returns)."""
    return b2c_returns.customer_return(ctx, order_id, lines, reason, rsi.return_expected)


# -- RTO generation request ----------------------------------------------------------------------
def request_rto(ctx, pob_id: str, order_id: str) -> dict:
    rec = vms_order(ctx, order_id, pob_id)
    v = rec["data"]["vms"]
    if v["rto_request"] is not None:
        return {"status": "SUCCESS", "order_id": order_id, "expectation_due_at": v["rto_request"]["due_at"]}
    if rec["status"] == "RTO":
        raise Conflict(f"order {order_id} already has its RTO expectation "
                       f"({', '.join(rec['data']['return_order_ids'])}): process that return", field="order_id",
                       rule=_RTO_RULE)
    order_machine(rec).next(rec["status"], "rto")
    lag = int(ctx.config.extra.get("vms_rto_expectation_lag", RTO_EXPECTATION_LAG))
    v["rto_request"] = {"requested_at": ctx.now, "due_at": ctx.now + lag}
    schedule(ctx, "vms_rto_expectation", order_id, ctx.now + lag)
    save(ctx, "order", rec)
    return {"status": "SUCCESS", "order_id": order_id, "expectation_due_at": ctx.now + lag}


@timer_handler("vms_rto_expectation")
def _rto_expectation(ctx, order_id: str) -> None:
    rec = vms_order(ctx, order_id)
    if rec["status"] == "RTO":  # AJIO's own expectation came first
        return
    items = [{"order_item_id": l["order_item_id"], "quantity": open_qty(l)} for l in rec["data"]["lines"]
             if open_qty(l) > 0]
    move(ctx, order_machine(rec), rec, "rto", "AJIO created the RTO expectation after the seller's RTO request")
    # The parcel is already at the seller's warehouse: the expectation arrives as delivered.
    b2c_returns.new_return(ctx, rec, "RTO", "RETURN_DELIVERED", items,
                           "RTO expectation after an RTO generation request", rec["data"]["tracking_number"],
                           "DELIVERY_FAILED", rsi.return_expected)
    save(ctx, "order", rec)


# -- QC --------------------------------------------------------------------------------------------
def _qc_answer(ret: dict) -> dict:
    view = return_view(ret)
    return {"return_order_id": ret["return_order_id"], "return_status": ret["status"], "items": view["items"]}


def quality_check(ctx, pob_id: str, return_order_id: str, items: list[dict]) -> dict:
    """QC updates shared with AJIO (seed 002): every unit PASS or FAIL (with a reason, images on FAIL)."""
    ret = _vms_return(ctx, pob_id, return_order_id)
    fp = fingerprint(items)
    done = ret["data"].get("vms_qc")
    if done is not None:
        if done["fingerprint"] == fp:
            return _qc_answer(ret)
        raise ConflictingRepeat(f"return {return_order_id} already has its QC; a repeat must carry the same items",
                                field="items")
    RETURN.next(ret["status"], "qc")
    by_code = {i["return_item_id"]: i for i in ret["data"]["items"]}
    by_sku = {i["item_details"]["ean"]: i for i in ret["data"]["items"]}
    units = {rid: [] for rid in by_code}
    for n, item in enumerate(items):
        if "itemCode" in item:
            row = by_code.get(item["itemCode"])
            if row is None:
                raise ValidationFailed(f"itemCode {item['itemCode']} is no item of return {return_order_id}",
                                       field=f"items[{n}].itemCode", rule="VMS-QC-PASS-FAIL")
        else:
            row = by_sku.get(item["channelSkuCode"])
            if row is None:
                raise ValidationFailed(f"channelSkuCode {item['channelSkuCode']} is no item of return "
                                       f"{return_order_id}", field=f"items[{n}].channelSkuCode", rule="VMS-QC-PASS-FAIL")
        unit = {"qcStatus": item["qcStatus"], "qcReason": item.get("qcReason"), "imageUrls": item.get("imageUrls", [])}
        units[row["return_item_id"]].extend([unit] * item["quantity"])
    for rid, row in by_code.items():
        expected = row["return_quantity"] - row["cancelled_return_quantity"]
        if len(units[rid]) != expected:
            raise ValidationFailed(f"QC of return item {rid} covers {len(units[rid])} unit(s) but {expected} came "
                                   f"back: give every unit PASS or FAIL", field="items", rule="VMS-QC-PASS-FAIL")
    for rid, row in by_code.items():
        passed = sum(u["qcStatus"] == "PASS" for u in units[rid])
        fails = [u for u in units[rid] if u["qcStatus"] == "FAIL"]
        row["qc"] = {"passed": passed, "failed": len(fails),
                     "qcReasons": sorted({u["qcReason"] for u in fails}),
                     "imageUrls": [url for u in fails for url in u["imageUrls"]], "units": units[rid]}
        adjust_stock(ctx, ret["pob_id"], row["sku"], passed)  # QC good is sellable again
    move(ctx, RETURN, ret, "qc", "QC shared with AJIO: " + ", ".join(
        f"{rid} pass {r['qc']['passed']} fail {r['qc']['failed']}" for rid, r in by_code.items()))
    ret["data"]["vms_qc"] = {"fingerprint": fp, "at": ctx.now}
    ret["data"]["putaway_at"] = ctx.now
    save(ctx, "return", ret)
    pob = get_pob(ctx.conn, pob_id)
    order = vms_order(ctx, ret["order_id"])
    erp.enqueue(ctx, pob, "RETURN_ORDER", return_order_id, erp.return_order_payload(ctx, pob, ret, order))
    return _qc_answer(ret)


# -- credit note ---------------------------------------------------------------------------------
def _cn_answer(ctx, ret: dict) -> dict:
    cn = ret["data"]["credit_note"]
    return {"status": "SUCCESS", "returnOrderId": ret["return_order_id"], "creditNoteNumber": cn["credit_note_number"],
            "credit_note_pdf_url": ctx.doc_url(cn["document_id"])}


def post_credit_note(ctx, pob: dict, return_order_id: str, payload: dict, source: str) -> dict:
    """Seed 002 credit-note posting: once per processed return, in the credit-note return model."""
    if payload["returnOrderId"] != return_order_id:
        raise ValidationFailed(f"returnOrderId {payload['returnOrderId']} is not return {return_order_id} of the path",
                               field="returnOrderId")
    ret = _vms_return(ctx, pob["pob_id"], return_order_id)
    if settings(pob)["return_model"] != "credit_note":
        raise Conflict(f"POB {pob['pob_id']} follows the RSI return model: AJIO issues RSI documents and no credit "
                       f"note is posted", field="returnOrderId",
                       rule="VMS-CREDIT-NOTE-MODEL")
    fp = fingerprint(payload)
    cn = ret["data"]["credit_note"]
    if cn is not None:
        if cn["fingerprint"] == fp:
            return _cn_answer(ctx, ret)
        raise ConflictingRepeat(f"return {return_order_id} already has credit note {cn['credit_note_number']}; a "
                                f"repeat must carry the same payload", field="creditNoteNumber")
    if ret["status"] != "RETURN_PROCESSED":
        raise IllegalTransition(f"return {return_order_id} is {ret['status']}: the credit note follows the return's "
                                f"processing (QC)", field="returnOrderId", rule=_CN_RULE)
    order = load(ctx, "order", ret["order_id"])
    number = payload["creditNoteNumber"]
    numbers.check_format(number, "creditNoteNumber")
    ack = payload.get("ackDate")
    dated = int(ack.timestamp()) if ack else ctx.now
    numbers.claim(ctx, "credit_note", numbers.seller_scope(pob["seller_id"], dated), number,
                  {"key": f"return:{return_order_id}", "return_order_id": return_order_id, "pob_id": pob["pob_id"],
                   "text": f"the credit note of return {return_order_id} (POB {pob['pob_id']})"},
                  field="creditNoteNumber")
    doc = {**documents.credit_note_payload(ctx, pob, ret, order, number, ""), **CHANNEL}
    processed = [t["at"] for t in timeline(ctx.conn, return_order_id) if t["to"] == "RETURN_PROCESSED"]
    dates.check(ctx, "ackDate", int(ack.timestamp()) if ack else None, processed[-1] if processed else None,
                f"the credit note of return {return_order_id}")
    doc["einvoice"] = {"irn": payload["irnNumber"], "qr_payload": payload["signedQrCode"],
                       "ack_number": payload.get("ackNumber"), "ack_date": int(ack.timestamp()) if ack else None}
    document_id = documents.create(ctx, pob["pob_id"], "credit_note", return_order_id, doc)  # claims the IRN
    stored = {k: v for k, v in plain(payload).items() if k not in ("signedCreditNote", "signedCreditNotePdf")}
    ret["data"]["credit_note"] = {**stored, "credit_note_number": number, "credit_note_series": None,
                                  "credit_note_date": ctx.now, "document_id": document_id,
                                  "amount": doc["totals"]["total"], "fingerprint": fp, "source": source}
    move(ctx, RETURN, ret, "credit_note_issued", f"credit note {number} posted via {source}")
    save(ctx, "return", ret)
    return _cn_answer(ctx, ret)


def credit_note_by_path(ctx, pob_id: str, return_order_id: str, payload: dict) -> dict:
    return post_credit_note(ctx, get_pob(ctx.conn, pob_id), return_order_id, payload, "/vms")


def credit_note_by_posting(ctx, pob_id: str, payload: dict) -> dict:
    # The ERP layer names the return in the body: an unknown (or another POB's) return names that field, and
    # the rule: a credit note answers a return order posting (an order's code is no return).
    try:
        _vms_return(ctx, pob_id, payload["returnOrderId"])
    except NotFound as e:
        raise NotFound(e.message, field="returnOrderId", rule="ERP-CREDIT-NOTE-POSTING") from None
    return post_credit_note(ctx, get_pob(ctx.conn, pob_id), payload["returnOrderId"], payload, "/ajio-vms")

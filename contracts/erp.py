"""The ERP integration layer (seed 002 `/ajio-vms/...`) and the postings sent to a seller's ERP (seed 004).

Field names and spellings are seed 002's, exactly; these schemas are the only definition of each shape.
"""
from __future__ import annotations

import binascii
import re
from datetime import timedelta

from marshmallow import Schema, ValidationError, fields, post_load, pre_load, validate, validates_schema

from contracts.common import (
    BASE64_PATTERN,
    COMPARISON,
    UNIQUE_PROPERTY,
    Bool,
    Float,
    Int,
    StrictSchema,
    Unstated,
    Url,
    any_of_required,
)

RSI_MAX_RANGE = timedelta(days=2)
_ZONE_SPACE = re.compile(r" (\d{2}:?\d{2})$")
EVENT_TYPES = ("OUTWARD_ORDER_CREATE", "OUTWARD_ORDER_CANCEL", "OUTWARD_ORDER_COMPLETE")
QC_STATUSES = ("PASS", "FAIL")
# Increff's QC reasons (API.md): a FAIL names one of these.
QC_REASONS = ("PRODUCT_MISMATCH", "OTHER_BRAND", "COLOUR_MISMATCH", "MRP_MISMATCH", "SIZE_MISMATCH", "PART_MISSING",
              "PAIR_MISMATCH", "TAG_MISSING", "PRODUCT_MISSING", "WAREHOUSE_DAMAGE", "PACKAGING_DAMAGE", "USED_PRODUCT")
_ZONED = "ZonedDateTime: ISO-8601 date and time with zone information, e.g. 2020-10-16T20:22:28.000+05:30 (seed 002)"


def Zoned(**kwargs) -> fields.AwareDateTime:
    return fields.AwareDateTime(format="iso", metadata={"description": _ZONED, **kwargs.pop("metadata", {})},
                                **kwargs)


def _text(description: str, *, required: bool = False, max_len: int = 256, **kwargs) -> fields.String:
    return fields.String(required=required, validate=validate.Length(min=1, max=max_len),
                         metadata={"description": description}, **kwargs)


class Base64Pdf(fields.String):
    """A base 64 encoded byte stream (seed 002); anything else is refused with the field named."""

    OPENAPI = {"format": "byte", "minLength": 4, "pattern": BASE64_PATTERN}

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            raw = binascii.a2b_base64(text.encode("ascii"), strict_mode=True)
        except (binascii.Error, ValueError, UnicodeEncodeError):
            raise ValidationError("must be a base 64 encoded byte stream (seed 002)") from None
        if not raw:
            raise ValidationError("must not be empty: a base 64 encoded PDF (seed 002)")
        return text


# CGST rule 46(b) (invoices) and 53(1A)(b) (credit notes): "not exceeding sixteen characters" of letters,
# digits, "-" and "/". The message cites the rulebook id, so the 400 names the rule (simulator/api/common.py).
DOCUMENT_NUMBER = r"^[A-Za-z0-9/-]{1,16}$"
_NUMBER_ERROR = ("must be 1-16 characters of letters, digits, '/' or '-' (rule GST-DOCUMENT-NUMBER-FORMAT: "
                 "CGST rule 46)")


def _at_least_one(data: dict, pdf_keys: tuple[str, ...], url_keys: tuple[str, ...], what: str, rule: str) -> None:
    """Seed 002's table: "any one of these is mandatory", i.e. at least one; its sample payloads send both."""
    if not any(k in data for k in pdf_keys + url_keys):  # published as _document_rule's anyOf
        raise ValidationError(f"one of {' / '.join(pdf_keys + url_keys)} is mandatory: the {what} PDF as base 64 "
                              f"or its public URL, or both (rule {rule}; seed 002: 'any one of these "
                              f"is mandatory')", field_name=pdf_keys[0])


def _document_rule(pdf_keys: tuple[str, ...], url_keys: tuple[str, ...], what: str) -> dict:
    """_at_least_one as the document states it (the schema's OPENAPI_ALL_OF)."""
    return any_of_required(*pdf_keys, *url_keys, description=f"the {what} PDF as base 64 ({' or '.join(pdf_keys)}), "
                           f"its public URL ({' or '.join(url_keys)}), or both: at least one (seed 002)")


_INVOICE_DOCUMENT = (("invoicePdf",), ("invoiceURL",))
_CREDIT_NOTE_DOCUMENT = (("signedCreditNote", "signedCreditNotePdf"), ("creditNoteUrl", "creditNotePdfUrl"))


# -- POST /ajio-vms/b2bInvoice/posting (and POST /vms/orders/{id}/b2bInvoice) -----------------------
class InvoiceLineEntry(StrictSchema):
    channelSkuCode = _text("the SKU code sent during AJIO order posting (seed 002)", required=True, max_len=64)
    quantity = Int(required=True, validate=validate.Range(min=1, max=10_000),
                   metadata={"description": "SKU quantity that is invoiced (seed 002)"})


class B2bInvoicePosting(StrictSchema):
    """Seed 002 'B2B Invoice Details Posting': the ERP's e-invoice for a B2B PO."""

    # A field missing or malformed breaks the invoice's fields rule (a number's format cites its own rule).
    RULES = {f: "VMS-EINVOICE-FIELDS" for f in ("invoiceNumber", "invoiceDate", "forwardPurchaseOrder", "qrCode",
                                                "irnNumber", "isPartialInvoice", "invoicePdf", "invoiceURL")}
    OPENAPI_ALL_OF = (_document_rule(*_INVOICE_DOCUMENT, "invoice"),)
    UNSTATED = (Unstated("invoiceLineEntries[].channelSkuCode", "repeated", UNIQUE_PROPERTY,
                         "each SKU once, with its whole invoiced quantity"),)

    invoiceNumber = fields.String(required=True, validate=validate.Regexp(DOCUMENT_NUMBER, error=_NUMBER_ERROR),
                                  metadata={"description": "invoice number on the invoice document (seed 002, "
                                                           "mandatory); used once per seller and financial year "
                                                           "(CGST rule 46)"})
    invoiceDate = Zoned(required=True, metadata={"description": "invoice date and time with zone (seed 002)"})
    forwardPurchaseOrder = _text("purchase order number (seed 002, mandatory)", required=True, max_len=32)
    isPartialInvoice = Bool(required=True, metadata={
        "description": "true when the ERP invoiced part of the order; the rest is cancelled (seed 002)"})
    invoiceLineEntries = fields.List(fields.Nested(InvoiceLineEntry), validate=validate.Length(min=1, max=500),
                                     metadata={"description": "invoiced SKUs and quantities; needed for a partial "
                                                              "invoice (seed 002)"})
    qrCode = _text("signed QR code of the e-invoice (seed 002, mandatory)", required=True, max_len=4096)
    irnNumber = _text("IRN of the e-invoice (seed 002, mandatory); the e-invoice portal issues an IRN once",
                      required=True, max_len=128)
    invoicePdf = Base64Pdf(metadata={"description": "invoice PDF as base 64; this, invoiceURL or both (seed 002)"})
    invoiceURL = Url(metadata={"description": "public URL of the invoice PDF; this, invoicePdf or both "
                                                     "(seed 002)"})

    @validates_schema
    def _one_document(self, data, **kwargs):
        _at_least_one(data, *_INVOICE_DOCUMENT, "invoice", "VMS-EINVOICE-FIELDS")

    @validates_schema
    def _distinct_skus(self, data, **kwargs):
        seen = set()
        for i, entry in enumerate(data.get("invoiceLineEntries") or []):
            if entry["channelSkuCode"] in seen:
                raise ValidationError({"invoiceLineEntries": {i: {"channelSkuCode": [
                    "repeated: give each SKU once with its whole invoiced quantity"]}}})
            seen.add(entry["channelSkuCode"])


class CreditNotePosting(StrictSchema):
    """Seed 002 'Credit Note Details Posting'. The seed's table says signedCreditNote / creditNoteUrl,
    its example signedCreditNotePdf / creditNotePdfUrl: both spellings are accepted (API.md)."""

    RULES = {f: "VMS-CREDIT-NOTE-FIELDS" for f in ("creditNoteNumber", "returnOrderId", "irnNumber", "signedQrCode",
                                                   "signedCreditNote", "signedCreditNotePdf", "creditNoteUrl",
                                                   "creditNotePdfUrl")}
    OPENAPI_ALL_OF = (_document_rule(*_CREDIT_NOTE_DOCUMENT, "credit note"),)

    creditNoteNumber = fields.String(required=True, validate=validate.Regexp(DOCUMENT_NUMBER, error=_NUMBER_ERROR),
                                     metadata={"description": "credit note number (seed 002, mandatory); used once "
                                                              "per seller and financial year (CGST rule 53)"})
    returnOrderId = _text("return order id (seed 002, mandatory)", required=True, max_len=32)
    ackNumber = _text("e-invoice acknowledgement number (seed 002, optional)", max_len=64)
    ackDate = Zoned(metadata={"description": "acknowledgement date and time with zone (seed 002, optional)"})
    irnNumber = _text("IRN (seed 002, mandatory)", required=True, max_len=128)
    signedQrCode = _text("signed QR code (seed 002, mandatory)", required=True, max_len=4096)
    signedCreditNote = Base64Pdf(metadata={"description": "credit note PDF as base 64 (seed 002 table spelling)"})
    signedCreditNotePdf = Base64Pdf(metadata={"description": "credit note PDF as base 64 (seed 002 example spelling)"})
    creditNoteUrl = Url(metadata={"description": "credit note PDF public URL (seed 002 table spelling)"})
    creditNotePdfUrl = Url(metadata={"description": "credit note PDF public URL (seed 002 example spelling)"})

    @validates_schema
    def _one_document(self, data, **kwargs):
        _at_least_one(data, *_CREDIT_NOTE_DOCUMENT, "credit note", "VMS-CREDIT-NOTE-FIELDS")


class RsiQuery(StrictSchema):
    """GET /ajio-vms/rsi and /vms/rsi: rsiDateFrom and rsiDateTo at most 2 days apart (seed 002)."""

    UNSTATED = (Unstated("rsiDateTo", "must not be before rsiDateFrom", COMPARISON),
                Unstated("rsiDateTo", "rsiDateFrom and rsiDateTo must not be more than 2 days apart", COMPARISON))

    rsiDateFrom = Zoned(required=True, metadata={"description": "date to fetch RSI from (seed 002)"})
    rsiDateTo = Zoned(required=True, metadata={"description": "date to fetch RSI to (seed 002)"})

    @pre_load
    def _plus_sign(self, data, **kwargs):
        # An unencoded "+05:30" in a query string arrives as " 05:30": read it as the zone it was.
        dates = ("rsiDateFrom", "rsiDateTo")
        return {k: (_ZONE_SPACE.sub(r"+\1", v) if k in dates and isinstance(v, str) else v) for k, v in data.items()}

    @validates_schema
    def _range(self, data, **kwargs):
        start, end = data.get("rsiDateFrom"), data.get("rsiDateTo")
        if start is None or end is None:
            return
        if end < start:
            raise ValidationError("must not be before rsiDateFrom", field_name="rsiDateTo")
        if end - start > RSI_MAX_RANGE:
            raise ValidationError("rsiDateFrom and rsiDateTo must not be more than 2 days apart (rule "
                                  "VMS-RSI-RANGE-2-DAYS, seed 002)", field_name="rsiDateTo")

    @post_load
    def _epochs(self, data, **kwargs):
        return {k: int(v.timestamp()) for k, v in data.items()}


def _req(field: fields.Field) -> fields.Field:
    """An answer field that is always sent (the RSI and posting answers below)."""
    field.required = True
    return field


def _url(text: str) -> fields.String:
    return fields.String(required=True, metadata={"format": "uri", "description": text + ": GET /documents/{document_id} "
                                                  "with the POB's apiKey"})


class RsiTaxSummary(Schema):
    cessAmount = _req(Float())
    cessPercentage = _req(Float())
    cgstAmount = _req(Float())
    cgstPercentage = _req(Float())
    igstAmount = _req(Float())
    igstPercentage = _req(Float())
    sgstAmount = _req(Float())
    sgstPercentage = _req(Float())
    tcsAmount = _req(Float())
    tcsPercentage = _req(Float())
    gstAmount = _req(Float())


class RsiLine(Schema):
    returnOrderCode = _req(fields.String(metadata={"description": "return order id (seed 002)"}))
    clientSkuCode = _req(fields.String(metadata={"description": "the item's EAN (seed 002 key points)"}))
    hsn = _req(fields.String())
    quantity = _req(Int())
    rsiLineAmount = _req(Float())
    totalLineTax = _req(Float())
    taxSummary = _req(fields.Nested(RsiTaxSummary))


class ReturnSalesInvoice(Schema):
    rsiNumber = _req(fields.String())
    locationCode = _req(fields.String(metadata={"description": "the POB's store code (seed 002 RSI payload)"}))
    channelName = _req(fields.String(metadata={"description": "the channel (customer) code AJIO is booked under in "
                                                              "the seller's ERP (seed 002 RSI key points: "
                                                              "'customer code')"}))
    createdAt = _req(fields.String(metadata={"description": _ZONED}))
    rsiPdfUrl = _url("the RSI PDF")
    billingNo = _req(fields.String())
    irnNumber = _req(fields.String())
    qrCode = _req(fields.String())
    rsiLines = _req(fields.List(fields.Nested(RsiLine)))


class RsiResponse(Schema):
    """Seed 002's RSI answer: {"returnSalesInvoices": [...]}."""

    returnSalesInvoices = fields.List(fields.Nested(ReturnSalesInvoice), required=True)


class ErpB2bInvoiceAccepted(Schema):
    """200 on success (seed 002); the simulator also says what it applied to the order."""

    status = fields.String(required=True, validate=validate.OneOf(("SUCCESS",)), metadata={"example": "SUCCESS"})
    message = _req(fields.String(metadata={"example": "B2B invoice accepted"}))
    order_id = _req(fields.String(metadata={"description": "AJIO's forward order the PO belongs to"}))
    forwardPurchaseOrder = _req(fields.String())
    invoiceNumber = _req(fields.String())
    order_status = _req(fields.String(metadata={"description": "the order's public status after the invoice"}))
    invoice_pdf_url = _url("the e-invoice PDF")
    invoiced = _req(fields.List(fields.Nested(InvoiceLineEntry)))
    cancelled = _req(fields.List(fields.Nested(InvoiceLineEntry), metadata={
        "description": "quantities not invoiced, cancelled (seed 002)"}))


class ErpCreditNoteAccepted(Schema):
    """200 on success (seed 002); the simulator also names the credit note it filed."""

    status = fields.String(required=True, validate=validate.OneOf(("SUCCESS",)), metadata={"example": "SUCCESS"})
    message = _req(fields.String(metadata={"example": "credit note accepted"}))
    returnOrderId = _req(fields.String())
    creditNoteNumber = _req(fields.String())
    credit_note_pdf_url = _url("the credit note PDF")


# -- postings the simulator sends to a seller's ERP (seed 004) -----------------------------------
class ErpAddress(Schema):
    name = fields.String(allow_none=True)
    line1 = fields.String(allow_none=True)
    line2 = fields.String(allow_none=True)
    line3 = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    city = fields.String(allow_none=True)
    state = fields.String(allow_none=True)
    zip = fields.String(allow_none=True)
    country = fields.String(allow_none=True)


class ErpTaxItem(Schema):
    type = fields.String()
    rate = Float()
    taxPerUnit = Float()
    taxTotal = Float()


class OutwardOrderItem(Schema):
    orderItemCode = fields.String()
    channelSkuCode = fields.String()
    hsn = fields.String()
    quantity = Int(metadata={"description": "units to invoice (create), cancelled (cancel) or shipped (complete)"})
    orderedQuantity = Int()
    invoicedQuantity = Int()
    cancelledQuantity = Int()
    cancelledAfterInvoiceQuantity = Int(metadata={
        "description": "complete posting: units e-invoiced but cancelled by the customer after the e-invoice; the "
                       "ERP raises a return order for them (seed 004)"})
    sellingPricePerUnit = Float()
    baseSellingPricePerUnit = Float()
    taxItems = fields.List(fields.Nested(ErpTaxItem))


def _event_type(kind: str) -> fields.String:
    return fields.String(required=True, validate=validate.OneOf((kind,)), metadata={
        "description": f"{kind}: the posting's kind, one schema per kind (seed 002 model 1, seed 004)"})


class _OutwardOrderPosting(Schema):
    eventType = fields.String(required=True, validate=validate.OneOf(EVENT_TYPES))
    messageId = Int(required=True)
    partnerCode = fields.String(metadata={"example": "AJIO"})
    locationCode = fields.String(metadata={"description": "the POB's store (plant) code"})
    partnerLocationCode = fields.String(metadata={"description": "AJIO's own code of that location: the POB id"})
    channelName = fields.String(metadata={"description": "the channel (customer) code the ERP books AJIO under"})
    orderCode = fields.String(metadata={"description": "AJIO's forward order id"})
    forwardPurchaseOrder = fields.String(metadata={"description": "the B2B PO number the e-invoice is made for"})
    orderTime = fields.String(metadata={"description": _ZONED})
    paymentMethod = fields.String()
    orderItems = fields.List(fields.Nested(OutwardOrderItem))


class OutwardOrderCreatePosting(_OutwardOrderPosting):
    """Seed 004 'B2B Order Posting' (OUTWARD_ORDER_CREATE): the B2B order, final quantities, to e-invoice."""

    eventType = _event_type("OUTWARD_ORDER_CREATE")

    supersedesMessageId = Int(metadata={
        "description": "set when the order's quantities changed before the e-invoice: this posting replaces the "
                       "OUTWARD_ORDER_CREATE with that messageId; e-invoice the latest one (not grounded)"})
    shippingAddress = fields.Nested(ErpAddress)
    billingAddress = fields.Nested(ErpAddress)


class OutwardOrderCancelPosting(_OutwardOrderPosting):
    """Seed 004 'Cancelled Order Postings' (OUTWARD_ORDER_CANCEL): complete cancellation after the e-invoice."""

    eventType = _event_type("OUTWARD_ORDER_CANCEL")

    invoiceNumber = fields.String(metadata={"description": "the e-invoice to cancel; absent when the order is "
                                                           "cancelled before the ERP e-invoiced it"})
    cancelledAt = fields.String(metadata={"description": _ZONED})


class OutwardOrderCompletePosting(_OutwardOrderPosting):
    """Seed 004 'Complete order Postings' (OUTWARD_ORDER_COMPLETE): the order left the warehouse; lets the
    ERP create a return for quantities cancelled after e-invoicing."""

    eventType = _event_type("OUTWARD_ORDER_COMPLETE")

    invoiceNumber = fields.String()
    completedAt = fields.String(metadata={"description": _ZONED})


class ReturnItemPosting(Schema):
    itemCode = fields.String()
    returnOrderItemStatus = fields.String()
    returnReason = fields.String()
    channelSkuCode = fields.String(required=True, metadata={
        "description": "the item's EAN: return lines are identified by it (seed 002 RSI key points)"})
    sellingPricePerUnit = Float()
    qcStatus = fields.String(validate=validate.OneOf(QC_STATUSES))
    qcReason = fields.String(allow_none=True)
    imageUrls = fields.List(fields.String())
    virtualSkuChildItemReturnPostings = fields.Raw(allow_none=True)


class ShipmentItemPosting(Schema):
    channelSkuCode = fields.String()
    orderItemCode = fields.String()
    channelDiscount = Float(allow_none=True)
    netTaxAmountPerUnit = Float()
    netTaxAmountTotal = Float()
    baseSellingPricePerUnit = Float()
    baseSellingPriceTotal = Float()
    sellingPricePerUnit = Float()
    sellingPriceTotal = Float()
    quantity = Int()
    shippingChargePerUnit = Float()
    taxItems = fields.List(fields.Nested(ErpTaxItem))


class ShipmentPosting(Schema):
    shipmentCode = fields.String()
    generatedInvoiceId = fields.String(metadata={"description": "the B2C invoice AJIO generated at packing"})
    generatedInvoiceDate = fields.String(metadata={"description": "that B2C invoice's date (" + _ZONED + ")"})
    invoiceDocumentUrl = fields.String()
    shippingLabelDocumentUrl = fields.String()
    externalInvoiceId = fields.String(allow_none=True, metadata={"description": "the ERP's B2B e-invoice number"})
    externalInvoiceDate = fields.String(allow_none=True, metadata={"description": "that e-invoice's date"})
    shipmentItems = fields.List(fields.Nested(ShipmentItemPosting))


class ReturnOrderPosting(Schema):
    """Seed 002 'Return Order Posting Payload', after the return's QC; `shipments` is [] in the credit-note
    model (seed 002: 'Here Shipment Array will come empty')."""

    partnerCode = fields.String()
    locationCode = fields.String(metadata={"description": "the POB's store (plant) code"})
    messageId = Int(required=True, metadata={"description": "the posting's id, as in every posting (seed 002)"})
    partnerLocationCode = fields.String(metadata={"description": "AJIO's own code of that location: the POB id"})
    paymentMethod = fields.String()
    channelName = fields.String(metadata={"description": "the channel (customer) code the ERP books AJIO under"})
    returnOrderCode = fields.String(required=True, validate=validate.Length(min=1), metadata={
        "description": "return order id: 'return order id will be sent with return order posting' (seed 002)"})
    forwardOrderCode = fields.String()
    returnCreationTime = fields.String(metadata={"description": _ZONED})
    items = fields.List(fields.Nested(ReturnItemPosting), required=True, validate=validate.Length(min=1),
                        metadata={"description": "the returned items, each identified by its EAN (seed 002)"})
    shipments = fields.List(fields.Nested(ShipmentPosting), required=True, metadata={
        "description": "[] in the credit-note model: 'Here Shipment Array will come empty: []' (seed 002)"})
    shippingAddress = fields.Nested(ErpAddress)
    billingAddress = fields.Nested(ErpAddress)
    virtualSkuDefinitions = fields.Raw(allow_none=True)


POSTING_SCHEMAS = {"OUTWARD_ORDER_CREATE": OutwardOrderCreatePosting, "OUTWARD_ORDER_CANCEL": OutwardOrderCancelPosting,
                   "OUTWARD_ORDER_COMPLETE": OutwardOrderCompletePosting, "RETURN_ORDER": ReturnOrderPosting}


# operationId (= the view's name) -> method, path, request/query schema, answer schema (seed 002).
OPERATIONS = {
    "post_b2b_invoice": ("POST", "/ajio-vms/b2bInvoice/posting", B2bInvoicePosting, ErpB2bInvoiceAccepted),
    "post_credit_note": ("POST", "/ajio-vms/creditNote/posting", CreditNotePosting, ErpCreditNoteAccepted),
    "list_rsi": ("GET", "/ajio-vms/rsi", RsiQuery, RsiResponse),
}

"""The operation registry: one entry per AJIO-facing operation, read by the OpenAPI builder.

Each entry ties a method and path to its request and response schemas (the classes in contracts/),
its documented error answers and the seed behind its rules. A new route needs an entry here:
tests/contract/test_registry.py turns red for any AJIO-facing URL rule of the app without one.
Modules of other selling models (jit, vms, erp layer) add their entries with `register`.
"""
from __future__ import annotations

from contracts import common, ds
from contracts.operation import E400, E401, E404, E409, E413, E415, E429, Operation
from contracts.operation import errors_for as _errors

__all__ = ["E400", "E401", "E404", "E409", "E413", "E415", "E429", "OPERATIONS", "Operation", "by_route", "register"]

_ACK_BODY = {"order_id": "$response.body#/orders/0/order_id", "status": "Acknowledge", "order_lines": []}

OPERATIONS: list[Operation] = []


def register(*operations: Operation) -> None:
    """Add entries (each selling model's module adds its own); an operationId or route is unique."""
    taken = {op.operation_id for op in OPERATIONS} | {(op.method, op.path) for op in OPERATIONS}
    for op in operations:
        if op.operation_id in taken or (op.method, op.path) in taken:
            raise ValueError(f"duplicate registry entry {op.operation_id} {op.method.upper()} {op.path}")
        taken |= {op.operation_id, (op.method, op.path)}
        OPERATIONS.append(op)


def _auth_op(operation_id: str, path: str, model: str | None) -> Operation:
    which = f"a {model} POB" if model else "any POB"
    return Operation(
        operation_id, "post", path, "auth", f"Log in ({which}): an accessToken for the apiKey header",
        "`{\"username\": <POB id>, \"password\": <API password>}` -> `{\"success\", \"statusCode\", \"result\": "
        "{\"accessToken\", \"refreshToken\"}}`. The token lives 30 minutes and cannot be refreshed: log in again "
        "(API.md, seeds 000 and 003: the POB user is the API user; its password is not the portal login)."
        + (f" A POB enabled for another model than {model} is refused (401)." if model else ""),
        ok={200: (common.AuthTokenResponse, "logged in")},
        errors=_errors((401, "invalid username or password, or a POB of another model"), body=True, auth=False),
        body=common.AuthTokenRequest, auth=False,
        example={"username": "DVB1VX5Z", "password": "pw-6a1b453a3a26d09f"})


register(
    _auth_op("auth_token", "/authToken", None),
    *(_auth_op(f"auth_token_{m}", f"/{m}/authToken", m) for m in ("ds", "jit", "vms")),
    Operation(
        "list_products", "get", "/ds/products", "ds catalog", "The POB's listings with AJIO's view of stock",
        "Filters `sku` and `publishedStatus`; at most 50 per page (API.md).",
        ok={200: (ds.ProductsResponse, "one page of listings")}, errors=_errors(), query=ds.ProductsQuery),
    Operation(
        "update_inventory", "post", "/ds/updateInventory", "ds catalog", "Absolute stock per SKU, at most 50 lines",
        "Each line succeeds or fails on its own (`failed_items`); SKUs must match AJIO's exactly (seed 003 "
        "steps 5-6); at most 50 SKUs per call (API.md). A call where no line applies is a 400 with the lists.",
        ok={200: (ds.UpdateInventoryResponse, "per-line result")}, errors=_errors(body=True),
        error_shapes={400: ds.UpdateInventoryFailedResponse}, body=ds.UpdateInventoryRequest,
        example={"inventory": [{"sku": "AJ-TSHIRT-BLU-M", "quantity": 12}]}),
    Operation(
        "get_pendency", "get", "/ds/orders/pendency", "ds orders", "Orders waiting for acknowledgement",
        "Grounded fields (API.md): carrier, order_date (epoch seconds, spec v1.1), order_id, payment_method, "
        "tracking_number, total_amount, order_lines[]. There is no 'updated since' filter (API.md).",
        ok={200: (ds.PendencyResponse, "one page of pending orders")}, errors=_errors(), query=common.PageQuery,
        links={"AcknowledgeFirstOrder": {
            "operationId": "acknowledge_order", "requestBody": _ACK_BODY,
            "description": "acknowledge the first pending order, every line in full"}}),
    Operation(
        "acknowledge_order", "post", "/ds/orders", "ds orders", "Acknowledge or (seller) cancel an order, per line",
        "`status: Acknowledge` confirms lines (confirmed + cancelled = open quantity); `Cancel` is the seller's "
        "cancellation, allowed only until invoiced (seed 000 point 12.2). AJIO issues the PO after a lag; keep "
        "the order on hold until `po_number` appears (API.md). A repeat of the same acknowledgement answers the "
        "first result; nothing applied is a 400 with `success`/`failed_items`.",
        ok={200: (ds.OrderActionResponse, "what succeeded and what failed, per line")},
        errors=_errors((404, E404), (409, E409), body=True), body=ds.OrderActionRequest,
        error_shapes={400: ds.OrderActionFailedResponse, 409: ds.OrderActionFailedResponse},
        example={"order_id": "FN0338358616", "status": "Acknowledge", "order_lines": [
            {"order_item_id": "25493135709339052", "confirmed_quantity": 1, "cancelled_quantity": 0}]},
        links={"ReadAcknowledgedOrder": {"operationId": "list_orders",
                                         "parameters": {"orderIds": "$request.body#/order_id"}},
               "GenerateInvoice": {"operationId": "generate_invoice",
                                   "parameters": {"order_id": "$request.body#/order_id"}, "requestBody": {}}}),
    Operation(
        "list_orders", "get", "/ds/orders", "ds orders", "Acknowledged orders with PO fields and current status",
        "Without `orderIds`: the orders past acknowledgement. Status values (grounded): CONFIRMED, PACKED, "
        "READY_TO_DISPATCH, DISPATCHED, DELIVERED, CANCELLED; CREATED for a pending order named by id. "
        "A connector learns of cancellations and deliveries by re-reading the orders it holds (seed 000 point 11).",
        ok={200: (ds.OrdersResponse, "one page of orders")}, errors=_errors((404, E404)), query=ds.OrdersQuery),
    Operation(
        "generate_invoice", "post", "/ds/orders/{order_id}/invoice", "ds fulfilment",
        "AJIO generates the B2B invoice for the whole order",
        "Body `{}`: no split (seed 000 point 5); needs the PO (409 NOT_YET with Retry-After until AJIO issued it); "
        "the invoice PDF comes from AJIO (seed 000 point 7); e-invoicing POBs get an IRN. A repeat answers the "
        "first invoice.",
        ok={200: (ds.InvoiceResponse, "the B2B invoice")}, errors=_errors((404, E404), (409, E409), body=True),
        body=ds.InvoiceRequest, body_required=False, example={},
        links={"GenerateLabel": {"operationId": "generate_label", "parameters": {"order_id": "$response.body#/order_id"},
                                 "requestBody": {"weight_grams": 500, "length_cm": 30, "breadth_cm": 20,
                                                 "height_cm": 5}}}),
    Operation(
        "generate_label", "post", "/ds/orders/{order_id}/label", "ds fulfilment",
        "AWB, carrier, label and B2C invoice PDFs; the order becomes PACKED",
        "Needs weight and dimensions (seed 003 troubleshooting), the B2B invoice first (seed 000 point 6) and the "
        "POB's shipping-API access (403 otherwise, seed 003 prerequisites). One order ships as one package: a "
        "repeat with other dimensions is a 409 (seed 000 point 5).",
        ok={200: (ds.LabelResponse, "the label")},
        errors=_errors((403, "the POB has no shipping-API access (seed 003 prerequisites)"), (404, E404),
                       (409, E409), body=True),
        body=ds.LabelRequest, example={"weight_grams": 450, "length_cm": 30, "breadth_cm": 22, "height_cm": 4},
        links={"DispatchOrder": {"operationId": "dispatch_orders", "requestBody": {"dispatchItems": [{
            "masterAWB": "$response.body#/tracking_number", "orderId": "$response.body#/order_id",
            "invoiceNo": "$response.body#/invoice_number"}]}, "description": "manifest the packed order"}}),
    Operation(
        "dispatch_orders", "post", "/ds/orders/dispatch", "ds fulfilment",
        "Manifest packed orders (at most 250): READY_TO_DISPATCH",
        "`{\"dispatchItems\": [{\"masterAWB\", \"orderId\", \"invoiceNo\"}]}` (an extra `auth` string is accepted, "
        "as Unicommerce's CreateManifest sends it: API.md). Each item succeeds or fails on its own "
        "(`failedDispatchItems`); nothing manifested is a 400 in the same shape. At most 250 shipments (Increff); "
        "invoice -> label -> manifest (seed 000 points 6 and 10). A retry answers the first manifest.",
        ok={200: (ds.DispatchResponse, "the manifest")}, errors=_errors((409, E409), body=True),
        body=ds.DispatchRequest, error_shapes={400: ds.DispatchFailedResponse},
        example={"dispatchItems": [{"masterAWB": "1490813520661", "orderId": "FN0338358616",
                                    "invoiceNo": "DSB1VX2627000001"}]}),
    Operation(
        "list_returns", "get", "/ds/returns", "ds returns", "Return orders: RTOs and customer returns",
        "`returnType` RTO or CUSTOMER_RETURN, `fromDate`/`toDate` epoch seconds on the return date "
        "(seed 000 point 13: return sync).",
        ok={200: (ds.ReturnsResponse, "one page of returns")}, errors=_errors(), query=ds.ReturnsQuery),
    Operation(
        "create_rto", "post", "/ds/return/rto", "ds returns",
        "Create an RTO for a parcel that came back without an expectation",
        "With its QC per item (seed 000 point 14.1); `qc_code` GOOD, BAD or MISSING.",
        ok={200: (ds.CreateRtoResponse, "the RTO return order")},
        errors=_errors((404, E404), (409, E409), body=True), body=ds.CreateRtoRequest,
        example={"order_id": "FN0338358616", "order_items": [
            {"order_item_id": "25493135709339052", "quantity": 1, "qc_code": "GOOD"}]}),
    Operation(
        "quality_check", "post", "/ds/returns/{return_order_id}/qc", "ds returns",
        "Putaway: every returned unit GOOD, BAD or MISSING",
        "Good units are sellable again (seed 000 point 16); the credit note follows 2.5 h later (seed 000 point 17). "
        "Refused before the parcel reached the warehouse (409). A repeat of the same QC answers the first result.",
        ok={200: (ds.QcResponse, "the putaway")}, errors=_errors((404, E404), (409, E409), body=True),
        body=ds.QcRequest, example={"items": [{"return_item_id": "RI041457787774", "quantity": 1, "qc_code": "BAD",
                                               "reason": "PACKAGING_DAMAGE"}]}),
    Operation(
        "get_credit_note", "get", "/ds/returns/{return_order_id}/creditNote", "ds returns",
        "AJIO's credit note (return invoice): number, series and PDF",
        "Available 2.5 simulated hours after putaway; before that 409 NOT_YET with Retry-After (seed 000 points "
        "17 and 18).",
        ok={200: (ds.CreditNoteResponse, "the credit note")}, errors=_errors((404, E404), (409, E409))),
    Operation(
        "get_document", "get", "/documents/{document_id}", "documents",
        "Any document as a PDF: PO, invoices, label, manifest, credit note",
        "Every `*_url`/`*Url` of an answer points here (API.md); only the owning POB's apiKey reads it: documents "
        "carry customers' addresses, another POB gets 404.",
        ok={200: (None, "the PDF")}, errors=_errors((404, E404)), produces="application/pdf"),
)


def by_route() -> dict[tuple[str, str], Operation]:
    return {(op.method, op.path): op for op in OPERATIONS}


# Each selling model's entries, in its own module (contracts/registry_<model>.py).
from contracts.registry_jit import JIT_OPERATIONS  # noqa: E402  (after register and the /ds entries)

register(*JIT_OPERATIONS)
from contracts.registry_vms import VMS_OPERATIONS  # noqa: E402

register(*VMS_OPERATIONS)

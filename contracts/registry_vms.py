"""Registry entries of VMS `/vms` and the ERP layer `/ajio-vms` (contracts/vms.py and contracts/erp.py
hold the shapes; docs/vms.md the rules). operationIds carry the `vms_` / `erp_` prefix (the Dropship
views own the bare names); the rest is the view's name (DESIGN.md rule 2)."""
from __future__ import annotations

from contracts import erp, vms
from contracts.common import ConflictBody
from contracts.operation import E404, E409, Operation, errors_for

_ORDER = (404, "unknown order id, or an order of another POB (API.md)")
_RETURN = (404, "unknown return order id, or a return of another POB (API.md)")
_STATE = (409, E409 + "; a repeat with another payload is CONFLICTING_REPEAT")
_NUMBER = (409, _STATE[1] + "; or CONFLICT: the invoice number, credit-note number or IRN is already held by "
                           "another document (`held_by`; CGST rule 46, the e-invoice portal)")
_ERP_AUTH = (401, "authUsername / authPassword missing or wrong, or not a VMS POB (seed 002)")


def _op(view: str, method: str, path: str, tag: str, summary: str, description: str, answer, *,
        errors=(), body=None, query=None, example=None, body_required=True, error_shapes=None,
        error_headers=None) -> Operation:
    return Operation(f"vms_{view}", method, path, tag, summary, description, ok={200: (answer, summary)},
                     errors=errors_for(*errors, body=body is not None), body=body, query=query, example=example,
                     body_required=body_required, error_shapes=error_shapes or {},
                     error_headers=error_headers or {})


def _erp(view: str, method: str, path: str, summary: str, description: str, answer, *, body=None,
         query=None, errors=(), error_shapes=None) -> Operation:
    return Operation(f"erp_{view}", method, path, "erp layer", summary,
                     description + " Headers `authUsername` (the POB id) and `authPassword` (its API password).",
                     ok={200: (answer, summary)}, errors=errors_for(_ERP_AUTH, *errors, body=body is not None),
                     body=body, query=query, auth=False, security=("authUsername", "authPassword"),
                     error_shapes=error_shapes or {})


VMS_OPERATIONS = [
    _op("list_orders", "get", "/vms/orders", "vms orders", "B2C orders created in a date range",
        "Seed 002: orders fetched with date filters; `fromDate`/`toDate` epoch seconds (API.md).",
        vms.VmsOrdersResponse, query=vms.VmsOrdersQuery),
    _op("acknowledge_order", "post", "/vms/orders/{order_id}/acknowledge", "vms orders", "Acknowledge an order",
        "Seed 002: once acknowledged, AJIO stops customer cancellations. Body `{}`; a repeat answers the first.",
        vms.VmsAcknowledgeResponse, errors=(_ORDER, _STATE), body=vms.VmsAcknowledgeRequest, body_required=False,
        example={}),
    _op("get_po", "get", "/vms/orders/{order_id}/po", "vms orders", "The B2B PO of an acknowledged order",
        "Seed 002: fetched after the acknowledgement; lags and may be missing: 404 NOT_YET (Retry-After when "
        "known) until AJIO has it.", vms.VmsPoResponse, errors=((404, E404 + "; or NOT_YET: no PO yet"), _STATE),
        error_headers={404: ("Retry-After",)}),
    _op("post_b2b_invoice", "post", "/vms/orders/{order_id}/b2bInvoice", "vms fulfilment", "The B2B e-invoice",
        "Seed 002 payload; one of invoicePdf/invoiceURL; quantities not invoiced are cancelled.",
        vms.VmsB2bInvoiceResponse, errors=(_ORDER, _NUMBER), body=vms.VmsB2bInvoiceRequest,
        error_shapes={409: ConflictBody}),
    _op("get_documents", "get", "/vms/orders/{order_id}/documents", "vms fulfilment", "B2C invoice and label",
        "Seed 002: fetched while packing, after the B2B invoice; the order becomes PACKED.",
        vms.VmsDocumentsResponse, errors=(_ORDER, _STATE)),
    _op("cancel_order", "post", "/vms/orders/{order_id}/cancel", "vms orders", "Seller cancellation",
        "`{}` complete, `lines` partial; model 1 (ERP e-invoice): complete only after the e-invoice (seed 002).",
        vms.VmsCancelResponse, errors=(_ORDER, _STATE), body=vms.VmsCancelRequest, body_required=False,
        example={}),
    _op("create_manifest", "post", "/vms/manifests", "vms fulfilment", "Create Manifest at handover",
        "Seed 002; at most 250 packed orders (API.md); per-order failures in `failed`.",
        vms.VmsManifestResponse, errors=(_STATE,), body=vms.VmsManifestRequest,
        error_shapes={400: vms.VmsManifestFailedResponse}),
    _op("list_returns", "get", "/vms/returns", "vms returns", "Return expectations (RTO, customer return)",
        "Seed 002: against the forward order; `fromDate`/`toDate` epoch seconds.", vms.VmsReturnsResponse,
        query=vms.VmsReturnsQuery),
    _op("request_rto", "post", "/vms/returns/rto", "vms returns", "RTO generation request",
        "Seed 002: when no RTO expectation came; the expectation arrives after a lag.", vms.VmsRtoResponse,
        errors=(_ORDER, _STATE), body=vms.VmsRtoRequest),
    _op("quality_check", "post", "/vms/returns/{return_order_id}/qc", "vms returns", "QC update",
        "PASS/FAIL; a FAIL names a qcReason, imageUrls only on FAIL (API.md, seed 002).", vms.VmsQcResponse,
        errors=(_RETURN, _STATE), body=vms.VmsQcRequest),
    _op("post_credit_note", "post", "/vms/returns/{return_order_id}/creditNote", "vms returns",
        "The credit note (credit-note model)", "Seed 002 payload, both spellings of the PDF/URL fields.",
        vms.VmsCreditNoteResponse, errors=(_RETURN, _NUMBER), body=vms.VmsCreditNoteRequest,
        error_shapes={409: ConflictBody}),
    _op("list_rsi", "get", "/vms/rsi", "vms returns", "RSI documents by date",
        "Seed 002: rsiDateFrom/rsiDateTo with zone, at most 2 days apart (else 400).", vms.VmsRsiListResponse,
        query=vms.VmsRsiListQuery),
    _op("accept_rsi", "post", "/vms/rsi/{rsi_number}/accept", "vms returns", "Mark an RSI ACCEPTED",
        "Seed 002: also for items not received yet. Body `{}`; a repeat answers the first.",
        vms.VmsRsiAcceptResponse, errors=((404, "unknown RSI, or another POB's"),), body=vms.VmsRsiAcceptRequest,
        body_required=False, example={}),
    _erp("post_b2b_invoice", "post", "/ajio-vms/b2bInvoice/posting", "The ERP posts the B2B e-invoice",
         "Seed 002 'B2B Invoice Details Posting'; the order is named by forwardPurchaseOrder.",
         erp.ErpB2bInvoiceAccepted, body=erp.B2bInvoicePosting,
         errors=((404, "forwardPurchaseOrder is no PO of this seller"), _NUMBER), error_shapes={409: ConflictBody}),
    _erp("post_credit_note", "post", "/ajio-vms/creditNote/posting", "The ERP posts a credit note",
         "Seed 002 'Credit Note Details Posting'.", erp.ErpCreditNoteAccepted, body=erp.CreditNotePosting,
         errors=(_RETURN, _NUMBER), error_shapes={409: ConflictBody}),
    _erp("list_rsi", "get", "/ajio-vms/rsi", "RSI documents by date",
         "Seed 002 'RSI Fetching': at most 2 days apart.", erp.RsiResponse, query=erp.RsiQuery),
]

"""Registry entries of JIT `/jit` (contracts/jit.py holds the shapes; docs/jit.md the rules).

operationIds carry the `jit_` prefix: an OpenAPI document needs them unique, and the Dropship views
already own the bare names (`list_orders`, `generate_invoice`, ...). The rest of the name is the
view's (DESIGN.md rule 2)."""
from __future__ import annotations

from contracts import common, jit
from contracts.operation import E404, E409, Operation, errors_for

_PO = (404, "unknown PO number, or a PO of another POB (API.md)")
_STATE = (409, E409 + "; a repeat with another payload is CONFLICTING_REPEAT")
_TAG_ORDERS, _TAG_FULFIL, _TAG_STOCK = "jit orders", "jit fulfilment", "jit inventory"


def _op(view: str, method: str, path: str, tag: str, summary: str, description: str, answer, *,
        errors=(), body=None, query=None, example=None, links=None, body_required=True) -> Operation:
    return Operation(f"jit_{view}", method, path, tag, summary, description, ok={200: (answer, summary)},
                     errors=errors_for(*errors, body=body is not None), body=body, query=query, example=example,
                     links=links or {}, body_required=body_required)


JIT_OPERATIONS = [
    _op("list_products", "get", "/jit/products", _TAG_STOCK, "SKU pull: AJIO's SKU code, ProductId~VariantId",
        "Seed 001 row 1 (SKU pull in moderation mode: `moderationStatus` APPROVED or PENDING; only approved SKUs "
        "appear on POs) and its channel mappings (SKU code and `ProductId~VariantId`).",
        jit.JitProductsAnswer, query=jit.JitProductsQuery),
    _op("get_pendency", "get", "/jit/orders/pendency", _TAG_ORDERS, "New purchase orders (CREATED)",
        "Seed 001 row 2 (order pull); API.md pins the order and line fields. No acknowledgement step in JIT.",
        jit.JitOrdersAnswer, query=common.PageQuery,
        links={"InvoiceFirstPo": {"operationId": "jit_generate_invoice", "requestBody": {},
                                  "parameters": {"order_id": "$response.body#/orders/0/order_id"}}}),
    _op("list_orders", "get", "/jit/orders", _TAG_ORDERS, "Every PO of the POB, or the named ones",
        "`orderIds` names PO numbers (an unknown one is a 404); status values are API.md's pinned PO statuses.",
        jit.JitOrdersAnswer, errors=(_PO,), query=jit.JitOrdersQuery),
    _op("cancel_order", "post", "/jit/orders/{order_id}/cancel", _TAG_ORDERS, "Seller cancellation per line",
        "Seed 001 (cancellation push), API.md: partial allowed, quantities are a delta, all lines or none, only "
        "until packed. An `Idempotency-Key` header makes a retry answer the first result.",
        jit.JitOrder, errors=(_PO, _STATE), body=jit.JitCancelRequest),
    _op("generate_invoice", "post", "/jit/orders/{order_id}/invoice", _TAG_FULFIL,
        "AJIO issues the B2B invoice from the seller's registered series",
        "API.md, seed 001 row 2: body `{}`; `irn` and `qr_code` when the POB is e-invoicing (seed 001 "
        "prerequisites). A repeat answers the current invoice.",
        jit.JitInvoiceAnswer, errors=(_PO, _STATE), body=jit.JitInvoiceRequest, body_required=False, example={},
        links={"PackOneBox": {"operationId": "jit_pack", "parameters": {"order_id": "$response.body#/order_id"},
                              "requestBody": {"boxes": [{"box_id": "BOX-CONTRACT-1", "seal_id": "SEAL-CONTRACT-1",
                                                         "items": [{
                                                             "order_item_id":
                                                                 "$response.body#/invoice_lines/0/order_item_id",
                                                             "quantity": "$response.body#/invoice_lines/0/quantity"}]}]},
                              "description": "pack a one-line PO in one box"}}),
    _op("update_invoice", "put", "/jit/orders/{order_id}/invoice", _TAG_FULFIL,
        "Re-issue the invoice for the current open quantities",
        "API.md: body `{}`, e.g. after a cancellation; refused once packed.",
        jit.JitInvoiceAnswer, errors=(_PO, _STATE), body=jit.JitInvoiceRequest, body_required=False, example={}),
    _op("prepack", "post", "/jit/orders/{order_id}/prepack", _TAG_FULFIL,
        "Prefetch dummy ship labels per box id at picklist time",
        "Seed 001 row 4 (shipment label and invoice fetched together); not pinned in API.md (docs/jit.md).",
        jit.JitPrepackAnswer, errors=(_PO, _STATE), body=jit.JitPrepackRequest),
    _op("pack", "post", "/jit/orders/{order_id}/pack", _TAG_FULFIL, "Box-wise packing: one dummy ship label per box",
        "API.md (Increff, Unicommerce), seed 001 row 2: box id, seal id, items; the boxes add up to the invoiced "
        "quantities; `master_awb` is dispatch's `masterAWB`.",
        jit.JitPackAnswer, errors=(_PO, _STATE), body=jit.JitPackRequest),
    Operation("jit_dispatch_orders", "post", "/jit/orders/dispatch", _TAG_FULFIL, "Manifest packed POs (at most 250)",
              "API.md (grounded dispatch shape, <= 250 shipments, Increff); seed 001 row 5. Per-item failures in a 200; "
              "nothing manifested is a 400 in the same shape.",
              ok={200: (jit.JitDispatchAnswer, "the manifest")}, errors=errors_for(_STATE, body=True),
              body=jit.JitDispatchRequest, error_shapes={400: jit.JitDispatchFailedAnswer}),
    _op("push_inventory", "post", "/jit/inventory", _TAG_STOCK, "Inventory push: absolute, at most 50 SKUs",
        "Seed 001 (inventory push), API.md: absolute quantities, <= 50 lines, all or none.",
        jit.JitInventoryPushAnswer, body=jit.JitInventoryPushRequest,
        example={"inventory": [{"sku": "AJ-KURTA-RED-L", "quantity": 40}]}),
    _op("get_inventory", "get", "/jit/inventory", _TAG_STOCK, "AJIO's view of stock, for the daily reconciliation",
        "Seed 001 (inventory reconciliation), API.md.", jit.JitInventoryAnswer, query=jit.JitInventoryQuery),
    _op("get_backorders", "get", "/jit/backorders", _TAG_STOCK, "Back-order inventory: demand and available per SKU",
        "Seed 001 (back-order inventory pull), API.md.", jit.JitBackordersAnswer, query=jit.JitEmptyQuery),
    _op("list_returns", "get", "/jit/returns", _TAG_ORDERS, "Returns AJIO sends back, CONFIRMED when pulled",
        "Seed 001 row 3; not pinned in API.md (docs/jit.md).", jit.JitReturnsAnswer, query=jit.JitReturnsQuery),
]

__all__ = ["JIT_OPERATIONS", "E404"]

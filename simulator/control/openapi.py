"""GET /_sim/openapi.json: the control plane's own OpenAPI document, built from the app's /_sim routes.

SCHEMAS names what each control view parses, ANSWERS what it answers; a /_sim route missing from
ANSWERS fails the document (and its test), so a new control route cannot go undocumented."""
from __future__ import annotations

from flask import current_app

from contracts import control as c
from contracts import control_answers as a
from contracts import control_jit as cj
from contracts import faults as cf
from contracts import vms_control as cv
from contracts.common import StrictSchema
from contracts.openapi_control import ControlAnswer as A
from contracts.openapi_control import control_spec
from contracts.snapshot import SnapshotFile, SnapshotImported, SnapshotRequest

# The schema each control view parses: its body, or its query for a GET or DELETE.
SCHEMAS = {
    "control.create_seller": c.CreateSellerRequest, "control.create_orders": c.CreateOrdersRequest,
    "control.seller_inventory": c.InventoryQuery,
    "control.list_orders": c.OrdersListQuery, "control.customer_cancel": c.CustomerCancelRequest,
    "control.customer_return": c.CustomerReturnRequest, "control.courier_pickup": c.EmptyRequest,
    "control.courier_deliver": c.EmptyRequest, "control.initiate_rto": c.RtoRequest,
    "control.delivery_attempt": c.DeliveryAttemptRequest, "control.courier_scan": c.ScanRequest,
    "control.put_timing": c.TimingRequest, "control.import_catalogue": c.ImportCatalogueRequest,
    "control.publish_skus": c.PublishRequest,
    "control.return_arrive": c.EmptyRequest, "control.cancel_return": c.ReturnCancelRequest,
    "control.advance_clock": c.ClockAdvanceRequest, "control.set_clock": c.ClockSetRequest,
    "control.freeze_clock": c.ClockFreezeRequest, "control.get_journal": c.JournalQuery,
    "control.world_changes": c.ChangesQuery,
    "control_jit.create_pos": cj.CreatePosRequest, "control_jit.inject_drift": cj.DriftRequest,
    "control_jit.moderate_sku": cj.ModerateRequest, "control_jit.stock_report": cj.StockQuery,
    "control_jit.vendor_return": cj.VendorReturnRequest,
    "control_snapshot.import_snapshot": SnapshotRequest,
    "control_faults.add_fault": cf.FaultRuleRequest, "control_faults.clear_faults": cf.FaultsDeleteQuery,
    "control_faults.set_throttle": cf.ThrottleRequest,
    "vms_control.set_po_missing": cv.PoMissingRequest, "vms_control.set_pob_po_missing": cv.PoMissingRequest,
    "vms_control.issue_po": StrictSchema, "vms_control.issue_rsi": cv.IssueRsiRequest,
    "vms_control.list_postings": cv.PostingsQuery, "vms_control.deliver_postings": StrictSchema,
    "vms_control.release_ack": StrictSchema, "vms_control.dead_letters": cv.DeadLettersQuery,
    "vms_control.redeliver_posting": StrictSchema, "vms_control.redeliver_pob": cv.RedeliverRequest,
}

_STATE = (409, "not allowed in the order's or return's current state (ILLEGAL_TRANSITION)")
_POB = (404, "unknown POB")
ANSWERS = {
    "control.health": A(200, a.Health, "Liveness and the simulated now"),
    "control.reset": A(200, a.ResetDone, "Forget the whole world: sellers, orders, journal, faults, clock"),
    "control.control_openapi": A(200, a.OpenApiDocument, "This document"),
    "control.create_seller": A(201, a.Seller, "Create a POB (seller, store) of a model, with its catalogue",
                               ((404, "unknown seller_id (a second store joins an existing seller)"),
                                (409, "store_code or seller_id already taken"))),
    "control.list_sellers": A(200, a.SellerList, "Every POB with its login and settings"),
    "control.seller_inventory": A(200, a.SellerInventory, "AJIO's view of a POB's stock (leaves no journal entry)"),
    "control.create_orders": A(201, a.NewOrders, "Customers place orders (AJIO raises POs for a JIT POB)",
                               (_POB,)),
    "control.list_orders": A(200, a.OrderPage, "Orders of every model, newest first"),
    "control.order_state": A(200, a.OrderState, "An order with its lines, documents, timeline and allowed events"),
    "control.customer_cancel": A(200, a.CancelOutcome, "The customer cancels the order or some lines",
                                 (_STATE, (400, "nothing could be cancelled, or the body breaks the contract",
                                           a.CancelRefused))),
    "control.courier_pickup": A(200, a.OrderEvent, "The courier picks the parcel up: DISPATCHED", (_STATE,)),
    "control.courier_deliver": A(200, a.OrderEvent, "The courier delivers: DELIVERED", (_STATE,)),
    "control.initiate_rto": A(201, a.ReturnStarted, "Delivery fails: AJIO starts an RTO", (_STATE,)),
    "control.customer_return": A(201, a.ReturnStarted, "The customer returns units (AJIO sends a JIT PO's back)",
                                 (_STATE,)),
    "control.delivery_attempt": A(200, a.DeliveryAttempted, "A failed delivery attempt; the last one allowed "
                                  "starts the RTO", (_STATE,)),
    "control.courier_scan": A(200, a.Scanned, "A courier scan on a parcel out with the courier", (_STATE,)),
    "control.order_tracking": A(200, a.OrderTracking, "The courier's milestones and what its plan holds"),
    "control.get_timing": A(200, a.TimingSettings, "The timing profile and AJIO's SLAs"),
    "control.put_timing": A(200, a.TimingSettings, "Change the timing profile or SLAs (the others stay)"),
    "control.import_catalogue": A(201, a.CatalogueImported, "A seller's own catalogue (JSON, or CSV with "
                                  "Content-Type text/csv) for all its Dropship and VMS POBs", (_POB,)),
    "control.publish_skus": A(200, a.PublishDone, "Publish or unpublish SKUs on every POB of the seller",
                              ((404, "unknown seller, POB or SKU"),)),
    "control.return_state": A(200, a.ReturnState, "A return with its items, QC, credit note and timeline"),
    "control.return_arrive": A(200, a.ReturnEvent, "The return parcel reaches the seller's warehouse", (_STATE,)),
    "control.cancel_return": A(200, a.ReturnEvent, "The customer withdraws the return, or some of its units (`lines`), "
                                "before pickup", (_STATE,)),
    "control.get_clock": A(200, a.ClockState, "The simulated clock"),
    "control.advance_clock": A(200, a.ClockChanged, "Advance the simulated clock; due timers fire"),
    "control.set_clock": A(200, a.ClockChanged, "Set the simulated clock (forward only); due timers fire"),
    "control.freeze_clock": A(200, a.ClockChanged, "Freeze or thaw the simulated clock"),
    "control.get_journal": A(200, a.Journal, "The request journal, oldest first, with filters"),
    "control.world_changes": A(200, a.ChangeFeed, "Transitions after a cursor, with the orders and returns they touched"),
    "control_faults.add_fault": A(201, a.FaultRule, "Stage a fault rule"),
    "control_faults.list_faults": A(200, a.FaultList, "Every fault rule with its counters"),
    "control_faults.get_fault": A(200, a.FaultRule, "One fault rule"),
    "control_faults.clear_faults": A(200, a.FaultsDeleted, "Delete every fault rule, or the one named by ?id=",
                                     ((404, "no fault rule has that id"),)),
    "control_faults.delete_fault": A(200, a.FaultsDeleted, "Delete one fault rule"),
    "control_faults.get_throttle": A(200, a.ThrottleState, "Throttling mode and per-group limits"),
    "control_faults.set_throttle": A(200, a.ThrottleState, "Set the throttling mode and limits (fresh buckets)"),
    "control_jit.create_pos": A(201, a.NewOrders, "AJIO raises JIT purchase orders", (_POB,)),
    "control_jit.inject_drift": A(200, a.DriftDone, "AJIO's view of JIT stock drifts from the seller's push",
                                  (_POB,)),
    "control_jit.moderate_sku": A(200, a.Moderated, "AJIO's catalogue team approves a SKU or sends it back",
                                  (_POB,)),
    "control_jit.stock_report": A(200, a.StockReport, "AJIO's JIT stock against the seller's pushes", (_POB,)),
    "control_jit.vendor_return": A(201, a.VendorReturn, "AJIO sends units of a JIT PO back", (_STATE,)),
    "vms_control.set_po_missing": A(200, a.PoState, "AJIO's PO of one VMS order goes missing (or comes back)",
                                    (_STATE,)),
    "vms_control.issue_po": A(200, a.PoState, "AJIO issues a VMS order's PO now", (_STATE,)),
    "vms_control.set_pob_po_missing": A(200, a.PobPoMissing, "Every PO of a VMS POB goes missing (or comes back)"),
    "vms_control.issue_rsi": A(201, a.RsiIssued, "AJIO issues an RSI over processed returns", (_POB, _STATE)),
    "vms_control.rsi_state": A(200, a.RsiState, "An RSI with its lines, status and timeline"),
    "vms_control.list_postings": A(200, a.PostingList, "Postings sent (or due) to sellers' ERPs, with their log"),
    "vms_control.deliver_postings": A(200, a.DeliveryRun, "Send every posting due now, synchronously"),
    "control_snapshot.export_snapshot": A(200, SnapshotFile, "The whole world as one file (format_version 1)"),
    "control_snapshot.import_snapshot": A(200, SnapshotImported, "Replace the world with a snapshot's",
                                          ((409, "the snapshot was written by a simulator with another --seed "
                                                 "(SEED_MISMATCH)"),
                                           (413, "snapshot over its limit (256 MiB by default)"))),
    "vms_control.release_ack": A(200, a.VmsAcknowledged, "The simulated VMS layer sends an order's held "
                                 "acknowledgement to AJIO now", (_STATE,)),
    "vms_control.dead_letters": A(200, a.DeadLetterList, "Postings that failed their last attempt"),
    "vms_control.redeliver_posting": A(200, a.RedeliveryAnswer, "One dead letter due again now",
                                       ((404, "no posting has that id"), (409, "the posting is no dead letter"))),
    "vms_control.redeliver_pob": A(200, a.RedeliveryAnswer, "Every dead letter of a POB due again now"),
}


def routes(app) -> list[tuple[str, str, str, str | None]]:
    """(method, Flask rule, endpoint, docstring) of every /_sim route but the dashboard's (a browser UI)."""
    out = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/_sim") or rule.rule.startswith("/_sim/ui"):
            continue
        view = app.view_functions[rule.endpoint]
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            out.append((method.lower(), rule.rule, rule.endpoint, view.__doc__))
    return sorted(out, key=lambda r: (r[1], r[0]))


def build() -> dict:
    return control_spec(routes(current_app), SCHEMAS, ANSWERS)

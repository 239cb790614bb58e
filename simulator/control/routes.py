"""/_sim routes (pinned in API.md): sellers, orders, world events, clock, journal, reset."""
from __future__ import annotations

import hmac

from flask import Blueprint, g, jsonify, request

from contracts import control as c
from simulator import journal
from simulator.api.common import body, query, read, sim, write
from simulator.control.catalogue import catalogue_body
from simulator.domain import catalog, inspect, returns, sellers, world
from simulator.errors import Unauthorized

bp = Blueprint("control", __name__, url_prefix="/_sim")
S = {name: cls() for name, cls in vars(c).items() if isinstance(cls, type) and name.endswith(("Request", "Query"))}


@bp.before_request
def _admin_guard():
    token = sim().config.admin_token
    if not token:
        return None
    given = request.headers.get("X-Admin-Token") or request.headers.get("Authorization", "").removeprefix("Bearer ")
    if not hmac.compare_digest(given.encode(), token.encode()):
        raise Unauthorized("the control plane needs the admin token (X-Admin-Token header) when the simulator "
                           "listens beyond loopback", field="X-Admin-Token")
    return None


@bp.get("/health")
def health():
    return jsonify({"status": "ok", "now": g.now})


@bp.post("/sellers")
def create_seller():
    b = body(S["CreateSellerRequest"])
    extra = {k: b.pop(k) for k in ("einvoice_model", "return_model", "einvoicing_username",
                                   "einvoicing_password", "ready_to_ship_at", "vms_layer", "ack_hold",
                                   "late_customer_cancel", "channel_name") if k in b}
    return jsonify(write(lambda ctx: world.create_pob(ctx, **b, extra=extra))), 201


@bp.get("/sellers")
def list_sellers():
    return jsonify({"sellers": read(lambda ctx: sellers.list_pobs(ctx.conn))})


@bp.get("/sellers/<pob_id>/inventory")
def seller_inventory(pob_id: str):
    """AJIO's view of a POB's stock, read without a token so a harness leaves no trace in the journal."""
    wanted = query(S["InventoryQuery"]).get("published_status")

    def view(ctx):
        sellers.get_pob(ctx.conn, pob_id)
        return {"pob_id": pob_id, "inventory": [{"sku": p["sku"], "quantity": p["quantity"],
                                                 "published_status": p["published_status"]}
                                                for p in catalog.all_products(ctx, pob_id)
                                                if wanted in (None, p["published_status"])]}
    return jsonify(read(view))


@bp.post("/orders")
def create_orders():
    b = body(S["CreateOrdersRequest"])
    ids = write(lambda ctx: world.place_orders(ctx, b["pob_id"], count=b["count"], seed=b.get("seed"),
                                               lines=b.get("lines"), payment_method=b.get("payment_method"),
                                               carrier=b.get("carrier")))
    return jsonify({"order_ids": ids}), 201


@bp.get("/orders")
def list_orders():
    q = query(S["OrdersListQuery"])
    return jsonify(read(lambda ctx: world.list_orders(ctx, pob_id=q.get("pob_id"), status=q.get("status"),
                                                        model=q.get("model"), page=q["page"], size=q["size"])))


@bp.get("/orders/<order_id>")
def order_state(order_id: str):
    return jsonify(read(lambda ctx: world.order_state(ctx, order_id)))


@bp.post("/orders/<order_id>/customer-cancel")
def customer_cancel(order_id: str):
    b = body(S["CustomerCancelRequest"], empty_ok=True)
    return jsonify(write(lambda ctx: world.customer_cancel(ctx, order_id, b.get("lines"))))


@bp.post("/orders/<order_id>/pickup")
def courier_pickup(order_id: str):
    body(S["EmptyRequest"], empty_ok=True)
    return jsonify(write(lambda ctx: world.courier_pickup(ctx, order_id)))


@bp.post("/orders/<order_id>/deliver")
def courier_deliver(order_id: str):
    body(S["EmptyRequest"], empty_ok=True)
    return jsonify(write(lambda ctx: world.courier_deliver(ctx, order_id)))


@bp.post("/orders/<order_id>/rto")
def initiate_rto(order_id: str):
    b = body(S["RtoRequest"], empty_ok=True)
    return jsonify(write(lambda ctx: world.initiate_rto(ctx, order_id, b.get("reason")))), 201


@bp.post("/orders/<order_id>/delivery-attempt")
def delivery_attempt(order_id: str):
    b = body(S["DeliveryAttemptRequest"], empty_ok=True)
    return jsonify(write(lambda ctx: world.delivery_attempt(ctx, order_id, b["reason"], b.get("location"))))


@bp.post("/orders/<order_id>/scan")
def courier_scan(order_id: str):
    b = body(S["ScanRequest"])
    return jsonify(write(lambda ctx: world.scan(ctx, order_id, b["milestone"], b.get("location"))))


@bp.get("/orders/<order_id>/tracking")
def order_tracking(order_id: str):
    return jsonify(read(lambda ctx: world.tracking_state(ctx, order_id)))


@bp.post("/orders/<order_id>/customer-return")
def customer_return(order_id: str):
    b = body(S["CustomerReturnRequest"], empty_ok=True)
    return jsonify(write(lambda ctx: world.customer_return(ctx, order_id, b.get("lines"), b.get("reason")))), 201


@bp.get("/returns/<return_order_id>")
def return_state(return_order_id: str):
    return jsonify(read(lambda ctx: returns.return_state(ctx, return_order_id)))


@bp.post("/returns/<return_order_id>/deliver")
def return_arrive(return_order_id: str):
    body(S["EmptyRequest"], empty_ok=True)
    return jsonify(write(lambda ctx: returns.return_arrive(ctx, return_order_id)))


@bp.post("/returns/<return_order_id>/cancel")
def cancel_return(return_order_id: str):
    b = body(S["ReturnCancelRequest"], empty_ok=True)
    return jsonify(write(lambda ctx: returns.cancel_return(ctx, return_order_id, b.get("lines"))))


@bp.get("/timing")
def get_timing():
    return jsonify(read(world.timing_settings))


@bp.put("/timing")
def put_timing():
    b = body(S["TimingRequest"])
    return jsonify(write(lambda ctx: world.change_timing(ctx, b)))


@bp.post("/catalogue")
def import_catalogue():
    """A seller's own catalogue as JSON, or as CSV (header row: the JSON keys; ?pob_id= or ?seller_id=)."""
    b = catalogue_body(S["ImportCatalogueRequest"])
    return jsonify(write(lambda ctx: catalog.import_catalogue(ctx, seller_id=b.get("seller_id"),
                                                              pob_id=b.get("pob_id"), products=b["products"],
                                                              replace=b["replace"]))), 201


@bp.post("/catalogue/publish")
def publish_skus():
    b = body(S["PublishRequest"])
    return jsonify(write(lambda ctx: catalog.set_published(ctx, seller_id=b.get("seller_id"), pob_id=b.get("pob_id"),
                                                           skus=b["skus"], published=b["published"])))


@bp.get("/changes")
def world_changes():
    """Transitions after `after_id` (oldest first) and the orders and returns they touched, as they are now:
    how a follower of the world (`ajio-sim soak`) learns what happened without re-reading every order."""
    q = query(S["ChangesQuery"])
    result, _ = sim().read(lambda ctx: inspect.changes(ctx.conn, after_id=q["after_id"], limit=q["limit"],
                                                       pob_id=q.get("pob_id")), feed=True)  # FEED_LOCK
    return jsonify(result)


@bp.get("/clock")
def get_clock():
    return jsonify(read(lambda ctx: sim().clock.describe(ctx.conn)))


def _clock_change(change) -> dict:
    sim().transact(lambda ctx: change(ctx.conn))  # retried like any write when workers collide
    now = sim().tick()  # timers due in the jumped-over span fire now, each at its own due time
    return {"now": now, "frozen": read(lambda ctx: sim().clock.describe(ctx.conn))["frozen"]}


@bp.post("/clock/advance")
def advance_clock():
    seconds = body(S["ClockAdvanceRequest"])["seconds"]
    return jsonify(_clock_change(lambda conn: sim().clock.advance(conn, seconds)))


@bp.post("/clock/set")
def set_clock():
    target = body(S["ClockSetRequest"])["now"]
    return jsonify(_clock_change(lambda conn: sim().clock.set(conn, target)))


@bp.post("/clock/freeze")
def freeze_clock():
    frozen = body(S["ClockFreezeRequest"], empty_ok=True)["frozen"]
    return jsonify(_clock_change(lambda conn: sim().clock.freeze(conn, frozen)))


@bp.get("/journal")
def get_journal():
    q = query(S["JournalQuery"])
    with sim().store.read(feed=q.get("after_id") is not None) as conn:  # a cursor on ids: FEED_LOCK
        rows = journal.entries(conn, pob_id=q.get("pob_id"), path=q.get("path"), since=q.get("since"),
                               entity_id=q.get("entity_id"), after_id=q.get("after_id"), limit=q["limit"],
                               violations=q.get("violations"))
    return jsonify({"entries": rows})


@bp.get("/openapi.json")
def control_openapi():
    """This document: the control plane, kept apart from the AJIO contract (/openapi.json)."""
    from simulator.control.openapi import build
    return jsonify(build())


@bp.post("/reset")
def reset():
    sim().reset()
    return jsonify({"status": "SUCCESS"})

"""The world as the control plane and the dashboard see it, across models: who a POB or an order belongs
to decides which model's rules apply. The one module above the model packages (domain/ds, jit, vms)."""
from __future__ import annotations

import copy

from sqlalchemy import select, update

from simulator.domain import courier, sellers
from simulator.domain import orders as b2c
from simulator.domain.context import load, save
from simulator.domain.ds import inspect as ds_inspect
from simulator.domain.ds import orders as ds_orders
from simulator.domain.ds import returns as ds_returns
from simulator.domain.jit import courier as jit_courier
from simulator.domain.jit import inspect as jit_inspect
from simulator.domain.jit import orders as jit_orders
from simulator.domain.jit import returns as jit_returns
from simulator.domain.jit import sellers as jit_sellers
from simulator.domain.paging import paged
from simulator.domain.vms import fulfilment as vms_fulfilment
from simulator.domain.vms import inspect as vms_inspect
from simulator.domain.vms import orders as vms_orders
from simulator.domain.vms import returns as vms_returns
from simulator.domain.vms import sellers as vms_sellers
from simulator.errors import NotFound, ValidationFailed
from simulator.store import orders, timers

# Per model: what the control plane shows of an order, and what each world event does to it.
_INSPECT = {"ds": ds_inspect, "jit": jit_inspect, "vms": vms_inspect}
_EVENTS = {
    "ds": {"customer_cancel": ds_orders.customer_cancel, "pickup": courier.courier_pickup,
           "deliver": courier.courier_deliver, "rto": ds_returns.initiate_rto,
           "customer_return": ds_returns.customer_return},
    "vms": {"customer_cancel": vms_fulfilment.customer_cancel, "pickup": courier.courier_pickup,
            "deliver": courier.courier_deliver, "rto": vms_returns.initiate_rto,
            "customer_return": vms_returns.customer_return},
    "jit": {"customer_cancel": lambda ctx, order_id, lines: jit_orders.customer_cancel(ctx, order_id),
            "pickup": jit_courier.courier_pickup, "deliver": jit_courier.courier_deliver,
            "rto": jit_returns.initiate_rto, "customer_return": jit_returns.vendor_return},
}
# The timers that issue AJIO's PO after an acknowledgement: what the po_missing fault holds back.
PO_TIMER_KINDS = (ds_orders.PO_TIMER, vms_orders.PO_TIMER)


# -- sellers and orders ----------------------------------------------------------------------------
def create_pob(ctx, *, model: str, extra: dict | None = None, **settings) -> dict:
    """A new POB of `model`, with the settings its model takes; another model's settings are refused."""
    sellers.check_model(model)
    extra = dict(extra or {})
    if model == "jit":
        extra = jit_sellers.jit_settings(bool(settings.get("einvoicing")), extra)
    else:
        jit_sellers.refuse_settings(extra)
    if model == "vms":
        extra = vms_sellers.vms_settings(extra, settings.get("erp_url"))
    else:
        vms_sellers.refuse_settings(model, extra)
    return sellers.create_pob(ctx, model=model, extra=extra, **settings)


def place_orders(ctx, pob_id: str, *, count: int, seed: int | None = None, lines: list[dict] | None = None,
                 payment_method: str | None = None) -> list[str]:
    """Customers order (Dropship, VMS), or AJIO raises purchase orders (JIT)."""
    model = sellers.get_pob(ctx.conn, pob_id)["model"]
    if model == "jit":
        if payment_method is not None:
            raise ValidationFailed("a JIT purchase order has no payment method (B2B)", field="payment_method")
        return jit_orders.place_pos(ctx, pob_id, count=count, seed=seed, lines=lines)
    ids = b2c.place_orders(ctx, pob_id, count=count, seed=seed, lines=lines, payment_method=payment_method,
                           decorate=vms_orders.vms_order_data if model == "vms" else None)
    if model == "vms":
        vms_orders.after_placement(ctx, pob_id, ids)  # the simulated VMS layer's acknowledgement hold
    return ids


# -- world events on an order ----------------------------------------------------------------------
def _model_of(ctx, order_id: str) -> str:
    return load(ctx, "order", order_id)["model"]


def customer_cancel(ctx, order_id: str, lines: list[dict] | None) -> dict:
    return _EVENTS[_model_of(ctx, order_id)]["customer_cancel"](ctx, order_id, lines)


def courier_pickup(ctx, order_id: str) -> dict:
    return _EVENTS[_model_of(ctx, order_id)]["pickup"](ctx, order_id)


def courier_deliver(ctx, order_id: str) -> dict:
    return _EVENTS[_model_of(ctx, order_id)]["deliver"](ctx, order_id)


def initiate_rto(ctx, order_id: str) -> dict:
    return _EVENTS[_model_of(ctx, order_id)]["rto"](ctx, order_id)


def customer_return(ctx, order_id: str, lines: list[dict] | None, reason: str | None) -> dict:
    return _EVENTS[_model_of(ctx, order_id)]["customer_return"](ctx, order_id, lines, reason)


# -- what the control plane shows --------------------------------------------------------------------
def order_state(ctx, order_id: str) -> dict:
    rec = load(ctx, "order", order_id)
    return _INSPECT[rec["model"]].order_state(ctx, rec)


def _ajio_status(model: str, status: str) -> str:
    """What connectors of the order's model see as its status."""
    return _INSPECT[model].PUBLIC_STATUS.get(status, status)


def list_orders(ctx, *, pob_id: str | None, status: str | None, model: str | None, page: int, size: int) -> dict:
    stmt = select(orders)
    if pob_id:
        stmt = stmt.where(orders.c.pob_id == pob_id)
    if status:
        stmt = stmt.where(orders.c.status == status)
    if model:
        stmt = stmt.where(orders.c.model == model)
    rows, block = paged(ctx.conn, stmt, [orders.c.order_date.desc(), orders.c.order_id], page, size)
    return {"orders": [{"order_id": r["order_id"], "pob_id": r["pob_id"], "model": r["model"], "status": r["status"],
                        "ajio_status": _ajio_status(r["model"], r["status"]), "order_date": r["order_date"],
                        "updated_at": r["updated_at"]} for r in rows], "page": block}


# -- domain faults (simulator/faults/domain.py) --------------------------------------------------------
def hold_po(ctx, order_id: str, until: int) -> bool:
    """An order still waiting for its PO gets it no earlier than `until`; False when it waits for none."""
    row = ctx.conn.execute(select(orders.c.order_id).where(orders.c.order_id == order_id)).first()
    if row is None:
        return False
    rec = load(ctx, "order", order_id)
    data = rec["data"]
    if data.get("po") is not None or data.get("po_due_at") is None:
        return False
    due = max(int(data["po_due_at"]), until)
    data["po_due_at"] = due
    ctx.conn.execute(update(timers).where(timers.c.entity_id == order_id, timers.c.kind.in_(PO_TIMER_KINDS),
                                          timers.c.fired_at.is_(None)).values(due_at=due))
    save(ctx, "order", rec)
    return True


def pendency_ghost(ctx, order_id: str, pob_id: str | None) -> dict | None:
    """A Dropship order as pendency showed it before acknowledgement: every line still open."""
    try:
        rec = load(ctx, "order", order_id, pob_id)
    except NotFound:
        return None
    if rec["model"] != "ds":
        return None
    rec["data"]["lines"] = [{**copy.deepcopy(line), "acknowledged": False} for line in rec["data"]["lines"]]
    return ds_orders.pendency_view(rec)

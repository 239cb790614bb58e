"""Both sides of acknowledging against stock, for the B2C models (Dropship and VMS): what a connector may
acknowledge and cancel in one run, and what it must cancel when the warehouse could not pick an order.

Before each run the soak writes the warehouse file: `stock` is what is left to promise per SKU (on hand less
the units of acknowledged orders still in the warehouse) and `missing` what the warehouse could not pick
for an acknowledged order (order -> SKU -> units: a stock loss, a unit found damaged). Over one run, per SKU:

- units acknowledged are at most `stock` (two orders never get one unit: a connector reserves within its run);
- units the seller cancels are at most what it lacked for orders not acknowledged yet (their open units less
  `stock`) plus what the warehouse could not pick (the whole order's, where a whole-order cancel is the
  model's way: Dropship's seller cancellation, VMS model 1);
- an order the warehouse could not pick is not taken past picking (Dropship: invoiced; VMS: packed) with
  the units it lacks (`world.still_missing`: lost units less those cancelled since).

Each bound is sound for any order in which a connector takes the orders of a run. The models' checkers
(invariants.Checker, vms.VmsChecker) set the keys, rules and statuses below.
"""
from __future__ import annotations

from harness.soak.config import _t
from harness.soak.world import Order, open_units, still_missing


class StockBounds:
    stock_key: str | None = None        # the invariant of the run's bounds (None: the model has none, JIT)
    stock_rule = ""
    missing_key = ""
    unpicked: tuple[str, ...] = ()      # acknowledged statuses whose units are still on the shelf
    picked_stamp = ""                   # the step that takes an order past picking
    acknowledged_word = "acknowledged"

    def _stock_state(self) -> None:
        self.missing_at: dict[str, int] = {}           # order -> instant the warehouse could not pick its items
        self.judged_missing: set[str] = set()
        self.run_stock: dict[str, int] = {}
        self.run_cancelled: dict[str, dict[str, int]] = {}   # order -> SKU -> units seller-cancelled before the run
        self.run_created: dict[str, int] = {}          # SKU -> open units of orders not acknowledged yet
        self.run_missing: dict[str, int] = {}          # SKU -> units a seller may cancel for want of picking

    # -- the model's choices -------------------------------------------------------------------------
    @property
    def whole_order_cancel(self) -> bool:
        """Whether a seller cancels an order the warehouse could not pick whole (allowed, or required)."""
        return True

    def missing_rule(self) -> str:
        return self.stock_rule

    # -- the world -----------------------------------------------------------------------------------
    def went_missing(self, order_id: str, sku: str, units: int, at: int) -> None:
        self.missing_at.setdefault(order_id, at)

    def before_run(self, tick: int, now: int, stock: dict[str, int]) -> None:
        """What the warehouse said and how the open orders stood as the connector starts its run: the bounds
        of what it may acknowledge and cancel in it."""
        self.run_stock = stock
        created: dict[str, int] = {}
        missing: dict[str, int] = {}
        cancelled: dict[str, dict[str, int]] = {}
        whole = self.whole_order_cancel
        for order in self.world.orders.values():
            if order.status != "CREATED" and order.status not in self.unpicked:
                continue
            cancelled[order.order_id] = _seller_cancelled(order)
            gone = still_missing(self.world, order) if order.order_id in self.world.missing else {}
            for line in order.lines:
                units = open_units(line)
                if order.status == "CREATED":
                    created[line["sku"]] = created.get(line["sku"], 0) + units
                elif gone and (whole or line["sku"] in gone):
                    sku = line["sku"]
                    missing[sku] = missing.get(sku, 0) + (units if whole else min(units, gone.pop(sku, 0)))
        self.run_created, self.run_missing, self.run_cancelled = created, missing, cancelled

    def judge_missing(self, order: Order) -> None:
        """Once an order the warehouse could not pick is cancelled or taken past picking: did the units go?"""
        if order.order_id not in self.world.missing or order.order_id in self.judged_missing:
            return
        if self.picked_stamp not in order.stamps and order.status != "CANCELLED":
            return
        self.judged_missing.add(order.order_id)
        self.check(self.missing_key)
        if self.picked_stamp not in order.stamps:
            return   # cancelled before picking: what the rule asks
        still = still_missing(self.world, order)
        if not still:
            return
        at = order.stamps[self.picked_stamp]
        lost = self.world.missing[order.order_id]
        self.violate(self.missing_key, self.missing_rule(), self.world.tap.tick, at, order.order_id,
                     f"order {order.order_id} {self.picked_stamp} at {_t(at)} with items the warehouse could not "
                     f"pick since {_t(self.missing_at.get(order.order_id))} "
                     f"({', '.join(f'{s}: {u}' for s, u in lost.items())})",
                     f"the units the warehouse lacks cancelled before the order is {self.picked_stamp}"
                     + (" (the whole order, once its e-invoice exists)" if self.whole_order_cancel else ""),
                     f"{self.picked_stamp} with {', '.join(f'{s}: {u}' for s, u in still.items())} unit(s) it lacks",
                     order.order_id)

    # -- the run -------------------------------------------------------------------------------------
    def judge_stock(self, tick: int, now: int) -> None:
        """Both sides of the run's bounds, per SKU (the module's docstring)."""
        acked: dict[str, int] = {}
        acked_on: dict[str, list[str]] = {}
        cancelled: dict[str, int] = {}
        cancelled_on: dict[str, list[str]] = {}
        for order_id, before in self.run_cancelled.items():
            order = self.world.orders[order_id]
            if order.ajio_cancelled:
                continue   # AJIO's own cancellation (an SLA): not the seller's
            if order.stamps.get("acknowledged") == now:
                for line in order.lines:
                    acked[line["sku"]] = acked.get(line["sku"], 0) + open_units(line)
                    acked_on.setdefault(line["sku"], []).append(order_id)
            for sku, units in _seller_cancelled(order).items():
                delta = units - before.get(sku, 0)
                if delta > 0:
                    cancelled[sku] = cancelled.get(sku, 0) + delta
                    cancelled_on.setdefault(sku, []).append(order_id)
        word = self.acknowledged_word
        for sku, units in sorted(acked.items()):
            self.check(self.stock_key)
            could = self.run_stock.get(sku, 0)
            if units > could:
                orders = sorted(set(acked_on[sku]))
                self.violate(self.stock_key, self.stock_rule, tick, now, sku,
                             f"{units} unit(s) of {sku} {word} on {', '.join(orders)} while the warehouse had {could} "
                             f"to promise", f"at most {could} (the warehouse file's stock)", f"{units} {word}",
                             orders[0])
        for sku, units in sorted(cancelled.items()):
            self.check(self.stock_key)
            lacked = max(0, self.run_created.get(sku, 0) - self.run_stock.get(sku, 0)) + self.run_missing.get(sku, 0)
            if units <= lacked:
                continue
            orders = sorted(set(cancelled_on[sku]))
            self.violate(self.stock_key, self.stock_rule, tick, now, sku,
                         f"{units} unit(s) of {sku} seller-cancelled on {', '.join(orders)} while the warehouse lacked "
                         f"{lacked}", f"at most {lacked} (stock {self.run_stock.get(sku, 0)}, open units not "
                         f"{word} {self.run_created.get(sku, 0)}, not picked {self.run_missing.get(sku, 0)})",
                         f"{units} cancelled", orders[0])


def _seller_cancelled(order: Order) -> dict[str, int]:
    out: dict[str, int] = {}
    for line in order.lines:
        units = line.get("seller_cancelled_qty", 0) + line.get("seller_short_picked_qty", 0)
        if units:
            out[line["sku"]] = out.get(line["sku"], 0) + units
    return out

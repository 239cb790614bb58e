"""Blind bug hunt 34 (Dropship): six bugs designed from the rulebook before reading the catalogue.

Each class is the reference connector (or its client) with one planted bug, the diff against the reference being
the bug.
"""
from __future__ import annotations

import time

from connector import Connector, log


class InventoryOneUnitDriftSkipped(Connector):
    """DS-INVENTORY-REFLECTS-WAREHOUSE. The listing is compared with the warehouse at every sync, and a team tired of
    "one-unit ping-pong" (AJIO takes a unit for an order, the WMS gives it back a cycle later) added a noise filter:
    a SKU whose count differs from AJIO's by exactly one unit is left alone, unless either side is 0 ("a sell-out or
    a restock always goes"). A one-unit drift never heals: AJIO keeps showing a unit more (or less) than the
    warehouse can sell, sync after sync."""

    def stock_changes(self) -> list[dict]:
        changed = []
        for product in self.client.pages("/products", "products"):
            sku = product[self.PRODUCT_SKU]
            quantity = self.warehouse.available(sku)
            shown = product["quantity"] if "quantity" in product else self.state.inventory.get(sku)
            if shown == quantity:
                continue
            if shown is not None and abs(shown - quantity) == 1 and shown and quantity:  # the bug: 1-unit drift kept
                continue
            changed.append({"sku": sku, "quantity": quantity})
        return changed


class RtoZeroQuantityLineSent(Connector):
    """DS-RTO-ITEMS-OF-ORDER. A parcel back without an expectation is booked with every line of the order, "the whole
    parcel came back": the RTO payload was built from the order's lines as held, without the `if quantity > 0`
    filter. A line the customer cancelled whole before dispatch (open quantity 0) goes in with quantity 0; AJIO
    refuses the request (400, quantity must be positive), at every sync, and the parcel is never booked back."""

    @staticmethod
    def rto_items(lines: list[dict], qc_code: str) -> list[dict]:
        return [{"order_item_id": l["order_item_id"], "quantity": l["quantity"], "qc_code": qc_code}
                for l in lines]                                                 # the bug: 0-quantity lines sent


class CreditNoteAskedUntilCredited(Connector):
    """DS-CREDIT-NOTE-AFTER-PUTAWAY. "AJIO says not yet until it is ready, so just ask": the credit-note loop takes
    every return not yet credited, not only those put away. Returns still on their way are asked for at every sync
    (AJIO answers 409 NOT_YET, refused), and a return the customer withdrew is asked for forever: AJIO answers 409
    (no credit note for it), which ends the phase before the returns after it, whose credit notes then never come."""

    def returns_awaiting_credit_note(self):
        return [(return_id, mine) for return_id, mine in self.state.returns.items()
                if mine["stage"] != "credited"]                                 # the bug: not only put away ones


class CreditNoteFinancialYearByUtc(Connector):
    """DS-CREDIT-NOTE-FETCHED. Finance asked that a credit note be booked only in the financial year its series
    names ("R<series><yy><yy>"), to keep the GST return straight: the connector checks the series' year against the
    year of `credit_note_date` and, on a mismatch, holds the note ("AJIO glitch, asked again next sync"). The year is
    computed on the servers' clock, UTC. A credit note AJIO issues between 00:00 and 05:30 IST on 1 April carries the
    new year's series but falls in March in UTC: it is held and asked for again at every sync, and its PDF never
    downloaded."""

    def credit_note_answered(self, return_id: str, mine: dict, answer: dict) -> None:
        when = time.gmtime(answer["credit_note_date"])                         # the bug: UTC, not IST
        start = when.tm_year if when.tm_mon >= 4 else when.tm_year - 1
        fy = f"{start % 100:02d}{(start + 1) % 100:02d}"
        if not str(answer["credit_note_series"]).endswith(fy):
            self.errors += 1
            log(f"credit note of {return_id}: series {answer['credit_note_series']} is not of FY {fy}: held")
            return
        super().credit_note_answered(return_id, mine, answer)


class AckReservationSavepointPerSync(Connector):
    """DS-ACK-WHAT-IS-IN-STOCK. The acknowledgement loop reserves units order by order and gives back what an
    acknowledgement AJIO did not take. A refactor moved the "savepoint" of the reservations out of the loop, taken
    once before the first order: when an acknowledgement fails, the reservations go back to the start of the sync,
    releasing also the units of the orders acknowledged before it. An order after the failed one, of the same SKU,
    is confirmed units already confirmed to earlier orders of this sync: the warehouse is oversold."""

    def orders_to_acknowledge(self) -> list[dict]:
        self.savepoint = dict(self.reserved)   # the bug: taken once, as the sync's acknowledgements start
        return super().orders_to_acknowledge()

    def units_released(self, before: dict[str, int]) -> None:
        super().units_released(dict(self.savepoint))                           # back to the sync's start


class QcWithdrawnLineSentZero(Connector):
    """DS-PUTAWAY-GOOD-BAD. The putaway reports each item of the return at its returned units less those the customer
    withdrew. The `if ... > 0` filter was dropped as "harmless": an item the customer withdrew whole (a two-line
    return where one line was taken back before the pickup) goes in with quantity 0, which AJIO refuses (400): the
    units that did come back are never put away nor credited, and the putaway is refused again at every sync."""

    def quality_check(self, ret: dict, mine: dict) -> None:
        code = self.warehouse.qc_code(ret["order_id"])
        items = [{"return_item_id": i["return_item_id"], "quantity": i["return_quantity"] - i["cancelled_return_quantity"],
                  "qc_code": code} for i in ret["return_order_items"]]            # the bug: withdrawn items sent as 0
        self.client.post(f"/returns/{ret['return_order_id']}/qc", {"items": items})
        mine.update(stage="put_away", qc_code=code, units=sum(i["quantity"] for i in items))
        log(f"put away {ret['return_order_id']}: {code}")

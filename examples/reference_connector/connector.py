"""Reference AJIO Dropship connector: what a correct seller-side integration does, step by step.

Run once:      AJIO_BASE_URL=... AJIO_USERNAME=DV... AJIO_PASSWORD=... AJIO_WAREHOUSE=wh.json python connector.py
Run as daemon: the same with AJIO_DAEMON=1 (one sync every AJIO_POLL_SECONDS, until SIGTERM).
By hand against the demo world (`make serve`), with no warehouse system: `--assume-stock 20`
(every SKU has 20 units, every returned parcel passes QC); see the README.

The seller's side is two files: `state.json` in AJIO_STATE_DIR (default: the current directory),
this connector's memory (the orders and returns it holds), and AJIO_WAREHOUSE (a JSON file the
warehouse system writes: stock per SKU, QC outcomes of returned parcels, parcels that came back
without an expectation). `ajio-sim run` provides both. Without a warehouse file the connector
refuses to start unless told what stock to assume: guessing zero would seller-cancel every order.

One sync, in order (each phase is a method; the rules it follows are in its docstring):
  push_inventory -> acknowledge_imported -> import_pendency -> refresh_held_orders -> fulfil
  -> manifest -> sync_tracking -> sync_returns -> fetch_credit_notes
"""
from __future__ import annotations

import json
import os
import signal
import sys
import time
import types

# os.path, not pathlib: the connector is a process per sync, and pathlib's import (fnmatch, ntpath...) cost its start
# 2-4 ms (benchmarks/README.md).
sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))
from ajio_client import AjioClient, AjioError, AjioUnreachable  # noqa: E402

# Parcel of one order, sent with every label: AJIO refuses a label without weight and dimensions (seed 003).
PARCEL = {"weight_grams": 450, "length_cm": 30, "breadth_cm": 22, "height_cm": 4}
HELD = ("acknowledged", "invoiced", "packed", "manifested", "shipped")
# Syncs an RTO creation AJIO answers FAILED is sent again at (one try a sync); then once every RTO_TRIES syncs.
RTO_TRIES = 24
FINISHED = ("delivered", "cancelled")  # nothing more to do for the order itself (returns are kept apart)
# AJIO's statuses of an order after its acknowledgement (docs/dropship.md); any other but CREATED and CANCELLED is
# one this connector does not know (API-UNKNOWN-VALUE): the order waits for a status it knows.
ACKNOWLEDGED_STATUSES = ("CONFIRMED", "PACKED", "READY_TO_DISPATCH", "DISPATCHED", "DELIVERED")


def log(*parts) -> None:
    print(*parts, flush=True)


def _read_json(path: str):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


class State:
    """The connector's memory, saved atomically after each phase that sent AJIO a change and at the end of a
    sync: a crash loses at most reads, which the next run makes again (Connector.sync)."""

    def __init__(self, directory: str) -> None:
        os.makedirs(directory, exist_ok=True)
        self.path = os.path.join(directory, "state.json")
        data = _read_json(self.path) if os.path.exists(self.path) else {}
        self.orders: dict[str, dict] = data.get("orders", {})
        self.returns: dict[str, dict] = data.get("returns", {})
        self.inventory: dict[str, int] = data.get("inventory", {})
        self.rto_created: list[str] = data.get("rto_created", [])
        self.extra: dict = data.get("extra", {})   # what one model's flow keeps besides (JIT: SKU map, last recon)
        # Orders finished with (delivered, cancelled) leave `orders` for this list of ids: a month of
        # orders would otherwise make every save and every scan of the state grow (found by ajio-sim soak).
        self.done: set[str] = set(data.get("done", []))
        self.meta: dict = data.get("meta", {})  # where the last fetches stopped, number series (VMS)

    def save(self) -> None:
        tmp = os.path.splitext(self.path)[0] + ".tmp"
        # Compact: json's C encoder handles it, while indent falls back to the pure-Python one, which a
        # month of orders makes the connector's main cost (benchmarks/README.md, the soak).
        with open(tmp, "w", encoding="utf-8") as out:
            out.write(json.dumps({"orders": self.orders, "returns": self.returns, "inventory": self.inventory,
                                  "rto_created": self.rto_created, "extra": self.extra, "done": sorted(self.done),
                                  "meta": self.meta}, separators=(",", ":")))
        os.replace(tmp, self.path)

    def in_stage(self, *stages: str) -> list[str]:
        return [oid for oid, o in self.orders.items() if o["stage"] in stages]

    def holds(self, order_id: str) -> bool:
        """Whether the order is known: held now, or finished with."""
        return order_id in self.orders or order_id in self.done

    def retire(self, *stages: str, keep=None) -> None:
        """Orders in these stages leave the state for `done`, but for those `keep(order_id, order)` holds back."""
        for order_id in self.in_stage(*stages):
            if keep is not None and keep(order_id, self.orders[order_id]):
                continue
            del self.orders[order_id]
            self.done.add(order_id)


class NoWarehouse(Exception):
    """No warehouse file and no stock to assume: the connector cannot know what it may confirm."""


class Warehouse:
    """What the seller's warehouse knows; re-read at every sync.

    `assume_stock` (--assume-stock N) stands in for a missing file: N units of every SKU, every returned
    parcel GOOD. Without either the connector refuses to run rather than assume zero stock."""

    def __init__(self, path: str | None, assume_stock: int | None = None) -> None:
        if path and os.path.isfile(path):
            data = _read_json(path)
        elif path:
            raise NoWarehouse(f"AJIO_WAREHOUSE names {path}, which does not exist: the connector cannot know "
                              "the seller's stock (fix the path, or unset it and pass --assume-stock N)")
        elif assume_stock is not None:
            data = {"default_stock": assume_stock}
        else:
            raise NoWarehouse("no warehouse file: set AJIO_WAREHOUSE to the warehouse's JSON (stock, QC outcomes), "
                              "or pass --assume-stock N to assume N units of every SKU (e.g. against the demo "
                              "world of `make serve`); without either every order would be seller-cancelled")
        self.default_stock = data.get("default_stock", 0)
        self.stock = data.get("stock", {})
        self.qc = data.get("qc", {})
        self.unexpected_rto = data.get("unexpected_rto", [])
        self.settings = data.get("settings", {})   # the channel's configuration (seed 001: prepack, recon)
        self.now = data.get("now")                  # the seller's systems' clock (None: this machine's)
        # Orders the warehouse cannot pick whole (units lost or damaged since they were promised): order -> SKU ->
        # the units it can pick of that SKU. None: the warehouse does not say (a SKU's count is all there is).
        self.pickable = data.get("pickable")

    def available(self, sku: str) -> int:
        """The units of `sku` the seller can sell: none when the warehouse's count is below zero (an oversold SKU:
        a WMS counts units it promised beyond what it holds). AJIO takes no negative quantity, and one refused
        line refuses the whole inventory push of up to 50 SKUs (found by blind hunt 32's JIT helper)."""
        return max(0, self.stock.get(sku, self.default_stock))

    def qc_code(self, order_id: str) -> str:
        return self.qc.get(order_id, "GOOD")


class Connector:
    client_class = AjioClient
    INVENTORY_BATCH = 50     # AJIO takes at most 50 SKUs per inventory call (API.md)
    MANIFEST_MAX = 250       # at most 250 shipments per manifest (Increff, API.md)
    IDS_PER_READ = 50        # orderIds per GET /ds/orders
    PRODUCT_SKU = "sku"      # the SKU field of AJIO's product listing
    FINISHED_STAGES = FINISHED  # stages after which an order leaves the state for its `done` list

    def __init__(self, env: dict[str, str], assume_stock: int | None = None) -> None:
        self.warehouse_path = env.get("AJIO_WAREHOUSE")
        self.assume_stock = assume_stock
        self.warehouse = Warehouse(self.warehouse_path, assume_stock)  # first: refuse before touching anything
        if not self.warehouse_path:
            log(f"no warehouse file: assuming {assume_stock} unit(s) of every SKU and QC GOOD (--assume-stock)")
        self.client = self.client_class(env["AJIO_BASE_URL"], env["AJIO_USERNAME"], env["AJIO_PASSWORD"],
                                        env.get("AJIO_MODEL", "ds"))
        self.state_dir = env.get("AJIO_STATE_DIR") or "."
        self.state = State(self.state_dir)
        self.saved_writes = 0                        # client.writes when the state was last saved
        self.noted = 0                               # changes to save though no write was sent (save_changes)
        self.saved_noted = 0                         # self.noted when the state was last saved
        # A crash between two calls never loses an answered change (save_changes). AJIO_STATE_SAVE=phase keeps the
        # older rhythm, a save after each phase that sent a change: for a connector run inside the harness's own
        # process (the soak's Python callables), which cannot die between two of its calls without the harness.
        if env.get("AJIO_STATE_SAVE", "each_change") != "phase":
            self.client.before_call = self.save_changes
        self.errors = 0
        self.reserved: dict[str, int] = {}   # SKU -> units this sync's acknowledgements took of the warehouse's count

    # -- the sync ---------------------------------------------------------------------------
    PHASES = ("push_inventory", "acknowledge_imported", "import_pendency", "refresh_held_orders",
              "fetch_owed_documents", "fulfil", "manifest", "sync_tracking", "sync_returns", "fetch_credit_notes")

    def save_changes(self) -> None:
        """Before any call: the state is saved if a change was sent since the last save. What the previous change's
        answer recorded is then on disk before the next call leaves, so a crash at any call (a kill right after a
        write, or right before the next one: `run_connector: {kill_at: ...}`) never makes the next run send again a
        change AJIO answered. Reads alone save nothing (saving after every phase made the state's JSON a fifth of
        a month's soak). A document kept counts as a change: what its download recorded (a credit note's number,
        a PO arrived) is on disk before the next call, so a crash never makes the next run download it again and
        book it twice (found by ds/returns/killed_around_putaways_and_credit_note: a credit note kept, then a
        crash at the next return's credit-note call, and the first was fetched and booked again)."""
        if self.client.writes != self.saved_writes or self.noted != self.saved_noted:
            self.saved_writes, self.saved_noted = self.client.writes, self.noted
            self.state.save()

    def sync(self) -> None:
        """Every phase in turn; the state is saved before a call that follows a change (save_changes), after
        each phase that sent AJIO a change and once at the end. What a phase only read is read again after a
        crash."""
        self.warehouse = self.read_warehouse()
        self.resume_throttle_hold()
        for name in self.PHASES:
            writes = self.client.writes
            try:
                getattr(self, name)()
            except AjioError as exc:  # one phase failing must not stop the others; the next sync retries it
                self.errors += 1
                log(f"{name}: {exc}")
            finally:
                if self.client.writes != writes:
                    self.state.save()
        if self.FINISHED_STAGES:
            self.state.retire(*self.FINISHED_STAGES, keep=lambda order_id, mine: not self.retirable(mine))
        self.keep_throttle_hold()
        self.state.save()

    def seller_now(self) -> float:
        """Now by the seller's systems' clock: the warehouse file's `now` (the simulated clock under test), else
        this machine's."""
        return self.warehouse.now if self.warehouse.now is not None else time.time()

    def keep_throttle_hold(self) -> None:
        """A Retry-After longer than a sync waits holds every call until it has run (AjioClient.blocked_until), and
        the hold outlives the process: a connector started every minute must not send a call a minute into a
        two-minute Retry-After (API-THROTTLE-RETRY-AFTER). Until the lawful acknowledge-on-import variant ran two
        syncs back to back after a 429, the hold lived in memory only and the next run sent at once. Kept by
        both clocks, the machine's and the seller's (the simulated one under test, which jumps ahead)."""
        left = self.client.blocked_until - time.monotonic()
        if left > 0:
            self.state.meta["throttled_until"] = {"wall": time.time() + left, "clock": self.seller_now() + left}
        else:
            self.state.meta.pop("throttled_until", None)

    def resume_throttle_hold(self) -> None:
        """The saved hold (keep_throttle_hold), over when either clock has passed it."""
        hold = self.state.meta.get("throttled_until")
        if hold:
            left = min(hold["wall"] - time.time(), hold["clock"] - self.seller_now())
            self.client.blocked_until = time.monotonic() + left if left > 0 else 0.0

    def read_warehouse(self) -> Warehouse:
        """The warehouse's file, read afresh at every sync: a daemon sees today's stock, QC outcomes and parcels."""
        return Warehouse(self.warehouse_path, self.assume_stock)

    # -- inventory --------------------------------------------------------------------------
    def push_inventory(self) -> None:
        """Absolute quantities, only for SKUs whose count differs, in calls of at most 50 lines (API.md).

        SKUs come from AJIO's own listing (paged): they must match exactly (seed 003). The count is
        compared with what AJIO's listing shows, not only with what was pushed last: AJIO's count also
        moves by itself (orders take units, cancellations and good returns give them back)."""
        changed = self.stock_changes()
        for start in range(0, len(changed), self.INVENTORY_BATCH):
            self.push_inventory_batch(changed[start:start + self.INVENTORY_BATCH])

    def stock_changes(self) -> list[dict]:
        """The lines to push: each SKU of AJIO's listing whose count differs from the warehouse's."""
        changed = []
        for product in self.client.pages("/products", "products"):
            sku = product[self.PRODUCT_SKU]
            quantity = self.warehouse.available(sku)
            shown = product["quantity"] if "quantity" in product else self.state.inventory.get(sku)
            if shown != quantity:
                changed.append({"sku": sku, "quantity": quantity})
        return changed

    def push_inventory_batch(self, lines: list[dict]) -> None:
        answer = self.client.post("/updateInventory", {"inventory": lines})
        for line in answer["success"]:
            self.state.inventory[line["sku"]] = line["quantity"]
        for line in answer["failed_items"]:
            log(f"inventory {line['sku']} refused: {line['error_message']}")
        log(f"inventory: {len(answer['success'])} SKU(s) updated")

    # -- orders -----------------------------------------------------------------------------
    def import_pendency(self) -> None:
        """New orders, every page. They are acknowledged at the next sync, after the warehouse allocated
        stock: like a WMS between two cycles, and like a customer who cancels in between."""
        for order in self.client.pages("/orders/pendency", "orders"):
            if not self.state.holds(order["order_id"]):
                self.state.orders[order["order_id"]] = {"stage": "imported"}
                log(f"imported {order['order_id']}")

    def read_orders(self, order_ids: list[str]) -> dict[str, dict]:
        """Re-read orders by id (no "updated since" filter exists: re-reading is how changes are learnt)."""
        out = {}
        for start in range(0, len(order_ids), self.IDS_PER_READ):
            chunk = order_ids[start:start + self.IDS_PER_READ]
            for order in self.client.pages("/orders", "orders", orderIds=",".join(chunk)):
                out[order["order_id"]] = order
        return out

    def orders_to_acknowledge(self) -> list[dict]:
        """Imported orders as AJIO shows them now: one the customer cancelled meanwhile is dropped
        (seed 000 point 12.1: the customer's cancellation reaches the seller until invoicing). One the re-read's
        200 leaves out is no cancellation (AJIO lists a cancelled order as CANCELLED and answers 404 for an id it does
        not know): a lagging read; it stays imported and is read again at the next sync (taken for cancelled, it was
        dropped for good and AJIO cancelled it at its acknowledge_by: found by vary18d,
        ds/platform/stale_orders_page_hides_new_order)."""
        current = self.read_orders(self.state.in_stage("imported"))
        todo = []
        for order_id in self.state.in_stage("imported"):
            order = current.get(order_id)
            if order is None:
                log(f"{order_id}: not in AJIO's re-read (a lagging answer): acknowledged once AJIO lists it")
            elif order["status"] == "CANCELLED":
                self.state.orders[order_id]["stage"] = "cancelled"
                log(f"{order_id} cancelled by the customer before acknowledgement: dropped")
            elif order["status"] == "CREATED":
                todo.append(order)
            elif self.acknowledged_elsewhere(order["status"]):
                self.state.orders[order_id]["stage"] = "acknowledged"  # acknowledged by an earlier, interrupted run
            else:  # a status AJIO added since this was written: neither acknowledged nor cancelled; it waits
                log(f"{order_id}: status {order['status']!r} unknown here, left as it is until AJIO says more")
        return todo

    def acknowledged_elsewhere(self, status: str) -> bool:
        """An imported order AJIO lists in a status after the acknowledgement: an earlier run acknowledged it."""
        return status in ACKNOWLEDGED_STATUSES

    def acknowledge_imported(self) -> None:
        """Confirm what the warehouse can ship, cancel the rest (seller cancellation, seed 000 point 12.2).
        What this sync confirms is reserved from the warehouse's count: two orders never get one unit."""
        self.reserved = self.reservations()
        for order in self.orders_to_acknowledge():
            before = dict(self.reserved)
            mine = self.state.orders[order["order_id"]]
            applied = mine.get("applied_lines", {})  # lines AJIO took from an acknowledgement that failed others
            lines = self.acknowledgement_lines(
                {**order, "order_lines": [l for l in order["order_lines"] if l["order_item_id"] not in applied]})
            try:
                answer = self.client.post("/orders", {"order_id": order["order_id"], "status": "Acknowledge",
                                                      "order_lines": lines})
            except AjioError as exc:  # this order waits for the next sync (its units free again); the others go on
                self.units_released(before)
                self.errors += 1
                log(f"acknowledge {order['order_id']}: {exc}")
                self.acknowledgement_failed(order["order_id"], exc)
                continue
            failed = self.lines_failed(answer)
            if failed:
                self.acknowledgement_partly_failed(order, lines, failed)
                continue
            confirmed = self.units_confirmed(lines, applied)
            self.state.orders[order["order_id"]] = {"stage": "acknowledged" if confirmed else "cancelled"}
            log(f"acknowledged {order['order_id']}: {confirmed} unit(s) confirmed")

    @staticmethod
    def units_confirmed(lines: list[dict], applied: dict) -> int:
        """The order's units AJIO holds confirmed: this acknowledgement's, and those of lines an earlier one, failed
        for other lines, had AJIO take (an order whose re-sent line confirms nothing is still acknowledged)."""
        return sum(l["confirmed_quantity"] for l in lines) + sum(applied.values())

    def lines_failed(self, answer: dict) -> set[str]:
        """The order_item_ids AJIO failed inside the 200 of an acknowledgement (API.md: per-item failures)."""
        return {f.get("order_item_id") for f in answer.get("failed_items") or ()}

    def acknowledgement_partly_failed(self, order: dict, lines: list[dict], failed: set[str]) -> None:
        """API-PER-LINE-FAILURES: AJIO applied some lines and failed others inside its 200 (say the customer
        cancelled a unit since the re-read, so the line's quantities no longer add up). The order stays
        imported: the next sync re-reads it and acknowledges the failed lines' open units; the lines AJIO took
        are kept (with what they confirmed) and not sent again. The failed lines' units are free this sync."""
        mine = self.state.orders[order["order_id"]]
        applied = mine.setdefault("applied_lines", {})
        skus = {l["order_item_id"]: l["item_details"]["item_code"] for l in order["order_lines"]}
        for line in lines:
            if line["order_item_id"] in failed:
                sku = skus[line["order_item_id"]]
                self.reserved[sku] = self.reserved.get(sku, 0) - line["confirmed_quantity"]
            else:
                applied[line["order_item_id"]] = line["confirmed_quantity"]
        log(f"acknowledge {order['order_id']}: AJIO failed line(s) {', '.join(sorted(failed))}: "
            "acknowledged again next sync")

    def reservations(self) -> dict[str, int]:
        """What this sync's acknowledgements reserve starts empty: the warehouse's count already shows the units of
        earlier syncs' acknowledgements gone."""
        return {}

    def acknowledgement_lines(self, order: dict) -> list[dict]:
        """Each open line: what the warehouse can ship confirmed, the rest cancelled. Reserved line by line: a
        second line of the same SKU sees what the first one took."""
        lines = []
        for line in order["order_lines"]:
            open_qty = line["quantity"]
            if open_qty <= 0:
                continue
            sku = line["item_details"]["item_code"]
            confirm = self.confirmable(open_qty, sku)
            self.reserved[sku] = self.reserved.get(sku, 0) + confirm
            lines.append({"order_item_id": line["order_item_id"], "confirmed_quantity": confirm,
                          "cancelled_quantity": open_qty - confirm})
        return lines

    def units_released(self, before: dict[str, int]) -> None:
        """An acknowledgement AJIO did not take confirmed nothing: what it reserved goes back (`before`)."""
        self.reserved = before

    def acknowledgement_failed(self, order_id: str, exc: AjioError) -> None:
        """An acknowledgement AJIO did not take (throttled, down, refused): the order stays new, so the next
        sync reads it back and acknowledges it then (a throttled call is sent again after its Retry-After)."""

    def confirmable(self, open_qty: int, sku: str) -> int:
        """What the warehouse can ship of a line: all of it, or what it holds less what this sync already
        confirmed of the SKU (the rest is cancelled)."""
        return min(open_qty, max(0, self.warehouse.available(sku) - self.reserved.get(sku, 0)))

    def held_orders(self) -> list[str]:
        """Every order until it is final: AJIO may still cancel one invoiced or packed (its dispatch SLA)."""
        return self.state.in_stage(*HELD)

    def refresh_held_orders(self) -> None:
        """Status sync for every order held (seed 000 point 11): cancellations, dispatch, delivery. A PO's PDF
        that cannot be downloaded leaves that order without its PO (asked again at the next sync) and no other
        order's status unread: the status sync once stopped at the first PDF that failed, and the later orders'
        POs and cancellations went unseen for as long as that download failed
        (ds/fulfilment/one_po_pdf_down_others_fulfilled)."""
        for order_id, order in self.read_orders(self.held_orders()).items():
            mine = self.state.orders[order_id]
            if order.get("po_number") and not mine.get("po_number"):
                if self.kept(order_id, order["po_pdf_url"], "purchase order"):
                    log(f"{order_id}: PO {order['po_number']} arrived")
                else:
                    order = {**order, "po_number": None}  # no PO without its PDF: asked again at the next sync
            mine["po_number"] = order.get("po_number")
            mine["status"] = order["status"]
            # The courier's progress, compared at sync_tracking: a change means new milestones to read.
            mine["courier_seen"] = {"shipment_status": order.get("shipment_status"),
                                    "delivery_attempts": order.get("delivery_attempts", 0)}
            mine["amount_due"] = order.get("amount_due")  # COD: what the courier collects, after cancellations
            mine["lines"] = [{"order_item_id": l["order_item_id"], "sku": l["item_details"]["item_code"],
                              "quantity": l["quantity"]} for l in order["order_lines"]]
            if order["status"] == "CANCELLED":
                mine.update(stage="cancelled", cancelled_by=order.get("cancelled_by"))
                if order.get("cancelled_by") == "AJIO":  # an SLA breached: AJIO took the order back
                    log(f"{order_id} cancelled by AJIO ({order.get('cancellation_reason')}): not fulfilled")
                else:
                    log(f"{order_id} cancelled by the customer after acknowledgement: not fulfilled")
            elif order["status"] in ("DISPATCHED", "DELIVERED"):
                mine["stage"] = "shipped" if order["status"] == "DISPATCHED" else "delivered"

    def kept(self, key: str, url: str, kind: str) -> bool:
        """One order's or return's document kept (a PO: DS-PO-FETCHED; a credit note: DS-CREDIT-NOTE-FETCHED);
        False when its download failed past the retries: that order or return waits and is asked again at the next
        sync, and the phase goes on with the others. AJIO answered the read that named the document, so it is not
        down: one PDF failing must not hold back every order or return after it."""
        try:
            self.keep_document(url, kind)
        except AjioError as exc:
            self.errors += 1
            log(f"{key}: {kind} PDF not kept ({exc}); again at the next sync")
            return False
        return True

    # -- fulfilment: invoice -> label -> manifest (seed 000 point 6) -------------------------
    def fulfil(self) -> None:
        for order_id in self.state.in_stage("acknowledged", "invoiced"):
            mine = self.state.orders[order_id]
            if mine.get("status") != "CONFIRMED" and not self.label_answer_lost(mine):
                continue
            if not mine.get("po_number"):
                log(f"{order_id} on hold: AJIO's PO has not arrived yet")
                continue
            try:  # a call that fails leaves this order for the next sync; the others go on
                if mine["stage"] == "acknowledged" and self.stock_lost(mine, order_id):
                    self.seller_cancel(order_id)
                    continue
                self.fulfil_order(order_id, mine)
            except AjioError as exc:
                self.errors += 1
                log(f"{order_id}: {exc}")

    @staticmethod
    def label_answer_lost(mine: dict) -> bool:
        """An order invoiced here that AJIO shows PACKED: AJIO took its label, whose answer never came back (a
        crash right after the call). The label is asked again: AJIO answers the repeat with the same label, whose
        AWB the manifest needs."""
        return mine["stage"] == "invoiced" and mine.get("status") == "PACKED"

    def stock_lost(self, mine: dict, order_id: str | None = None) -> bool:
        """Whether the warehouse lost units of an acknowledged order before invoicing. A warehouse that says
        what it can pick of an order (`pickable`) is taken at its word; otherwise its count of a SKU is what
        the order can have."""
        if self.warehouse.pickable is not None and order_id is not None:
            # The pick report is per order and SKU: two lines of one SKU want their units together (compared line by
            # line, an order of 1 + 1 units the warehouse can pick 1 of was invoiced: found by blind hunt 33, DS).
            can = self.warehouse.pickable.get(order_id, {})
            wanted: dict[str, int] = {}
            for line in mine["lines"]:
                wanted[line["sku"]] = wanted.get(line["sku"], 0) + line["quantity"]
            return any(units > can[sku] for sku, units in wanted.items() if sku in can)
        return any(self.warehouse.available(l["sku"]) < l["quantity"] for l in mine["lines"] if l["quantity"])

    def keep_document(self, url: str, kind: str) -> bytes:
        """Every PDF AJIO issues is downloaded once, with the POB's token, and kept with its order or return
        (PO, invoices and label: seed 000 points 7, 8; manifest: point 10; credit note: point 18). What keeping
        it records is saved before the next call (save_changes)."""
        pdf = self.client.document(url)
        self.noted += 1
        return pdf

    def owe_documents(self, mine: dict, *documents: tuple[str, str]) -> None:
        """The PDFs of a change AJIO took, noted with the order before they are downloaded (then fetched, each
        once): a download that fails is asked again at the next sync, and the change is never sent again."""
        mine.setdefault("documents_owed", []).extend([url, kind] for url, kind in documents)
        self.fetch_owed(mine)

    def fetch_owed(self, mine: dict) -> None:
        owed = mine.get("documents_owed") or []
        while owed:
            url, kind = owed[0]
            self.keep_document(url, kind)
            owed.pop(0)
        mine.pop("documents_owed", None)

    def fetch_owed_documents(self) -> None:
        """Documents an earlier sync could not download (AJIO took the change, the PDF failed)."""
        for key, mine in list(self.state.orders.items()):
            if mine.get("documents_owed"):
                try:
                    self.fetch_owed(mine)
                except AjioError as exc:
                    self.errors += 1
                    log(f"{key}: documents still owed: {exc}")

    def seller_cancel(self, order_id: str) -> None:
        """Stock lost after acknowledgement: cancel while AJIO still allows it (before invoicing)."""
        self.client.post("/orders", {"order_id": order_id, "status": "Cancel", "order_lines": []})
        self.state.orders[order_id]["stage"] = "cancelled"
        log(f"{order_id} cancelled by the seller: stock lost after acknowledgement")

    def fulfil_order(self, order_id: str, mine: dict) -> None:
        if mine["stage"] == "acknowledged":
            self.invoice(order_id, mine)
        if mine.get("documents_owed"):
            return  # the invoice's PDF is still owed (it failed): the parcel waits for it
        self.label(order_id, mine)

    def invoice(self, order_id: str, mine: dict) -> None:
        """AJIO's B2B invoice for the whole order (no split, seed 000 point 5), PDF kept (point 7). An e-invoicing
        POB's invoice carries NIC's IRN, Ack No, Ack Date and signed QR: kept with it, since AJIO issues them once
        and the seller's GST records need them (DS-EINVOICE-B2B); other POBs' invoices carry none."""
        answer = self.client.post(f"/orders/{order_id}/invoice", {})
        mine.update(stage="invoiced", invoice_number=answer["invoice_number"])
        if answer.get("irn"):
            mine["einvoice"] = {k: answer.get(k) for k in ("irn", "ack_number", "ack_date", "signed_qr_code")}
        log(f"invoiced {order_id}: {answer['invoice_number']}")
        self.owe_documents(mine, (answer["invoice_pdf_url"], "B2B invoice"))

    def parcel(self, order_id: str) -> dict:
        return dict(PARCEL)

    def label(self, order_id: str, mine: dict) -> None:
        """Label with weight and dimensions (seed 003); the label and B2C invoice PDFs are kept (point 8)."""
        answer = self.client.post(f"/orders/{order_id}/label", self.parcel(order_id))
        mine.update(stage="packed", awb=answer["tracking_number"], carrier=answer["carrier"])
        log(f"packed {order_id}: AWB {answer['tracking_number']}")
        self.owe_documents(mine, (answer["label_pdf_url"], "label"), (answer["b2c_invoice_pdf_url"], "B2C invoice"))

    def manifest(self) -> None:
        """Every packed order, in manifests of at most 250 shipments, one carrier's shipments per manifest (a
        manifest is handed to one courier at pickup, seed 003 step 8); the manifest PDF is kept (point 10)."""
        in_flight = self.manifest_in_flight()
        if in_flight:
            self.manifest_carrier(in_flight)
        by_carrier: dict[str, list[str]] = {}
        for order_id in self.state.in_stage("packed"):
            if self.state.orders[order_id].get("documents_owed") or order_id in in_flight:
                continue  # its label is still owed: it is handed over once printed
            by_carrier.setdefault(self.state.orders[order_id].get("carrier", ""), []).append(order_id)
        for packed in by_carrier.values():
            self.manifest_carrier(packed)

    def manifest_in_flight(self) -> list[str]:
        """The shipments of a manifest sent by a run that died before its answer (kept by manifest_carrier), still
        packed here: sent again first, alone and as they were. AJIO answers that repeat with the manifest it
        made (or makes it, if the call never reached it); mixed with orders packed since, AJIO would refuse the
        call (409 CONFLICTING_REPEAT) at every sync, and neither the lost manifest nor the new orders'
        would ever be had (found by ds/platform/killed_after_manifest_next_order_packed)."""
        return [o for o in self.state.meta.get("manifest_in_flight", ())
                if self.state.orders.get(o, {}).get("stage") == "packed"]

    def manifest_carrier(self, packed: list[str]) -> None:
        for start in range(0, len(packed), self.MANIFEST_MAX):
            chunk = packed[start:start + self.MANIFEST_MAX]
            # On disk before the call (save_changes): a crash before its answer makes the next run send this payload
            # again, alone.
            self.state.meta["manifest_in_flight"] = chunk
            self.noted += 1
            answer = self.client.post("/orders/dispatch", {"dispatchItems": [self.dispatch_item(o) for o in chunk]})
            self.state.meta.pop("manifest_in_flight", None)
            self.manifest_answered(chunk, answer)

    def manifest_answered(self, chunk: list[str], answer: dict) -> None:
        """AJIO's 200 to a manifest: its shipments are manifested but those it failed per line (sent again on a
        later manifest); the manifest's PDF is owed."""
        failed = {f.get("orderId") for f in answer.get("failedDispatchItems", [])}
        manifested = [order_id for order_id in chunk if order_id not in failed]
        for order_id in manifested:
            self.state.orders[order_id]["stage"] = "manifested"
        log(f"manifest {answer['manifest_id']}: {len(manifested)} shipment(s)")
        self.owe_manifest(answer, manifested or chunk)

    def owe_manifest(self, answer: dict, orders: list[str]) -> None:
        """The manifest's PDF (a manifest with a failed line too) is owed by its first order: fetched by the next
        sync if it fails now."""
        self.owe_documents(self.state.orders[orders[0]], (answer["manifestUrl"], "manifest"))

    def dispatch_item(self, order_id: str) -> dict:
        mine = self.state.orders[order_id]
        return {"masterAWB": mine["awb"], "orderId": order_id, "invoiceNo": mine["invoice_number"]}

    # -- tracking ---------------------------------------------------------------------------
    def sync_tracking(self) -> None:
        """The courier's milestones of every shipment on its way (seed 003 step 9), read when the order shows
        a change: kept for the customer notifications. A failed attempt is not an outcome: the order stays
        shipped and no RTO is created; AJIO raises the RTO itself after the last attempt (status sync)."""
        for order_id in self.state.in_stage("shipped", "delivered"):
            mine = self.state.orders[order_id]
            if not self.tracking_owed(mine):
                continue
            known = mine.get("tracking") or {}
            try:
                answer = self.read_tracking(order_id, mine)
            except AjioError as exc:
                if not item_refused(exc):
                    raise  # AJIO down or throttling: the phase stops, the next sync reads them all
                self.errors += 1  # this shipment's read refused: the others are read all the same
                log(f"{order_id}: tracking not read ({exc}); again at the next sync")
                continue
            for event in answer["events"][known.get("events_seen", 0):]:
                reason = f" ({event['reason']})" if event.get("reason") else ""
                log(f"{order_id}: {event['status']} at {event['location']}{reason}")
            # The milestones went to the log (the customer notifications); the state keeps how many.
            mine["tracking"] = {"shipment_status": answer["shipment_status"],
                                "delivery_attempts": answer["delivery_attempts"], "events_seen": len(answer["events"])}

    def retirable(self, mine: dict) -> bool:
        """A finished order leaves the state once nothing is owed for it: its courier milestones read, and every
        document AJIO issued for it kept. An order AJIO cancelled after invoicing it (its dispatch SLA) keeps its
        B2B invoice, whose PDF is the seller's GST record: retired with that PDF still owed, it was never fetched
        (found by blind hunt 31, ds/faults/invoice_pdf_owed_of_order_ajio_cancelled)."""
        return not self.tracking_owed(mine) and not mine.get("documents_owed")

    @staticmethod
    def tracking_owed(mine: dict) -> bool:
        """The order shows a courier change whose milestones were not read yet. A delivered order stays in the
        state until they are (a read that failed in the sync the order was delivered in is made at the next one:
        retired at once, its DELIVERED milestone was never read; found by the eighteenth blind hunt)."""
        seen = mine.get("courier_seen") or {}
        known = mine.get("tracking") or {}
        return (seen.get("shipment_status") != known.get("shipment_status")
                or seen.get("delivery_attempts", 0) != known.get("delivery_attempts", 0))

    def read_tracking(self, order_id: str, mine: dict) -> dict:
        """GET the shipment's tracking; a read that fails leaves the milestones unread: the next sync reads them."""
        return self.client.get(f"/orders/{order_id}/tracking")

    # -- returns ----------------------------------------------------------------------------
    def sync_returns(self) -> None:
        """RTOs and customer returns from AJIO (seed 000 point 13); put away what reached the warehouse
        (QC good/bad from the warehouse, point 16); an RTO that came back without an expectation is
        created by the seller (point 14.1), unless status sync shows one after all (point 14.2).

        Only returns that can still change are read: from the oldest one not yet closed, or else the newest
        one seen (AJIO lists returns by return date, and a new one is never older than those before it)."""
        listed = set()
        for ret in self.client.pages("/returns", "returns", **self.returns_window()):
            listed.add(ret["order_id"])
            mine = self.state.returns.setdefault(ret["return_order_id"], {"order_id": ret["order_id"], "stage": "seen"})
            mine.update(return_date=ret["return_date"], return_type=ret["return_type"])
            if ret["return_status"] == "RETURN_DELIVERED" and mine["stage"] == "seen":
                self.quality_check(ret, mine)
            elif ret["return_status"] == "RETURN_PROCESSED" and mine["stage"] == "seen":
                mine["stage"] = "put_away"
            elif ret["return_status"] == "RETURN_CANCELLED":
                mine["stage"] = "closed"
        expected_orders = self.orders_with_expectation(listed)
        for order_id in self.warehouse.unexpected_rto:   # once a sync each: a FAILED answer waits for the next
            if order_id not in expected_orders and order_id not in self.state.rto_created and self.rto_may_try(order_id):
                self.book_back_parcel(order_id)

    def book_back_parcel(self, order_id: str) -> None:
        """The RTO of one parcel that came back without an expectation. A parcel AJIO refuses (an order it does not
        know for this POB: a sibling store's parcel, a mistyped id) is left for a person and the other parcels are
        booked back all the same (a 404 here ended the phase at every sync: found by the eighteenth blind hunt)."""
        try:
            self.create_rto(order_id)
        except AjioError as exc:
            if not item_refused(exc):
                raise  # AJIO down or throttling: the phase stops, the next sync tries every parcel
            self.errors += 1
            log(f"parcel of {order_id}: no RTO ({exc}): left for a person, tried again next sync")

    def orders_with_expectation(self, listed: set[str]) -> set[str]:
        """The orders AJIO expects a parcel of: those of the returns just listed and of every return held from
        earlier reads (put away and closed ones too, of either type: a customer return's parcel is no RTO)."""
        return listed | {mine["order_id"] for mine in self.state.returns.values()}

    def returns_window(self) -> dict:
        dates = [r["return_date"] for r in self.state.returns.values() if isinstance(r.get("return_date"), int)]
        if not dates:
            return {}
        still_open = [r["return_date"] for r in self.state.returns.values()
                      if isinstance(r.get("return_date"), int) and r["stage"] in ("seen", "put_away")]
        return {"fromDate": min(still_open) if still_open else max(dates)}

    def quality_check(self, ret: dict, mine: dict) -> None:
        code = self.warehouse.qc_code(ret["order_id"])
        items = [{"return_item_id": i["return_item_id"], "quantity": i["return_quantity"] - i["cancelled_return_quantity"],
                  "qc_code": code} for i in ret["return_order_items"]
                 if i["return_quantity"] - i["cancelled_return_quantity"] > 0]
        self.client.post(f"/returns/{ret['return_order_id']}/qc", {"items": items})
        mine.update(stage="put_away", qc_code=code, units=sum(i["quantity"] for i in items))
        log(f"put away {ret['return_order_id']}: {code}")

    def create_rto(self, order_id: str) -> None:
        mine = self.state.orders.get(order_id, {})
        lines = mine.get("lines")
        if not lines:
            order = self.read_orders([order_id]).get(order_id)
            if order is None:
                # A lagging read's 200 left the order out: the parcel waits for the next sync (a KeyError here ended
                # the whole sync: found by vary18d's reading of the reference).
                log(f"parcel of {order_id}: AJIO's read did not list the order; again at the next sync")
                return
            lines = [{"order_item_id": l["order_item_id"], "sku": l["item_details"]["item_code"],
                      "quantity": l["quantity"]} for l in order["order_lines"]]
        answer = self.client.post("/return/rto", {"order_id": order_id, "order_items": self.rto_items(
            lines, self.warehouse.qc_code(order_id))})
        if not self.rto_created_by(answer):
            # AJIO's 200 `status: FAILED` (API.md "Create RTO"): nothing was created. The parcel stays owed and the
            # creation is sent again at a later sync (a retry of one AJIO did take is answered as created).
            failed = self.state.meta.setdefault("rto_failed", {})
            failed[order_id] = failed.get(order_id, 0) + 1
            log(f"RTO for {order_id} not created ({answer.get('status')}: {answer.get('error_message')}); "
                f"try {failed[order_id]} of {RTO_TRIES}, again at the next sync")
            return
        self.state.meta.get("rto_failed", {}).pop(order_id, None)
        self.state.meta.get("rto_waited", {}).pop(order_id, None)
        self.state.rto_created.append(order_id)
        self.state.returns[answer["return_order_id"]] = {"order_id": order_id, "stage": "put_away"}
        log(f"RTO {answer['return_order_id']} created for {order_id} (came back without expectation)")

    @staticmethod
    def rto_items(lines: list[dict], qc_code: str) -> list[dict]:
        """The RTO's items: each line of the order that shipped units, by its own order_item_id (a line cancelled
        whole before dispatch has none: AJIO refuses a quantity of 0, DS-RTO-ITEMS-OF-ORDER)."""
        return [{"order_item_id": l["order_item_id"], "quantity": l["quantity"], "qc_code": qc_code}
                for l in lines if l["quantity"] > 0]

    @staticmethod
    def rto_created_by(answer: dict) -> bool:
        """AJIO created the RTO: `status` SUCCESS with its return order id. Anything else (FAILED, a status this
        connector does not know, no id) created nothing it could follow."""
        return answer.get("status") == "SUCCESS" and bool(answer.get("return_order_id"))

    def rto_may_try(self, order_id: str) -> bool:
        """Once a sync; after RTO_TRIES syncs answered FAILED, once every RTO_TRIES syncs (a daemon syncs every
        AJIO_POLL_SECONDS: a longer failure is not hammered, and the parcel is never dropped), logged for a person."""
        tries = self.state.meta.get("rto_failed", {}).get(order_id, 0)
        if tries < RTO_TRIES:
            return True
        waited = self.state.meta.setdefault("rto_waited", {})
        waited[order_id] = waited.get(order_id, 0) + 1
        if waited[order_id] < RTO_TRIES:
            return False
        waited[order_id] = 0
        log(f"RTO for {order_id}: AJIO answered FAILED {tries} times; trying again (raise it with AJIO)")
        return True

    def fetch_credit_notes(self) -> None:
        """AJIO's credit note comes 2.5 h after putaway (seed 000 point 17): until then AJIO answers
        409 NOT_YET with Retry-After, and the next sync asks again. Number, series and PDF are kept
        (point 18). The note credits the units put away GOOD or BAD, never MISSING ones: those are noted
        for settling with AJIO offline, and the note is final (never asked again for them)."""
        for return_id, mine in self.returns_awaiting_credit_note():
            try:
                answer = self.client.get(f"/returns/{return_id}/creditNote")
            except AjioError as exc:
                if exc.code == "NOT_YET":
                    self.credit_note_not_yet(return_id, mine, exc)
                    continue
                self.credit_note_failed(return_id, mine, exc)
                continue
            self.credit_note_answered(return_id, mine, answer)

    def credit_note_answered(self, return_id: str, mine: dict, answer: dict) -> None:
        """AJIO's credit note for a return: its PDF kept, then its number, series and amount booked."""
        if not self.kept(return_id, answer["credit_note_pdf_url"], "credit note"):
            return  # this PDF alone failed: the return stays put away, the others are credited
        mine.update(stage="credited", credit_note=answer["credit_note_number"],
                    series=answer["credit_note_series"], credited_amount=answer["credit_note_amount"])
        log(f"credit note {answer['credit_note_number']} ({answer['credit_note_series']}) for {return_id}")
        if mine.get("qc_code") == "MISSING":  # AJIO credits what came back only: the rest is settled offline
            mine["settle_offline"] = mine.get("units", 0)
            log(f"{return_id}: {mine['settle_offline']} unit(s) missing at QC, not credited: settle with AJIO offline")

    def returns_awaiting_credit_note(self):
        """The returns put away and not yet credited, each asked for in turn (one not ready does not stop the rest)."""
        return [(return_id, mine) for return_id, mine in self.state.returns.items() if mine["stage"] == "put_away"]

    def credit_note_not_yet(self, return_id: str, mine: dict, exc: AjioError) -> None:
        log(f"credit note of {return_id} not yet (Retry-After {exc.retry_after} s): asking again next sync")

    def credit_note_failed(self, return_id: str, mine: dict, exc: AjioError) -> None:
        """Any other failure (AJIO down past the retries): the return stays put away, asked again next sync."""
        raise exc


def item_refused(exc: AjioError) -> bool:
    """AJIO refused this one item (a 4xx about it), as opposed to being down, throttling or the token expiring:
    the item waits and the rest of the phase goes on."""
    return 400 <= exc.status < 500 and exc.status not in (401, 429) and not isinstance(exc, AjioUnreachable)


def for_model(env: dict[str, str], connector_class=None):
    """The connector class for AJIO_MODEL: Dropship here, JIT in jit_connector.py, VMS in vms_connector.py."""
    if connector_class is not None:
        return connector_class
    if env.get("AJIO_MODEL", "ds") == "jit":
        from jit_connector import JitConnector
        return JitConnector
    if env.get("AJIO_MODEL", "ds") == "vms":
        from vms_connector import VmsConnector
        return VmsConnector
    return Connector


def run_once(env: dict[str, str], connector_class=None, assume_stock: int | None = None) -> int:
    """One sync; the Python-callable form (`ajio-sim run --connector-python connector.py:run_once`)."""
    connector = for_model(env, connector_class)(env, assume_stock)
    connector.sync()
    return connector.errors


def parse_args(argv: list[str] | None) -> types.SimpleNamespace:
    if not argv:  # how a scheduler starts it, a process per sync: argparse's import (~10 ms a start) spared
        return types.SimpleNamespace(assume_stock=None)
    import argparse
    parser = argparse.ArgumentParser(description="The reference AJIO connector: one sync, or a daemon with "
                                                 "AJIO_DAEMON=1. Configured by the environment (AJIO_BASE_URL, "
                                                 "AJIO_USERNAME, AJIO_PASSWORD, AJIO_MODEL, AJIO_STATE_DIR, "
                                                 "AJIO_WAREHOUSE).")
    parser.add_argument("--assume-stock", type=int, metavar="N",
                        help="without a warehouse file (AJIO_WAREHOUSE), assume N units of every SKU and QC GOOD "
                             "for every returned parcel; e.g. against the demo world")
    args = types.SimpleNamespace(**vars(parser.parse_args(argv)))
    if args.assume_stock is not None and args.assume_stock < 0:
        parser.error("--assume-stock must be 0 or more")
    return args


def main(connector_class=None, argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    env = dict(os.environ)
    try:
        if env.get("AJIO_DAEMON") != "1":
            return 1 if run_once(env, connector_class, args.assume_stock) else 0
        connector = for_model(env, connector_class)(env, args.assume_stock)
    except NoWarehouse as exc:
        print(f"connector: refusing to start: {exc}", file=sys.stderr, flush=True)
        return 2
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(True))
    interval = float(env.get("AJIO_POLL_SECONDS", "30"))
    while not stop:
        try:
            connector.sync()
        except Exception as exc:  # a daemon outlives one bad sync (AJIO down, a bug on one order)
            log(f"sync failed: {exc!r}")
        time.sleep(interval)
    return 0


if __name__ == "__main__":
    sys.exit(main())

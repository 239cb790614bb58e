"""What a soak runs: the world's size and timing, the traffic's rates, and the SLAs the invariants hold.

Every number here is ajio-sim's own choice unless its comment names a source: AJIO publishes no order
curve, cancellation or return shares, or SLAs (docs/soak.md lists them as not grounded). Any field can
be changed from the command line with `--set NAME=VALUE` (durations as "30m", "4h", "1d").
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields

from contracts.control import CARRIERS
from contracts.durations import parse_duration

HOUR = 3600
DAY = 86400
# 2026-01-05 00:00 IST, a Monday: the first simulated day starts at midnight in India.
START = 1767551400

# Share of a day's orders placed in each hour (IST), 0h..23h: quiet nights, a midday plateau and the
# evening peak of Indian e-commerce traffic. Not grounded: a plausible curve, normalised when used.
DAILY_CURVE = (2.0, 1.2, 0.7, 0.5, 0.4, 0.5, 1.0, 1.8, 2.8, 3.8, 4.6, 5.2,
               5.6, 5.6, 5.2, 5.0, 5.0, 5.2, 5.6, 6.2, 7.0, 7.4, 6.4, 4.0)

PROFILES = ("exact", "realistic")
# Fields the command line sets with options of their own, never with --set.
NOT_SETTABLE = ("overrides", "model", "days", "orders_per_day", "seed", "profile", "daemon", "until_tick",
                "erp_under_test")
MODELS = ("ds", "jit", "vms")


@dataclass
class SoakConfig:
    model: str = "ds"
    days: int = 30
    orders_per_day: int = 500
    seed: int = 7
    profile: str = "exact"
    # -- the world ---------------------------------------------------------------------------------
    start: int = START
    tick: int = HOUR                  # simulated time between two connector runs while orders come in
    settle_tick: int = 4 * HOUR       # ... and after the last day, while the world finishes what is open
    settle_days: int = 14             # at most this long after the last day; stops once all is final
    catalog_size: int = 60            # more than 50 SKUs: inventory must be pushed in batches
    pdf: str = "lite"                 # documents as lines of text (fast), or "full" (laid out, ~6 ms each)
    carrier: str = ""                 # "" = AJIO picks each order's courier; a name puts every order on it
    # -- customers and couriers (shares of orders, or of delivered orders for returns) ---------------
    cancel_share: float = 0.03
    cancel_mean_delay: int = 2 * HOUR  # exponential: most cancel soon after ordering, some too late
    cancel_partial_share: float = 0.3  # of cancellations of multi-line orders: one line only
    rto_share: float = 0.04            # delivery fails, AJIO's courier brings the parcel back (RTO)
    unexpected_rto_share: float = 0.005  # the parcel comes back without AJIO's RTO expectation
    return_share: float = 0.08         # of delivered orders: the customer returns (CIR)
    return_partial_share: float = 0.3
    return_withdraw_share: float = 0.1  # of returns: withdrawn by the customer before pickup
    return_withdraw_partial_share: float = 0.5  # of withdrawals of a return of 2+ units: some units only
    return_max_delay: int = 5 * DAY    # a return comes within this long after delivery
    qc_bad_share: float = 0.15         # returned parcels the warehouse finds damaged
    # -- the warehouse -----------------------------------------------------------------------------
    initial_stock_days: float = 4.0    # opening stock per SKU, in days of its average demand
    inbound_share: float = 1.05        # a day's inbound per SKU, as a share of its average demand
    stockouts_per_week: float = 1.0    # a SKU's whole stock found damaged (counted down to 0)
    # -- AJIO's bad moments (fault rules on the connector's POB, each used once unless an outage) ----
    faults_per_day: float = 2.0        # 503, reset, cut or malformed answers, before or after processing
    throttles_per_day: float = 1.0     # a 429 with Retry-After
    throttle_retry_after: tuple = (1, 120)  # seconds announced, picked per throttle
    po_delays_per_day: float = 1.0     # an acknowledgement whose PO comes 6-30 hours late
    repeats_per_day: float = 1.0       # pendency lists an order the connector already took
    repeat_hours: int = 0              # ... once (0), or in every pendency read for this many hours
    outages_per_month: float = 1.0     # the manifest call answers 503 for outage_hours
    outage_hours: int = 14
    drifts_per_day: float = 1.0        # JIT: AJIO's view of a SKU's stock moves away from the seller's push
    late_approvals: int = 2            # JIT: SKUs in moderation at the start, approved during the soak (seed 001 row 1)
    jit_prepack: bool = False          # JIT: the channel's prepack setting (labels at picklist, seed 001 row 4)
    jit_box_capacity: int = 0          # JIT: units a box, in the warehouse's settings (0: one box a PO)
    vms_einvoice_model: str = "rms"    # VMS: "rms" (model 2: the connector e-invoices) or "erp" (model 1: an ERP
                                       # does; the soak's stand-in ERP plays it, harness/standin_erp.py)
    vms_return_model: str = "credit_note"  # VMS: "credit_note" or "rsi" (AJIO issues RSIs, the connector accepts)
    pick_short_share: float = 0.03     # acknowledged orders the warehouse cannot pick whole (a unit missing or
                                       # damaged, seed 002's case); the connector must cancel it (DS, VMS)
    vms_ack_hold: int = 4 * HOUR       # VMS: the hold before an acknowledgement reaches AJIO (seed 002: 4 hours)
    vms_late_cancel_share: float = 0.0  # VMS: orders the customer cancels after the hold (seed 004's moment; the
                                       # seller gets late_customer_cancel when > 0): partial until packing,
                                       # complete until handover, refused later
    vms_late_cancel_window: int = 8 * HOUR   # ... at a random instant up to this long after the hold ends
    # -- an ERP under test (--erp-cmd / --erp-url: VMS model 1, the ERP plays what the stand-in would) --
    erp_under_test: bool = False       # set by the command line, not by --set
    erp_faults_per_day: float = 1.0    # a 503 or reset on the ERP's own invoice or credit-note posting
    erp_throttles_per_day: float = 1.0  # a 429 (Retry-After 1 s) on the ERP's own posting
    erp_lost_answers_per_day: float = 1.0  # the ERP's answer to a posting never reaches AJIO: it comes again
    erp_quiet_seconds: float = 0.5     # wall seconds without an ERP call after which what it owes is late
    # -- SLAs (in simulated time) --------------------------------------------------------------------
    ack_sla: int = 24 * HOUR           # from placement to acknowledgement or cancellation (AJIO cancels then)
    dispatch_sla: int = 48 * HOUR      # from placement to the manifest (Fynd's AJIO SLA page: 100 % in 48 h)
    putaway_sla: int = 24 * HOUR       # from a return's arrival at the warehouse to its QC (putaway)
    credit_note_sla: int = 24 * HOUR   # from the credit note's issue to its fetch (with its PDF)
    documents_sla: int = 24 * HOUR     # from a document's issue to its fetch
    inventory_sla: int = 2 * HOUR      # how long AJIO's stock of a SKU may differ from the warehouse's
    recon_sla: int = 26 * HOUR         # JIT: ... after AJIO's view drifted (seed 001 row 8: reconciled once a day)
    returns_pull_sla: int = 24 * HOUR  # JIT: from a return's creation to its first listing in a returns pull
    backorders_every: int = 26 * HOUR  # JIT: the longest stretch without a back-order pull (seed 001)
    status_sync_sla: int = 26 * HOUR   # from an order's pickup or delivery to the connector's re-read of it (a day)
    vms_ack_within: int = 2 * HOUR     # VMS: from the end of the hold to the acknowledgement (or cancellation)
    po_fetch_sla: int = 24 * HOUR      # VMS: from AJIO's B2B PO to the connector's fetch of it
    rto_request_sla: int = 24 * HOUR   # VMS: from a parcel's return without expectation to the RTO request
    rsi_sla: int = 26 * HOUR           # VMS: from an RSI's issue to its acceptance (a day's pull)
    erp_invoice_sla: int = 2 * HOUR    # ERP: from its OUTWARD_ORDER_CREATE to AJIO's acceptance of its e-invoice
    erp_posting_sla: int = 6 * HOUR    # ERP: from a posting's first delivery to the ERP answering it 200
    retry_within_s: float = 60.0       # wall seconds a transient failure may wait for its retry
    # -- running the connector -----------------------------------------------------------------------
    daemon: bool = False
    poll_seconds: float = 0.3          # AJIO_POLL_SECONDS of a daemon
    quiet_seconds: float = 0.15        # a daemon idle this long has finished its sync
    connector_timeout: float = 300.0   # wall seconds one run may take
    until_tick: int | None = None      # stop after this tick (replaying up to a violation)
    overrides: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.model not in MODELS:
            raise ValueError(f"--model must be one of {', '.join(MODELS)}")
        if self.profile not in PROFILES:
            raise ValueError(f"--profile must be one of {', '.join(PROFILES)}")
        if self.days < 1 or self.orders_per_day < 1:
            raise ValueError("--days and --orders-per-day must be at least 1")
        if self.pdf not in ("lite", "full"):
            raise ValueError("pdf must be lite or full")
        if self.carrier and self.carrier not in CARRIERS:
            raise ValueError(f"carrier must be one of {', '.join(CARRIERS)} (or empty: AJIO picks per order)")
        if self.vms_einvoice_model not in ("rms", "erp"):
            raise ValueError("vms_einvoice_model must be rms (model 2) or erp (model 1)")
        if self.vms_return_model not in ("credit_note", "rsi"):
            raise ValueError("vms_return_model must be credit_note or rsi")
        if self.erp_under_test and (self.model != "vms" or self.vms_einvoice_model != "erp"):
            raise ValueError("an ERP under test (--erp-cmd/--erp-url) needs --model vms and model 1 "
                             "(--set vms_einvoice_model=erp): in model 2 RMS e-invoices and the ERP owes AJIO nothing")
        if self.vms_late_cancel_window <= 0:
            raise ValueError("vms_late_cancel_window must be positive")
        if self.vms_late_cancel_share and self.model != "vms":
            raise ValueError("vms_late_cancel_share is a VMS seller's setting (late_customer_cancel): needs --model vms")
        for name in ("tick", "settle_tick"):
            value = getattr(self, name)
            if value <= 0 or DAY % value:
                raise ValueError(f"{name} must divide a day (e.g. 30m, 1h, 2h, 4h, 6h), got {value} s")

    @property
    def ticks_per_day(self) -> int:
        return DAY // self.tick

    @property
    def traffic_end(self) -> int:
        return self.start + self.days * DAY

    def apply(self, assignments: list[str]) -> "SoakConfig":
        """`--set NAME=VALUE` overrides; the value is read as the field's type (durations for times)."""
        known = {f.name: f for f in fields(self)}
        for text in assignments:
            name, sep, raw = text.partition("=")
            name = name.strip().replace("-", "_")
            if not sep or name not in known or name in NOT_SETTABLE:
                settable = sorted(n for n in known if n not in NOT_SETTABLE)
                raise ValueError(f"--set {text!r}: not NAME=VALUE with NAME one of {', '.join(settable)}")
            setattr(self, name, _parse(name, getattr(self, name), raw.strip()))
            self.overrides[name] = raw.strip()
        self.__post_init__()
        return self

    def as_dict(self) -> dict:
        out = asdict(self)
        out["throttle_retry_after"] = list(self.throttle_retry_after)
        return out


_DURATIONS = {"start", "tick", "settle_tick", "cancel_mean_delay", "return_max_delay", "ack_sla", "dispatch_sla",
              "putaway_sla", "credit_note_sla", "documents_sla", "inventory_sla", "recon_sla", "returns_pull_sla",
              "backorders_every", "status_sync_sla", "vms_ack_hold", "vms_late_cancel_window", "vms_ack_within",
              "po_fetch_sla", "rto_request_sla", "rsi_sla", "erp_invoice_sla", "erp_posting_sla"}


def _parse(name: str, current: object, raw: str) -> object:
    try:
        if name in _DURATIONS:
            return parse_duration(raw)
        if isinstance(current, bool):
            if raw.lower() not in ("true", "false", "1", "0", "yes", "no"):
                raise ValueError("true or false")
            return raw.lower() in ("true", "1", "yes")
        if isinstance(current, tuple):
            return tuple(int(parse_duration(v)) for v in raw.split(",") if v.strip())
        if isinstance(current, int):
            return int(raw)
        if isinstance(current, float):
            value = float(raw)
            if name.endswith("_share") and not 0 <= value <= 1:
                raise ValueError("a share between 0 and 1")
            if value < 0:
                raise ValueError("not negative")
            return value
    except ValueError as exc:
        raise ValueError(f"--set {name}={raw}: {exc}") from None
    return raw


def _t(epoch: int | None) -> str:
    """A simulated instant as the violations show it: 2026-01-05 14:00 (IST)."""
    if epoch is None:
        return "never"
    from datetime import datetime, timedelta, timezone
    return datetime.fromtimestamp(epoch, timezone(timedelta(hours=5, minutes=30))).strftime("%Y-%m-%d %H:%M")


def _h(seconds: int) -> str:
    return f"{seconds / 3600:g} h"

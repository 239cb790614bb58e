"""Settings of one simulator instance, with the timing defaults taken from the seeds."""
from __future__ import annotations

from dataclasses import dataclass, field, fields, replace

MINUTE = 60
HOUR = 3600
DAY = 86400


@dataclass(slots=True)
class Config:
    db_url: str = "sqlite://"
    seed: int = 1
    # Required on /_sim when set; the CLI sets one whenever the server listens beyond loopback.
    admin_token: str | None = None
    # API.md: tokens live 30 minutes, no refresh call.
    token_ttl: int = 30 * MINUTE
    # The PO follows the acknowledgement after a lag; the order is "on hold" until then.
    po_lag: int = 30 * MINUTE
    # Seed 000 point 17: the credit note is fetched 2.5 h after putaway.
    credit_note_delay: int = int(2.5 * HOUR)
    # Courier timers; 0 disables the automatic event (then only /_sim drives it).
    pickup_after: int = 1 * DAY
    deliver_after: int = 3 * DAY
    return_pickup_after: int = 1 * DAY
    return_transit: int = 2 * DAY
    rto_transit: int = 3 * DAY
    # docs/dropship.md "Timing profiles": `exact` keeps the fixed timings above; `realistic` draws them
    # (and failed deliveries, RTOs, customer returns) from seeded distributions. Changeable at run time
    # (PUT /_sim/timing); this is the value a fresh or reset world starts with.
    profile: str = "exact"
    # AJIO's side of a slow seller (not grounded for acknowledgement; dispatch: Fynd's AJIO SLA page).
    # 0 turns one off. A dispatch breach is flagged, and cancels the order only when dispatch_sla_cancel.
    ack_sla: int = 24 * HOUR
    dispatch_sla: int = 48 * HOUR
    dispatch_sla_cancel: bool = False
    # Failed delivery attempts before the courier returns the parcel (RTO), one a day (Shiprocket: 3).
    max_delivery_attempts: int = 3
    reattempt_after: int = 1 * DAY
    catalog_size: int = 20
    # How GET /documents/{id} renders: "full" (laid out, simulator/pdf) or "lite" (the fields as lines of
    # text, simulator/pdf/lite.py): what `ajio-sim soak` serves, where documents go by the thousand.
    pdf: str = "full"
    max_body_bytes: int = 1024 * 1024
    # A world snapshot imported through POST /_sim/snapshot (or the dashboard) may be larger than a request.
    max_snapshot_bytes: int = 256 * 1024 * 1024
    journal_body_limit: int = 16 * 1024
    # Throttling (simulator/throttle.py): off | on | strict, and per-group {"rate", "burst"} overrides.
    throttle: str = "off"
    throttle_limits: dict = field(default_factory=dict)
    # Unchanged pendency pages answered from a per-worker cache of this many pages (simulator/fast/pagecache.py); 0 = off.
    page_cache: int = 256
    # What a commit survives (simulator/store.py, docs/scale.md): "normal" a crash of the simulator,
    # "full" also a power loss of the machine (SQLite fsyncs every commit; PostgreSQL synchronous_commit=on).
    durability: str = "normal"
    # A frozen clock starts at this epoch (tests); None = real time plus offset.
    frozen_at: int | None = None
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_mapping(cls, values: dict | None) -> "Config":
        values = dict(values or {})
        known = {f.name for f in fields(cls)}
        unknown = set(values) - known
        if unknown:
            raise ValueError(f"unknown config keys: {sorted(unknown)}")
        return replace(cls(), **values)

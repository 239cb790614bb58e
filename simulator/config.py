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
    catalog_size: int = 20
    # How GET /documents/{id} renders: "full" (laid out, simulator/pdf) or "lite" (the fields as lines of
    # text, simulator/pdf/lite.py): what `ajio-sim soak` serves, where documents go by the thousand.
    pdf: str = "full"
    max_body_bytes: int = 1024 * 1024
    journal_body_limit: int = 16 * 1024
    # Throttling (simulator/throttle.py): off | on | strict, and per-group {"rate", "burst"} overrides.
    throttle: str = "off"
    throttle_limits: dict = field(default_factory=dict)
    # Unchanged pendency pages answered from a per-worker cache of this many pages (simulator/fast/pagecache.py); 0 = off.
    page_cache: int = 256
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

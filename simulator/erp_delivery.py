"""Delivery of queued ERP postings (seeds 002, 004): claimed exactly once, posted outside any request
transaction, retried with backoff in simulated time; every attempt and answer goes to the journal. A
posting still refused after the last retry stays as a dead letter (FAILED) until it is redelivered."""
from __future__ import annotations

import json
import logging
import secrets
import socket
import threading
import urllib.error
import urllib.request

from sqlalchemy import or_, select, update

from simulator import journal
from simulator.clock import monotonic, wall_time
from simulator.errors import Conflict, NotFound, ValidationFailed
from simulator.store import erp_postings
from simulator.waiting import waiting

log = logging.getLogger(__name__)

# Seed 002: "any non-200 means the client retries". Backoff in simulated seconds: 30, 60, 120 ... 1 h.
BACKOFF_BASE = 30
BACKOFF_CAP = 3600
MAX_ATTEMPTS = 10
CLAIM_SECONDS = 60  # real seconds a claim holds a row, so a crashed worker's row is taken again
TIMEOUT = 10.0


DEAD_LETTER_RULE = "ERP-DEAD-LETTERS"


def backoff(attempts: int) -> int:
    return min(BACKOFF_BASE * 2 ** max(attempts - 1, 0), BACKOFF_CAP)


def _round_start(log: list) -> int:
    """Attempts made before the last redelivery: each redelivery gives the posting MAX_ATTEMPTS more."""
    for entry in reversed(log or []):
        if entry.get("redelivery"):
            return int(entry["attempt"])
    return 0


def _claim(sim, now: int, limit: int) -> list[dict]:
    """Take due rows for this worker; the conditional UPDATE is what makes a row go out once."""
    token = secrets.token_hex(8)
    real = int(wall_time())
    claimed = []
    with sim.store.read() as conn:  # most polls find nothing: no write lock for them
        due = conn.execute(select(erp_postings.c.id).where(
            erp_postings.c.status == "PENDING", erp_postings.c.next_attempt_at <= now).limit(1)).first()
    if due is None:
        return claimed
    # Postings about one order go out in order: CANCEL or COMPLETE never overtakes its CREATE, also not a
    # CREATE that became a dead letter (redelivered later, it would bring back a cancelled order). Held-back
    # rows are left out in SQL, so a crowd of them never hides a sendable row behind the limit.
    earlier = erp_postings.alias("earlier")
    held_back = select(earlier.c.id).where(earlier.c.entity_id == erp_postings.c.entity_id,
                                           earlier.c.id < erp_postings.c.id,
                                           earlier.c.status.in_(("PENDING", "FAILED"))).exists()
    with sim.store.write() as conn:
        rows = conn.execute(select(erp_postings).where(
            erp_postings.c.status == "PENDING", erp_postings.c.next_attempt_at <= now, ~held_back,
            or_(erp_postings.c.claimed_until.is_(None), erp_postings.c.claimed_until < real))
            .order_by(erp_postings.c.id).limit(limit)).mappings().all()
        for row in rows:
            taken = conn.execute(update(erp_postings).where(
                erp_postings.c.id == row["id"], erp_postings.c.status == "PENDING",
                or_(erp_postings.c.claimed_until.is_(None), erp_postings.c.claimed_until < real))
                .values(claim_token=token, claimed_until=real + CLAIM_SECONDS)).rowcount
            if taken:
                claimed.append({**dict(row), "claim_token": token})
    return claimed


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A 3xx is an answer other than 2xx (retried), never a POST silently turned into a GET elsewhere."""

    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def _post(url: str, payload: dict, event_type: str) -> tuple[int | None, str, bool]:
    """(HTTP status or None, answer, reached): reached is False only when the ERP cannot have read the posting
    (connection refused, unknown host, bad URL); a timeout or a reset may come after the ERP took it."""
    data = json.dumps(payload).encode()
    req = urllib.request.Request(url, data=data, method="POST", headers={
        "Content-Type": "application/json", "X-Ajio-Sim-Event": event_type})
    try:
        with waiting(), _OPENER.open(req, timeout=TIMEOUT) as resp:  # other requests run meanwhile
            return resp.status, resp.read(4096).decode("utf-8", "replace"), True
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(4096).decode("utf-8", "replace"), True
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        reached = not isinstance(reason, (ConnectionRefusedError, socket.gaierror, ValueError))
        return None, f"connection error: {reason}", reached


def _attempt(sim, row: dict) -> str:
    t0 = monotonic()
    status, answer, reached = _post(row["url"], row["payload"], row["event_type"])
    ok = status is not None and 200 <= status < 300
    with sim.store.write() as conn:
        now = sim.clock.now(conn)
        attempts = row["attempts"] + 1
        current = conn.execute(select(erp_postings.c.log).where(erp_postings.c.id == row["id"])).scalar()
        if current is None:  # the world was reset while the posting was in flight: nothing left to record
            return "PENDING"
        this_round = attempts - _round_start(current)
        if ok:
            outcome, next_at = "DELIVERED", None
        elif this_round >= MAX_ATTEMPTS:
            outcome, next_at = "FAILED", None
        else:
            outcome, next_at = "PENDING", now + backoff(this_round)
        entry = {"attempt": attempts, "at": now, "status": status, "answer": answer[:500], "reached": reached,
                 "outcome": "delivered" if ok else (
                     f"dead letter: redeliver with POST /_sim/erp/postings/{row['id']}/redeliver"
                     if outcome == "FAILED" else f"retry at {next_at}")}
        conn.execute(update(erp_postings).where(erp_postings.c.id == row["id"],
                                                erp_postings.c.claim_token == row["claim_token"])
                     .values(status=outcome, attempts=attempts, next_attempt_at=next_at,
                             delivered_at=now if ok else None, claim_token=None, claimed_until=None,
                             log=[*current, entry]))
        journal.record(conn, at=now, pob_id=row["pob_id"], method="POST", path=row["url"][:512],
                       query=f"erp_posting={row['id']}&eventType={row['event_type']}&attempt={attempts}",
                       status=status or 0, duration_ms=int((monotonic() - t0) * 1000),
                       request_body=json.dumps(row["payload"]), response_body=answer,
                       entity_ids=[row["entity_id"], f"ERP{row['id']}"], limit=sim.config.journal_body_limit)
    return outcome


def deliver_due(sim, limit: int = 50) -> dict:
    """Post every posting due at the simulated now (one attempt each); answers what happened."""
    counts = {"attempted": 0, "delivered": 0, "retrying": 0, "failed": 0}
    # Rounds: a posting held back behind an earlier one about the same order goes in the next round,
    # once that one is delivered. A failed attempt is due later, so the rounds end.
    for _ in range(100):
        rows = _claim(sim, sim.now(), limit)
        if not rows:
            break
        for row in rows:
            outcome = _attempt(sim, row)
            counts["attempted"] += 1
            counts[{"DELIVERED": "delivered", "PENDING": "retrying", "FAILED": "failed"}[outcome]] += 1
    return counts


def redeliver(conn, now: int, *, posting_id: int | None = None, pob_id: str | None = None) -> list[int]:
    """Dead letters (FAILED) back to PENDING, due now, with MAX_ATTEMPTS more: one posting, or every dead
    letter of a POB. The log keeps every earlier attempt and says when the redelivery was asked for."""
    stmt = select(erp_postings.c.id, erp_postings.c.status, erp_postings.c.attempts, erp_postings.c.log)
    if posting_id is not None:
        row = conn.execute(stmt.where(erp_postings.c.id == posting_id)).first()
        if row is None:
            raise NotFound(f"ERP posting {posting_id} not found", field="id")
        if row.status != "FAILED":
            raise Conflict(f"ERP posting {posting_id} is {row.status}: only a dead letter (FAILED) is redelivered",
                           field="id", rule=DEAD_LETTER_RULE)
        rows = [row]
    else:
        if not pob_id:
            raise ValidationFailed("name the POB whose dead letters to redeliver", field="pob_id")
        rows = conn.execute(stmt.where(erp_postings.c.pob_id == pob_id, erp_postings.c.status == "FAILED")
                            .order_by(erp_postings.c.id)).all()
    done = []
    for row in rows:
        # The log's entries share one shape (contracts/control_answers.DeliveryAttempt): a redelivery is
        # marked by `redelivery`, at the attempt count it was asked after, with no HTTP status of its own.
        entry = {"attempt": row.attempts, "at": now, "status": None, "answer": "", "outcome": "redelivery requested",
                 "redelivery": True}
        changed = conn.execute(update(erp_postings).where(erp_postings.c.id == row.id,
                                                          erp_postings.c.status == "FAILED")
                               .values(status="PENDING", next_attempt_at=now, claim_token=None, claimed_until=None,
                                       log=[*(row.log or []), entry])).rowcount
        if changed:
            done.append(int(row.id))
    return done


def postings(conn, *, pob_id=None, event_type=None, entity_id=None, status=None, limit: int = 500) -> list[dict]:
    stmt = select(erp_postings)
    for column, value in ((erp_postings.c.pob_id, pob_id), (erp_postings.c.event_type, event_type),
                          (erp_postings.c.entity_id, entity_id), (erp_postings.c.status, status)):
        if value:
            stmt = stmt.where(column == value)
    rows = conn.execute(stmt.order_by(erp_postings.c.id).limit(limit)).mappings().all()
    return [{k: v for k, v in dict(r).items() if k not in ("claim_token", "claimed_until")} for r in rows]


class DeliveryWorker:
    """The serve process's background sender: polls for due postings every `interval` real seconds."""

    def __init__(self, sim, interval: float = 0.2) -> None:
        self.sim, self.interval = sim, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="erp-delivery", daemon=True)

    def start(self) -> "DeliveryWorker":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=TIMEOUT + 5)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                deliver_due(self.sim)
            except Exception:  # a broken row or store hiccup must not kill delivery for good
                log.exception("ERP delivery round failed")

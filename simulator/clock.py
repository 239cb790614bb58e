"""The one simulated clock: real time plus an offset, or frozen; persisted in the store."""
from __future__ import annotations

import time

from sqlalchemy import select

from contracts.common import MAX_CLOCK
from simulator.errors import ValidationFailed
from simulator.store import meta_table

# Read on every request: built once (building a statement costs 5x executing a prebuilt one).
CLOCK_STATE = select(meta_table.c.value).where(meta_table.c.key == "clock")
_STATE_LOCKED = CLOCK_STATE.with_for_update()


def wall_time() -> float:
    # The only place that reads the wall clock (DESIGN rule 5); freezegun patches time.time.
    return time.time()


def monotonic() -> float:
    """Real elapsed time, for measuring how long a request took; never simulated time."""
    return time.perf_counter()


class Clock:
    """Shared by every worker because its state lives in the store, not in the process."""

    def __init__(self, store) -> None:
        self.store = store

    def _state(self, conn, lock: bool = False) -> dict:
        # A change reads the row it rewrites under a lock: two advances add up (PostgreSQL).
        row = conn.execute(_STATE_LOCKED if lock else CLOCK_STATE).first()
        return row[0] if row else {"offset": 0.0, "frozen_at": None}

    def now(self, conn=None) -> int:
        if conn is None:
            with self.store.read() as c:
                return self.now(c)
        return self.at(self._state(conn))

    @staticmethod
    def at(state: dict | None) -> int:
        """The simulated now for a stored clock state (None: no clock stored yet, real time)."""
        state = state or {"offset": 0.0, "frozen_at": None}
        if state.get("frozen_at") is not None:
            return int(state["frozen_at"])
        return int(wall_time() + state.get("offset", 0.0))

    def describe(self, conn) -> dict:
        state = self._state(conn)
        now = self.now(conn)
        frozen = state.get("frozen_at") is not None
        # A frozen clock has no offset from wall time (the stored one is stale until it thaws).
        return {"now": now, "frozen": frozen, "offset_seconds": None if frozen else int(now - wall_time())}

    def _save(self, conn, state: dict) -> None:
        self.store.put_meta(conn, "clock", state)

    def advance(self, conn, seconds: int) -> int:
        self._state(conn, lock=True)
        current = self.now(conn)
        if current + seconds > MAX_CLOCK:  # the step may be fine and still land where no date prints
            raise ValidationFailed(f"advancing {seconds} s from {current} passes the latest simulated instant "
                                   f"{MAX_CLOCK} (9999-01-01T00:00:00Z)", field="seconds")
        state = self._state(conn)
        if state.get("frozen_at") is not None:
            state["frozen_at"] = int(state["frozen_at"]) + seconds
        else:
            state["offset"] = state.get("offset", 0.0) + seconds
        self._save(conn, state)
        return self.now(conn)

    def set(self, conn, epoch: int) -> int:
        self._state(conn, lock=True)
        current = self.now(conn)
        if epoch < current:
            raise ValidationFailed(f"the simulated clock only moves forward (now {current}, asked {epoch}): "
                                   f"timelines already written would become illegal", field="now")
        state = self._state(conn)
        if state.get("frozen_at") is not None:
            state["frozen_at"] = int(epoch)
        else:
            state["offset"] = epoch - wall_time()
        self._save(conn, state)
        return self.now(conn)

    def freeze(self, conn, frozen: bool) -> int:
        state = self._state(conn, lock=True)
        current = self.now(conn)
        if frozen:
            state["frozen_at"] = current
        else:
            state["frozen_at"] = None
            state["offset"] = current - wall_time()
        self._save(conn, state)
        return self.now(conn)

"""What every domain operation works with: a connection, the simulated now, ids, data, config."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from sqlalchemy import bindparam, insert, select, update

from simulator.domain.machine import Machine
from simulator.errors import ConcurrentUpdate, NotFound
from simulator.store import Store, orders, prebuilt, returns, transitions


@dataclass(slots=True)
class Ctx:
    conn: object
    store: Store
    now: int
    ids: object
    data: object
    config: object
    doc_url: Callable[[str], str] = lambda document_id: f"/documents/{document_id}"
    touched: list[str] = field(default_factory=list)
    # What the domain accepted but marks as a contract violation in the request's journal entry
    # ({"field", "message", "rule_id"}): a mistake AJIO is not known to refuse (a document's date).
    flags: list[dict] = field(default_factory=list)

    def seq(self, name: str) -> int:
        return self.store.next_seq(self.conn, name)

    def at(self, now: int) -> "Ctx":
        """The same context seen at another instant (a timer fires at its due time)."""
        return Ctx(self.conn, self.store, now, self.ids, self.data, self.config, self.doc_url, self.touched,
                   self.flags)

    def flag(self, field_name: str, message: str, rule: str) -> None:
        self.flags.append({"field": field_name, "message": message, "rule_id": rule})


_TABLES = {"order": (orders, "order_id"), "return": (returns, "return_order_id")}
# Every transition loads and saves its record: both statements built once per table.
_LOAD = {entity: prebuilt(select(table).where(table.c[key] == bindparam("id"))) for entity, (table, key) in _TABLES.items()}
_SAVE = {entity: prebuilt(update(table).where(table.c[key] == bindparam("id"), table.c.version == bindparam("v_old"))
         .values(status=bindparam("v_status"), updated_at=bindparam("v_now"), version=bindparam("v_new"),
                 data=bindparam("v_data")))
         for entity, (table, key) in _TABLES.items()}


def load(ctx: Ctx, entity: str, entity_id: str, pob_id: str | None = None) -> dict:
    """Load an order or return; another POB's record answers exactly like a missing one."""
    table, key = _TABLES[entity]
    row = ctx.conn.execute(_LOAD[entity], {"id": entity_id}).mappings().first()
    if row is None or (pob_id is not None and row["pob_id"] != pob_id):
        raise NotFound(f"{entity} {entity_id} not found", field=key)
    rec = dict(row)
    rec["data"] = dict(rec["data"])
    ctx.touched.append(entity_id)
    return rec


def save(ctx: Ctx, entity: str, rec: dict) -> None:
    """Write back with an optimistic version check: a lost update becomes a retry, never a loss."""
    table, key = _TABLES[entity]
    done = ctx.conn.execute(_SAVE[entity], {"id": rec[key], "v_old": rec["version"], "v_status": rec["status"],
                                            "v_now": ctx.now, "v_new": rec["version"] + 1,
                                            "v_data": rec["data"]}).rowcount
    if done != 1:
        raise ConcurrentUpdate(f"{entity} {rec[key]} was changed by another request; retry")
    rec["version"] += 1


_INSERT_TRANSITION = prebuilt(insert(transitions))  # every move: the row bound as parameters


def transition_row(ctx: Ctx, entity: str, entity_id: str, from_status: str | None, to_status: str,
                   cause: str) -> dict:
    return {"entity_kind": entity, "entity_id": entity_id, "at": ctx.now, "from_status": from_status,
            "to_status": to_status, "cause": cause}


def record_transition(ctx: Ctx, entity: str, entity_id: str, from_status: str | None, to_status: str,
                      cause: str) -> None:
    ctx.conn.execute(_INSERT_TRANSITION, transition_row(ctx, entity, entity_id, from_status, to_status, cause))


def move(ctx: Ctx, machine: Machine, rec: dict, event: str, cause: str) -> str:
    """Apply one transition from the machine's table and append it to the record's timeline."""
    key = _TABLES[machine.entity][1]
    new = machine.next(rec["status"], event)
    record_transition(ctx, machine.entity, rec[key], rec["status"], new, cause)
    rec["status"] = new
    return new


def timeline(conn, entity_id: str) -> list[dict]:
    rows = conn.execute(select(transitions).where(transitions.c.entity_id == entity_id)
                        .order_by(transitions.c.id)).mappings()
    return [{"at": r["at"], "from": r["from_status"], "to": r["to_status"], "cause": r["cause"]} for r in rows]

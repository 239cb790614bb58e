"""World snapshots: the whole store to one JSON document, and that document into a store, replacing its world.

Everything the world is lives in the store, so a snapshot is the store's tables: sellers and POBs,
tokens, catalogues and stock, orders and returns with their timelines, documents, manifests, timers,
the journal, ERP postings, fault rules, throttling and its buckets, the id sequences, and the clock
(as the simulated now and whether it is frozen: a running clock resumes from that instant on import).
Tables the store derives by itself (order counts and versions, the journal's entity index) are
rebuilt, not carried. Server options (--po-lag, --page-cache, ...) are not the world and stay as
the importing server was started. The file format is ours: contracts/snapshot.py.
"""
from __future__ import annotations

from marshmallow import ValidationError
from sqlalchemy import Integer, select
from sqlalchemy.exc import DBAPIError

from contracts.snapshot import FORMAT, FORMAT_VERSION, SnapshotRequest
from simulator import __version__
from simulator.clock import wall_time
from simulator.errors import Conflict, ValidationFailed
from simulator.store import journal, journal_entities, meta_table, metadata

# Kept by triggers (counts, versions) or rebuilt from the journal (its entity index).
DERIVED = frozenset({"order_counts", "order_versions", "journal_entities"})
# A delivery worker's lease on a posting, in real time: meaningless in another process or hour.
RELEASED = {"erp_postings": ("claim_token", "claimed_until")}
BATCH = 500


class SeedMismatch(Conflict):
    code = "SEED_MISMATCH"


def carried_tables():
    return [t for t in metadata.sorted_tables if t.name not in DERIVED]


def export_world(sim) -> dict:
    """The whole world at one moment (one consistent read of every table)."""
    tables = {}
    with sim.store.consistent_read() as conn:
        clock = sim.clock.describe(conn)
        for table in carried_tables():
            rows = conn.execute(select(table).order_by(*table.primary_key.columns)).all()
            if table is meta_table:  # the clock is carried as the simulated now, not as a wall-clock offset
                rows = [r for r in rows if r[0] != "clock"]
            tables[table.name] = {"columns": [c.name for c in table.columns], "rows": [list(r) for r in rows]}
    return {"format": FORMAT, "format_version": FORMAT_VERSION, "ajio_sim": __version__, "seed": sim.config.seed,
            "clock": {"now": clock["now"], "frozen": clock["frozen"]},
            "counts": {name: len(t["rows"]) for name, t in tables.items()}, "tables": tables}


def _records(name: str, table, dump: dict) -> list[dict]:
    """The file's rows of one table as column -> value, every column of the table named exactly."""
    expected = [c.name for c in table.columns]
    given = dump["columns"]
    unknown = [c for c in given if c not in expected]
    missing = [c for c in expected if c not in given]
    if unknown or missing or len(set(given)) != len(given):
        what = f"unknown column {unknown[0]!r}" if unknown else (f"column {missing[0]!r} missing" if missing
                                                                   else "a column named twice")
        raise ValidationFailed(f"tables.{name}: {what} (this simulator's {name} has {', '.join(expected)})",
                               field=f"tables.{name}.columns")
    released = RELEASED.get(name, ())
    out = []
    for n, row in enumerate(dump["rows"]):
        if len(row) != len(given):
            raise ValidationFailed(f"tables.{name}.rows[{n}]: {len(row)} values for {len(given)} columns",
                                   field=f"tables.{name}.rows[{n}]")
        record = dict(zip(given, row))
        for column in released:
            record[column] = None
        out.append(record)
    return out


def import_world(sim, doc: dict) -> dict:
    """Replace the world with the snapshot's, in one transaction: a refused file changes nothing."""
    if doc["seed"] != sim.config.seed:
        raise SeedMismatch(f"this snapshot was written by a simulator started with --seed {doc['seed']}; this one "
                           f"runs with --seed {sim.config.seed}, so the ids it issues next would not follow the "
                           f"snapshot's: start it with --seed {doc['seed']}", field="seed")
    known = {t.name: t for t in carried_tables()}
    unknown = sorted(set(doc["tables"]) - set(known))
    if unknown:
        hint = " (rebuilt by the store, not carried)" if unknown[0] in DERIVED else ""
        raise ValidationFailed(f"tables: unknown table {unknown[0]!r}{hint}", field=f"tables.{unknown[0]}")
    # Every row is checked before the store is touched; a table the file lacks is empty.
    records = {name: _records(name, known[name], dump) for name, dump in doc["tables"].items()}
    if any(r.get("key") == "clock" for r in records.get("meta", [])):
        raise ValidationFailed("tables.meta: the clock is carried by the snapshot's 'clock', not as a meta row",
                               field="tables.meta.rows")
    now, frozen = doc["clock"]["now"], doc["clock"]["frozen"]
    store = sim.store
    with store.write() as conn:
        for table in reversed(metadata.sorted_tables):
            conn.execute(table.delete())
        for table in carried_tables():
            rows = records.get(table.name, [])
            try:
                for start in range(0, len(rows), BATCH):
                    conn.execute(table.insert(), rows[start:start + BATCH])
            except DBAPIError as exc:  # a wrong type, a key twice: the file's fault, named
                reason = str(exc.orig).strip().splitlines()[0][:300]
                raise ValidationFailed(f"tables.{table.name}: the rows cannot be stored: {reason}",
                                       field=f"tables.{table.name}.rows") from None
        _index_journal(conn)
        store.put_meta(conn, "clock", {"offset": 0.0, "frozen_at": now} if frozen
                       else {"offset": now - wall_time(), "frozen_at": None})
        if store.dialect == "postgresql":
            _advance_serials(conn)
    sim.pages.clear()  # not needed for correctness (page versions are fresh draws); frees the memory
    return {"status": "SUCCESS", "format_version": FORMAT_VERSION, "clock": {"now": now, "frozen": frozen},
            "counts": {name: len(rows) for name, rows in records.items()}}


def load_file_world(sim, raw: dict) -> dict:
    """import_world for a file read outside a request (`ajio-sim serve --snapshot FILE`): the same checks."""
    try:
        doc = SnapshotRequest().load(raw)
    except ValidationError as exc:
        field, message = _first_problem(exc.normalized_messages())
        raise ValidationFailed(f"{field}: {message}", field=field) from None
    return import_world(sim, doc)


def _first_problem(messages, path: str = "") -> tuple[str, str]:
    """marshmallow's nested messages -> the first (field path, message), e.g. ("clock.now", "Not a valid integer.")."""
    if isinstance(messages, dict):
        key, value = next(iter(messages.items()))
        key = "body" if key == "_schema" else key
        return _first_problem(value, f"{path}[{key}]" if isinstance(key, int) else (f"{path}.{key}" if path else key))
    if isinstance(messages, list) and messages:
        return _first_problem(messages[0], path) if isinstance(messages[0], (dict, list)) else (path, str(messages[0]))
    return path or "body", str(messages)


def _index_journal(conn) -> None:
    rows = conn.execute(select(journal.c.id, journal.c.entity_ids).where(journal.c.entity_ids.is_not(None)))
    batch = [{"entity_id": e, "journal_id": jid} for jid, ids in rows for e in (ids or [])]
    for start in range(0, len(batch), BATCH):
        conn.execute(journal_entities.insert(), batch[start:start + BATCH])


def _advance_serials(conn) -> None:
    """PostgreSQL: rows came with their ids, so each serial must move past the largest (SQLite does it itself)."""
    for table in carried_tables():
        for column in table.primary_key.columns:
            if column.autoincrement is True and isinstance(column.type, Integer):
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'), "
                    f"COALESCE((SELECT MAX({column.name}) FROM {table.name}), 0) + 1, false)")

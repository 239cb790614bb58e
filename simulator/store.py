"""The one store: SQLAlchemy Core tables on SQLite (file or memory) or PostgreSQL."""
from __future__ import annotations

import threading
from contextlib import contextmanager, nullcontext

from sqlalchemy import (JSON, BigInteger, Boolean, Column, Float, Index, Integer, MetaData, String, Table, Text,
                        create_engine, event, insert, select, update)
from sqlalchemy.pool import StaticPool

metadata = MetaData()

meta_table = Table(
    "meta", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", JSON, nullable=False),
)

sequences = Table(
    "sequences", metadata,
    Column("name", String(128), primary_key=True),
    Column("value", BigInteger, nullable=False),
)

sellers = Table(
    "sellers", metadata,
    Column("seller_id", String(32), primary_key=True),
    Column("created_at", BigInteger, nullable=False),
    Column("data", JSON, nullable=False),
)

pobs = Table(
    "pobs", metadata,
    Column("pob_id", String(32), primary_key=True),
    Column("seller_id", String(32), nullable=False, index=True),
    Column("password", String(128), nullable=False),
    Column("model", String(8), nullable=False),
    Column("store_code", String(64), nullable=False, unique=True),
    Column("created_at", BigInteger, nullable=False),
    Column("settings", JSON, nullable=False),
)

tokens = Table(
    "tokens", metadata,
    Column("token", String(128), primary_key=True),
    Column("pob_id", String(32), nullable=False),
    Column("issued_at", BigInteger, nullable=False),
    Column("expires_at", BigInteger, nullable=False),
)

products = Table(
    "products", metadata,
    Column("pob_id", String(32), primary_key=True),
    Column("sku", String(128), primary_key=True),
    Column("published_status", String(16), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
    Column("data", JSON, nullable=False),
)

orders = Table(
    "orders", metadata,
    Column("order_id", String(32), primary_key=True),
    Column("pob_id", String(32), nullable=False),
    Column("model", String(8), nullable=False),
    Column("status", String(32), nullable=False),
    Column("order_date", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
    Column("version", Integer, nullable=False),
    Column("data", JSON, nullable=False),
    Index("ix_orders_pob_status_date", "pob_id", "status", "order_date", "order_id"),
)

returns = Table(
    "returns", metadata,
    Column("return_order_id", String(32), primary_key=True),
    Column("pob_id", String(32), nullable=False),
    Column("order_id", String(32), nullable=False, index=True),
    Column("return_type", String(32), nullable=False),
    Column("status", String(32), nullable=False),
    Column("return_date", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
    Column("version", Integer, nullable=False),
    Column("data", JSON, nullable=False),
    Index("ix_returns_pob_date", "pob_id", "return_date", "return_order_id"),
)

transitions = Table(
    "transitions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("entity_kind", String(16), nullable=False),
    Column("entity_id", String(32), nullable=False),
    Column("at", BigInteger, nullable=False),
    Column("from_status", String(32)),
    Column("to_status", String(32), nullable=False),
    Column("cause", Text, nullable=False),
    Index("ix_transitions_entity", "entity_id", "id"),
)

documents = Table(
    "documents", metadata,
    Column("document_id", String(40), primary_key=True),
    Column("pob_id", String(32), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("entity_id", String(32), nullable=False, index=True),
    Column("created_at", BigInteger, nullable=False),
    Column("payload", JSON, nullable=False),
)

manifests = Table(
    "manifests", metadata,
    Column("manifest_id", String(32), primary_key=True),
    Column("pob_id", String(32), nullable=False, index=True),
    Column("created_at", BigInteger, nullable=False),
    Column("data", JSON, nullable=False),
)

timers = Table(
    "timers", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(32), nullable=False),
    Column("entity_id", String(32), nullable=False),
    Column("due_at", BigInteger, nullable=False),
    Column("fired_at", BigInteger),
    Index("ix_timers_pending", "fired_at", "due_at"),
)

journal = Table(
    "journal", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", BigInteger, nullable=False),
    Column("pob_id", String(32)),
    Column("method", String(8), nullable=False),
    Column("path", String(512), nullable=False),
    Column("query", Text),
    Column("status", Integer, nullable=False),
    Column("duration_ms", Integer, nullable=False),
    Column("request_body", Text),
    Column("response_body", Text),
    Column("entity_ids", JSON),
    Column("violations", JSON),
    Column("faults", JSON),
    Index("ix_journal_pob", "pob_id", "id"),
)

# VMS lists a POB's orders by creation date whatever their status (seed 002: date filters).
Index("ix_orders_pob_date", orders.c.pob_id, orders.c.order_date, orders.c.order_id)

# VMS (seed 002): return sales invoices AJIO issues in the RSI return model.
rsi_documents = Table(
    "rsi_documents", metadata,
    Column("rsi_number", String(32), primary_key=True),
    Column("pob_id", String(32), nullable=False),
    Column("status", String(16), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
    Column("version", Integer, nullable=False),
    Column("data", JSON, nullable=False),
    Index("ix_rsi_pob_created", "pob_id", "created_at", "rsi_number"),
)

# Postings to a seller's ERP (seeds 002, 004): an outbox written in the same transaction as the
# change it reports; a delivery worker claims each due row (claim_token, claimed_until in real
# time) and posts it outside any request transaction, retrying at next_attempt_at (simulated).
erp_postings = Table(
    "erp_postings", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("pob_id", String(32), nullable=False),
    Column("event_type", String(32), nullable=False),
    Column("entity_id", String(32), nullable=False),
    Column("url", Text, nullable=False),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("next_attempt_at", BigInteger),
    Column("delivered_at", BigInteger),
    Column("claim_token", String(64)),
    Column("claimed_until", BigInteger),
    Column("payload", JSON, nullable=False),
    Column("log", JSON, nullable=False),
    Index("ix_erp_postings_due", "status", "next_attempt_at"),
    Index("ix_erp_postings_pob", "pob_id", "id"),
)


# JIT (seed 001): boxes (LPN) packed or prefetched, unique per POB; and what the seller last pushed
# beside AJIO's view of stock (products.quantity), with the drift QA injected since.
jit_boxes = Table(
    "jit_boxes", metadata,
    Column("pob_id", String(32), primary_key=True),
    Column("box_id", String(64), primary_key=True),
    Column("seal_id", String(64)),
    Column("order_id", String(32), nullable=False, index=True),
    Column("status", String(16), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("data", JSON, nullable=False),
)

jit_stock = Table(
    "jit_stock", metadata,
    Column("pob_id", String(32), primary_key=True),
    Column("sku", String(128), primary_key=True),
    Column("pushed", Integer),
    Column("pushed_at", BigInteger),
    Column("drift", Integer, nullable=False),
)

# Fault rules (simulator/faults): shared by every worker through the store. `hits` counts matches
# (it also seeds the rule's probability draws), `remaining` the applications left (None = unlimited).
faults = Table(
    "faults", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", BigInteger, nullable=False),
    Column("rule", JSON, nullable=False),
    Column("hits", Integer, nullable=False),
    Column("applied", Integer, nullable=False),
    Column("remaining", Integer),
    Column("state", JSON, nullable=False),
)

# Throttling token buckets (simulator/throttle.py): one row per POB and operation group.
throttle_buckets = Table(
    "throttle_buckets", metadata,
    Column("pob_id", String(32), primary_key=True),
    Column("grp", String(16), primary_key=True),
    Column("tokens", Float, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
    Column("blocked_until", BigInteger),
)


def _is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


class Store:
    """Owns the engine; `read()` and `write()` hand out connections inside a transaction."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._lock = nullcontext()
        if _is_sqlite(url):
            memory = url in ("sqlite://", "sqlite:///:memory:")
            kwargs = {"connect_args": {"check_same_thread": False, "timeout": 30}}
            if memory:
                # One connection shared by the app (a memory database exists per connection), so
                # threads of a threaded server take turns on it.
                kwargs["poolclass"] = StaticPool
                self._lock = threading.RLock()
            self.engine = create_engine(url, **kwargs)
            self._configure_sqlite(memory)
        else:
            self.engine = create_engine(url, pool_pre_ping=True)
        self.dialect = self.engine.dialect.name

    def _configure_sqlite(self, memory: bool) -> None:
        @event.listens_for(self.engine, "connect")
        def _on_connect(dbapi_conn, _record):
            # Take transaction control from pysqlite so writers can BEGIN IMMEDIATE (no
            # read-then-upgrade deadlocks between workers).
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            if not memory:
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        @event.listens_for(self.engine, "begin")
        def _on_begin(conn):
            mode = "IMMEDIATE" if conn.get_execution_options().get("writing") else "DEFERRED"
            conn.exec_driver_sql(f"BEGIN {mode}")

    def create_schema(self) -> None:
        metadata.create_all(self.engine)

    def drop_all(self) -> None:
        metadata.drop_all(self.engine)

    @contextmanager
    def read(self):
        with self._lock, self.engine.connect() as conn:
            with conn.begin():
                yield conn

    @contextmanager
    def write(self):
        with self._lock, self.engine.connect().execution_options(writing=True) as conn:
            with conn.begin():
                yield conn

    # -- small helpers shared by the domain ------------------------------------------------
    def put_meta(self, conn, key: str, value) -> None:
        done = conn.execute(update(meta_table).where(meta_table.c.key == key).values(value=value)).rowcount
        if not done:
            conn.execute(insert(meta_table).values(key=key, value=value))

    def get_meta(self, conn, key: str, default=None):
        row = conn.execute(select(meta_table.c.value).where(meta_table.c.key == key)).first()
        return row[0] if row else default

    def next_seq(self, conn, name: str) -> int:
        """Atomically take the next number of a named sequence (created at 1 on first use)."""
        row = conn.execute(update(sequences).where(sequences.c.name == name)
                           .values(value=sequences.c.value + 1).returning(sequences.c.value)).first()
        if row is not None:
            return int(row[0])
        conn.execute(insert(sequences).values(name=name, value=1))
        return 1

    def reset(self) -> None:
        with self.write() as conn:
            for table in reversed(metadata.sorted_tables):
                conn.execute(table.delete())


__all__ = ["Store", "metadata", "meta_table", "sequences", "sellers", "pobs", "tokens", "products",
           "orders", "returns", "transitions", "documents", "manifests", "timers", "journal", "Boolean",
           "jit_boxes", "jit_stock", "faults", "throttle_buckets", "rsi_documents", "erp_postings"]

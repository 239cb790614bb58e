"""The one store: SQLAlchemy Core tables on SQLite (file or memory) or PostgreSQL."""
from __future__ import annotations

import os
import threading
from contextlib import contextmanager, nullcontext

try:
    import fcntl
except ImportError:  # not POSIX: SQLite's own busy handler alone orders the writers
    fcntl = None

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    bindparam,
    create_engine,
    event,
    func,
    inspect,
    select,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.pool import StaticPool

from simulator.errors import ConcurrentUpdate
from simulator.fast.checkpoint import BACKSTOP_PAGES, Checkpointer
from simulator.fast.jsonfast import dumps as json_dumps
from simulator.fast.jsonfast import loads as json_loads
from simulator.fast.lean import MAX_PREPARED, LeanConn, Prepared, SplitConn

metadata = MetaData()

# Statements built once (module constants) that read() and write() run on the transaction's driver
# cursor instead of SQLAlchemy's per-call layer (simulator/fast/lean.py, SplitConn). Held here for
# good, so an id is never reused by another object.
_PREBUILT: dict[int, object] = {}


def prebuilt(stmt):
    """Mark a module-constant statement to run on the driver inside Store.read()/write(); returns it.

    Only statements built once belong here (their values bound as parameters): each is compiled once
    per store with SQLAlchemy's own compiler, so the SQL and the decoded rows are what SQLAlchemy gives."""
    _PREBUILT[id(stmt)] = stmt
    return stmt

meta_table = Table(
    "meta", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", JSON, nullable=False),
)
# Read on most writes (the timing settings: labels, pickups, deliveries): on the driver, built once.
_GET_META = prebuilt(select(meta_table.c.value).where(meta_table.c.key == bindparam("key")))

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
    # The dashboard's newest-first lists (keyset paging) across POBs and by status. One POB's list
    # sorts that POB's entries of the index above (no (pob_id, order_date) index: SQLite would then
    # prefer it for the API's `pob_id AND status IN (...)` lists and scan instead of seek).
    Index("ix_orders_date", "order_date", "order_id"),
    Index("ix_orders_status_date", "status", "order_date", "order_id"),
)

# How many orders each POB has in each status, kept by triggers on `orders` (whatever code writes
# them): page counts (totalElements) read one row instead of counting 1M index entries.
order_counts = Table(
    "order_counts", metadata,
    Column("pob_id", String(32), primary_key=True),
    Column("status", String(32), primary_key=True),
    Column("n", BigInteger, nullable=False),
)

_COUNT_TRIGGERS = {
    "sqlite": [
        """CREATE TRIGGER IF NOT EXISTS order_counts_ins AFTER INSERT ON orders BEGIN
             INSERT INTO order_counts (pob_id, status, n) VALUES (NEW.pob_id, NEW.status, 1)
               ON CONFLICT (pob_id, status) DO UPDATE SET n = n + 1;
           END""",
        """CREATE TRIGGER IF NOT EXISTS order_counts_upd AFTER UPDATE OF status, pob_id ON orders
           WHEN OLD.status IS NOT NEW.status OR OLD.pob_id IS NOT NEW.pob_id BEGIN
             UPDATE order_counts SET n = n - 1 WHERE pob_id = OLD.pob_id AND status = OLD.status;
             INSERT INTO order_counts (pob_id, status, n) VALUES (NEW.pob_id, NEW.status, 1)
               ON CONFLICT (pob_id, status) DO UPDATE SET n = n + 1;
           END""",
        """CREATE TRIGGER IF NOT EXISTS order_counts_del AFTER DELETE ON orders BEGIN
             UPDATE order_counts SET n = n - 1 WHERE pob_id = OLD.pob_id AND status = OLD.status;
           END""",
    ],
    "postgresql": [
        """CREATE OR REPLACE FUNCTION ajio_sim_order_counts() RETURNS trigger AS $$
           BEGIN
             IF TG_OP = 'UPDATE' AND OLD.status = NEW.status AND OLD.pob_id = NEW.pob_id THEN
               RETURN NULL;
             END IF;
             IF TG_OP IN ('UPDATE', 'DELETE') THEN
               UPDATE order_counts SET n = n - 1 WHERE pob_id = OLD.pob_id AND status = OLD.status;
             END IF;
             IF TG_OP IN ('UPDATE', 'INSERT') THEN
               INSERT INTO order_counts (pob_id, status, n) VALUES (NEW.pob_id, NEW.status, 1)
                 ON CONFLICT (pob_id, status) DO UPDATE SET n = order_counts.n + 1;
             END IF;
             RETURN NULL;
           END $$ LANGUAGE plpgsql""",
        """CREATE OR REPLACE TRIGGER order_counts_trg AFTER INSERT OR DELETE OR UPDATE OF status, pob_id
           ON orders FOR EACH ROW EXECUTE FUNCTION ajio_sim_order_counts()""",
    ],
}

# A version per (POB, status) that changes, in the same transaction, whenever an order in that status
# is inserted, changed, moved or deleted (triggers on `orders`, whatever code writes them). Pages built
# from one status (pendency: CREATED) are served from a per-worker cache keyed by it
# (simulator/fast/pagecache.py), so a change made by any worker or host is seen by the next request.
# The values are unique draws (random() on SQLite, a sequence on PostgreSQL), not counters: a reset
# that empties the table cannot bring an old version, and with it an old cached page, back.
order_versions = Table(
    "order_versions", metadata,
    Column("pob_id", String(32), primary_key=True),
    Column("status", String(32), primary_key=True),
    Column("v", BigInteger, nullable=False),
)

_BUMP = """INSERT INTO order_versions (pob_id, status, v) VALUES ({row}.pob_id, {row}.status, {value})
               ON CONFLICT (pob_id, status) DO UPDATE SET v = excluded.v;"""
_VERSION_TRIGGERS = {
    "sqlite": [
        f"""CREATE TRIGGER IF NOT EXISTS order_versions_ins AFTER INSERT ON orders BEGIN
             {_BUMP.format(row="NEW", value="random()")}
           END""",
        f"""CREATE TRIGGER IF NOT EXISTS order_versions_upd AFTER UPDATE ON orders BEGIN
             {_BUMP.format(row="OLD", value="random()")}
             {_BUMP.format(row="NEW", value="random()")}
           END""",
        f"""CREATE TRIGGER IF NOT EXISTS order_versions_del AFTER DELETE ON orders BEGIN
             {_BUMP.format(row="OLD", value="random()")}
           END""",
    ],
    "postgresql": [
        "CREATE SEQUENCE IF NOT EXISTS ajio_sim_order_version",
        f"""CREATE OR REPLACE FUNCTION ajio_sim_order_versions() RETURNS trigger AS $$
           BEGIN
             IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND (OLD.status <> NEW.status OR OLD.pob_id <> NEW.pob_id)) THEN
               {_BUMP.format(row="OLD", value="nextval('ajio_sim_order_version')")}
             END IF;
             IF TG_OP IN ('UPDATE', 'INSERT') THEN
               {_BUMP.format(row="NEW", value="nextval('ajio_sim_order_version')")}
             END IF;
             RETURN NULL;
           END $$ LANGUAGE plpgsql""",
        """CREATE OR REPLACE TRIGGER order_versions_trg AFTER INSERT OR DELETE OR UPDATE
           ON orders FOR EACH ROW EXECUTE FUNCTION ajio_sim_order_versions()""",
    ],
}

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
# The next due timer, asked by every request (simulator/lifecycle.py NEXT_DUE): the pending timers by due
# time. PostgreSQL does not read `fired_at IS NULL ORDER BY due_at` in order from the index above; with two
# SLA timers per order it sorted every pending one, 17-25 ms a request at 100,000 orders.
TIMERS_DUE_PENDING = Index("ix_timers_due_pending", timers.c.due_at,
                           postgresql_where=timers.c.fired_at.is_(None), sqlite_where=timers.c.fired_at.is_(None))

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
    # A long answer (a page connectors poll again and again) is stored once in journal_bodies and
    # named here by its hash; response_body is then NULL. simulator/journal.py reads both as one.
    Column("response_ref", String(64)),
    Index("ix_journal_pob", "pob_id", "id"),
)

journal_bodies = Table(
    "journal_bodies", metadata,
    Column("hash", String(64), primary_key=True),
    Column("body", Text, nullable=False),
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

# Document numbers a seller (GSTIN) has used per financial year, and every IRN (CGST rule 46; the
# e-invoice portal): the primary key is what keeps each one used once, also between workers
# (simulator/domain/numbers.py). `holder` says which document took it, for the 409 that names it.
document_numbers = Table(
    "document_numbers", metadata,
    Column("kind", String(16), primary_key=True),
    Column("scope", String(48), primary_key=True),
    Column("number", String(128), primary_key=True),
    Column("created_at", BigInteger, nullable=False),
    Column("holder", JSON, nullable=False),
)


# Which records each journal entry touched, one row each: `journal?entity_id=` is an index lookup
# on both engines (JSON containment differs per engine; filtering in Python missed old entries).
journal_entities = Table(
    "journal_entities", metadata,
    Column("entity_id", String(40), primary_key=True),
    Column("journal_id", BigInteger, primary_key=True),
)


_COUNT_ONE = prebuilt(select(order_counts.c.n).where(order_counts.c.pob_id == bindparam("pob"),
                                                     order_counts.c.status == bindparam("status")))


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


# --durability: the SQLite synchronous level of each (docs/scale.md: what each survives, what it costs).
DURABILITY = {"normal": "NORMAL", "full": "FULL"}


class WriterLock:
    """One SQLite writer at a time across the processes of this machine, the next woken at once.

    SQLite lets one transaction write; another BEGIN IMMEDIATE meets "busy" and its handler sleeps
    1, 2, 5, 10 ... 100 ms before trying again, so under --workers N most of a write's wait was sleep
    (issue 22: 4 workers added 54%). Writers first take this lock: a thread lock within the process,
    then flock() on `<db file>.lock`, which the kernel hands to the next waiter the moment it is
    released. Re-entrant within a thread; each process opens the file itself (a description shared
    across fork() would not exclude)."""

    def __init__(self, path: str, on_commit=None) -> None:
        self.path = path
        self._on_commit = on_commit  # told, lock still held, that a write transaction ended
        self._local = threading.RLock()
        self._depth = 0
        self._fd: int | None = None
        self._pid: int | None = None

    def __enter__(self) -> None:
        self._local.acquire()
        self._depth += 1
        if self._depth == 1:
            try:
                if self._fd is None or self._pid != os.getpid():
                    self._fd, self._pid = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644), os.getpid()
                fcntl.flock(self._fd, fcntl.LOCK_EX)
            except BaseException:
                self._depth -= 1
                self._local.release()
                raise

    def __exit__(self, *exc) -> None:
        self._depth -= 1
        try:
            if self._depth == 0:
                if self._on_commit is not None:
                    self._on_commit()
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._local.release()


def _sqlite_file(url: str) -> str | None:
    """The database file of a SQLite URL (None for a memory store)."""
    path = url.split(":///", 1)[1] if ":///" in url else ""
    path = path.split("?", 1)[0]
    return path if path and path != ":memory:" else None


def _is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def normalise_url(url: str) -> str:
    """`postgresql://` names psycopg2 in SQLAlchemy; the `[postgres]` extra installs psycopg 3."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


# Errors that mean "another transaction got there first": PostgreSQL's serialization failure and
# deadlock, a unique key taken between our check and our insert (PostgreSQL), SQLite still locked
# after its busy timeout. The whole operation is retried (Simulator.transact), never half-applied.
_RETRY_SQLSTATES = {"40001", "40P01", "23505"}


def is_race(exc: DBAPIError) -> bool:
    orig = exc.orig
    state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if state in _RETRY_SQLSTATES:
        return True
    # SQLite serialises writers, so a unique violation there is a bug to report, never a race to retry.
    return "database is locked" in str(orig)


def _next_seq_statement(insert_):
    return prebuilt(insert_(sequences).values(name=bindparam("name"), value=bindparam("count"))
                    .on_conflict_do_update(index_elements=[sequences.c.name],
                                           set_={"value": sequences.c.value + bindparam("inc")})
                    .returning(sequences.c.value))


_NEXT_SEQ = {"sqlite": _next_seq_statement(sqlite_insert), "postgresql": _next_seq_statement(pg_insert)}

# The journal's and the transitions' ids are their feeds' cursors (`/_sim/journal?after_id=`, `/_sim/changes?
# after_id=`: the harness and the soak read on from the last id they hold). On PostgreSQL with several workers
# an id is drawn when its row is inserted but seen only when its transaction commits, and transactions commit
# in any order: a reader could see id N+1 while N was still uncommitted, move its cursor past N and never read
# it (seen: 2 of 489 journal entries lost with `serve --workers 2`). So every write transaction takes this
# advisory lock shared before its first statement (writers never wait for each other), and a feed reader takes
# it exclusively first, which waits until the writes in flight have committed; the read's own statement then
# sees every id below the newest one. SQLite needs none of it: one writer at a time commits the ids in order.
FEED_LOCK = 0x616A696F_66656564  # "ajiofeed": any constant key no other advisory lock uses
_FEED_WRITE = f"SELECT pg_advisory_xact_lock_shared({FEED_LOCK})"
_FEED_READ = f"SELECT pg_advisory_xact_lock({FEED_LOCK})"
FEED_WAIT = "30s"  # a feed read waits this long at most for the writes in flight (lock_timeout), then fails


class Store:
    """Owns the engine; `read()` and `write()` hand out connections inside a transaction."""

    def __init__(self, url: str, durability: str = "normal") -> None:
        if durability not in DURABILITY:
            raise ValueError(f"durability must be one of {', '.join(DURABILITY)}, not {durability!r}")
        self.url = url
        self.durability = durability
        self._lock = nullcontext()
        self._writer = nullcontext()  # file SQLite: WriterLock, taken around every write transaction
        self._checkpointer: Checkpointer | None = None
        self._prepared: dict = {}
        if _is_sqlite(url):
            memory = url in ("sqlite://", "sqlite:///:memory:")
            kwargs = {"connect_args": {"check_same_thread": False, "timeout": 30}, "json_deserializer": json_loads,
                      "json_serializer": json_dumps}
            if memory:
                # One connection shared by the app (a memory database exists per connection), so
                # threads of a threaded server take turns on it.
                kwargs["poolclass"] = StaticPool
                self._lock = threading.RLock()
            self.engine = create_engine(url, **kwargs)
            self._configure_sqlite(memory)
            path = _sqlite_file(url)
            if path is not None and fcntl is not None:
                # The WAL is checkpointed by a thread, not by the commit that fills it (fast/checkpoint.py).
                self._checkpointer = Checkpointer(self.engine.raw_connection)
                self._writer = WriterLock(os.path.abspath(path) + ".lock", self._checkpointer.committed)
        else:
            # READ COMMITTED (PostgreSQL's default): a writer blocked on a row re-reads it, so the
            # optimistic version checks, the conditional timer claim and the atomic counters below
            # see the committed value; deadlocks come back as ConcurrentUpdate and are retried.
            self.url = url = normalise_url(url)
            self.engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10,
                                        json_deserializer=json_loads, json_serializer=json_dumps)
            if durability == "full":
                @event.listens_for(self.engine, "connect")
                def _on_connect(dbapi_conn, _record):
                    # Whatever the server's default: a commit returns once its WAL record is on disk.
                    with dbapi_conn.cursor() as cur:
                        cur.execute("SET synchronous_commit TO on")
                    dbapi_conn.commit()
        self.dialect = self.engine.dialect.name
        self._insert = sqlite_insert if self.dialect == "sqlite" else pg_insert
        # Taken several times per transition: the dialect's upsert built once, values bound per call.
        self._next_seq = _NEXT_SEQ[self.dialect]

    def _configure_sqlite(self, memory: bool) -> None:
        @event.listens_for(self.engine, "connect")
        def _on_connect(dbapi_conn, _record):
            # Take transaction control from pysqlite so writers can BEGIN IMMEDIATE (no
            # read-then-upgrade deadlocks between workers).
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            # The busy handler first: switching a fresh file to WAL takes a lock that a second process
            # starting on the same file at the same moment must wait for, not fail on ("database is locked").
            cur.execute("PRAGMA busy_timeout=30000")
            if not memory:
                cur.execute("PRAGMA journal_mode=WAL")
                # NORMAL in WAL mode: a commit survives a crash of the process, not a power loss of the
                # machine (the last commits may be lost, the file stays consistent); FULL syncs each commit.
                cur.execute(f"PRAGMA synchronous={DURABILITY[self.durability]}")
                if self._checkpointer is not None:  # the checkpoint thread does it; this only if it lags
                    cur.execute(f"PRAGMA wal_autocheckpoint={BACKSTOP_PAGES}")
            cur.close()

        @event.listens_for(self.engine, "begin")
        def _on_begin(conn):
            mode = "IMMEDIATE" if conn.get_execution_options().get("writing") else "DEFERRED"
            # On the driver: through exec_driver_sql this cost a full statement execution per transaction.
            conn.connection.driver_connection.execute(f"BEGIN {mode}")

    def create_schema(self) -> None:
        with self._write() as conn:
            if self.dialect == "postgresql":
                # Simulators on several hosts may start together on one database: one at a time here.
                conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7310420251)")
            metadata.create_all(conn)
            TIMERS_DUE_PENDING.create(conn, checkfirst=True)  # a store written before it had no such index
            for ddl in _COUNT_TRIGGERS.get(self.dialect, []) + _VERSION_TRIGGERS.get(self.dialect, []):
                conn.exec_driver_sql(ddl)
            # A store written before the counts existed: count once, the triggers keep it from then on.
            if conn.execute(select(order_counts.c.n).limit(1)).first() is None:
                conn.execute(order_counts.insert().from_select(
                    ["pob_id", "status", "n"],
                    select(orders.c.pob_id, orders.c.status, func.count()).group_by(orders.c.pob_id, orders.c.status)))
            self._backfill_journal_entities(conn)
            # A store written before journal bodies were shared: its journal gains the (empty) column.
            if "response_ref" not in {c["name"] for c in inspect(conn).get_columns("journal")}:
                conn.exec_driver_sql("ALTER TABLE journal ADD COLUMN response_ref VARCHAR(64)")

    def _backfill_journal_entities(self, conn) -> None:
        """A store written before journal_entities: index its journal's entity ids once."""
        if conn.execute(select(journal_entities.c.journal_id).limit(1)).first() is not None:
            return
        rows = conn.execute(select(journal.c.id, journal.c.entity_ids).where(journal.c.entity_ids.is_not(None)))
        batch = [{"entity_id": e, "journal_id": jid} for jid, ids in rows for e in (ids or [])]
        if batch:
            conn.execute(journal_entities.insert(), batch)

    def count_status(self, conn, pob_id: str, status: str) -> int:
        row = conn.execute(_COUNT_ONE, {"pob": pob_id, "status": status}).first()
        return int(row[0]) if row else 0

    def count_orders(self, conn, pob_id: str, statuses=None, exclude=None) -> int:
        """Orders of a POB in these statuses (or all but `exclude`), from the trigger-kept counts."""
        stmt = select(func.coalesce(func.sum(order_counts.c.n), 0)).where(order_counts.c.pob_id == pob_id)
        if statuses is not None:
            stmt = stmt.where(order_counts.c.status.in_(list(statuses)))
        if exclude is not None:
            stmt = stmt.where(order_counts.c.status.not_in(list(exclude)))
        return int(conn.execute(stmt).scalar_one())

    def drop_all(self) -> None:
        metadata.drop_all(self.engine)

    @contextmanager
    def read(self, feed: bool = False):
        """A read transaction. `feed`: the read follows a feed by id (FEED_LOCK): on PostgreSQL it first
        waits for the write transactions in flight, so no id below those it returns is still to commit."""
        with self._lock, self.engine.connect() as conn:
            with conn.begin():
                if feed and self.dialect == "postgresql":
                    conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{FEED_WAIT}'")
                    conn.exec_driver_sql(_FEED_READ)
                yield SplitConn(self, conn, _PREBUILT)  # prebuilt statements on the driver (fast/lean.py)

    @contextmanager
    def consistent_read(self):
        """A read transaction that sees the whole store at one moment (a world snapshot's export):
        REPEATABLE READ on PostgreSQL, where READ COMMITTED would read each table at another moment."""
        with self._lock, self.engine.connect() as conn:
            if self.dialect == "postgresql":
                conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                yield conn

    @contextmanager
    def write(self):
        """One write transaction; a lost race with another worker surfaces as ConcurrentUpdate."""
        with self._write() as conn:
            yield SplitConn(self, conn, _PREBUILT)  # prebuilt statements on the driver (fast/lean.py)

    @contextmanager
    def _write(self):
        try:
            with self._writer, self._lock, self.engine.connect().execution_options(writing=True) as conn:
                with conn.begin():
                    if self.dialect == "postgresql":
                        conn.exec_driver_sql(_FEED_WRITE)  # before any id is drawn (FEED_LOCK)
                    yield conn
        except (DBAPIError, IntegrityError) as exc:
            if is_race(exc):
                raise ConcurrentUpdate(f"the store refused a concurrent write ({type(exc.orig).__name__}); "
                                       f"retry") from exc
            raise

    # -- the per-request statements on the driver (simulator/fast/lean.py) --------------------------
    def prepared(self, stmt, keys: tuple[str, ...] | None = None) -> Prepared:
        key = (stmt, keys)
        found = self._prepared.get(key)
        if found is None:
            if len(self._prepared) >= MAX_PREPARED:
                raise RuntimeError(f"more than {MAX_PREPARED} lean statements: one is being built per call "
                                   "(lean statements must be module constants)")
            found = self._prepared[key] = Prepared(stmt, self.engine.dialect, keys)
        return found

    def lean_one(self, stmt, params=None) -> dict | None:
        """One read statement on the driver (the request's first read): its first row as a dict."""
        with self._lean(writing=False, single=True) as conn:
            return conn.execute(stmt, params).mappings().first()

    @contextmanager
    def lean_read(self):
        with self._lean(writing=False) as conn:
            yield conn

    @contextmanager
    def lean_write(self, single: bool = False):
        """A write on the driver, for the journal: it never retries (a failure is the caller's to log).
        `single`: the block runs one statement, atomic by itself, so no BEGIN/COMMIT is sent."""
        with self._lean(writing=True, single=single) as conn:
            yield conn

    @contextmanager
    def _lean(self, writing: bool, single: bool = False):
        # On PostgreSQL a write is never a lone autocommit statement: it takes FEED_LOCK first, in its transaction.
        single = single and not (writing and self.dialect == "postgresql")
        with self._writer if writing else nullcontext(), self._lock:
            fairy = self.engine.raw_connection()
            try:
                cursor = fairy.cursor()
                if single:
                    # Autocommit: the statement is its own transaction (two round trips fewer on
                    # PostgreSQL; pysqlite runs in autocommit already, isolation_level None).
                    driver = fairy.driver_connection
                    if self.dialect != "sqlite":
                        driver.autocommit = True
                    try:
                        yield LeanConn(self, cursor, single=True)
                    finally:
                        if self.dialect != "sqlite" and not driver.closed:
                            driver.autocommit = False
                    return
                if self.dialect == "sqlite":  # pysqlite leaves transactions to us (isolation_level None)
                    cursor.execute("BEGIN IMMEDIATE" if writing else "BEGIN DEFERRED")
                elif writing:  # psycopg opens the transaction at the first statement: this one (FEED_LOCK)
                    cursor.execute(_FEED_WRITE)
                try:
                    yield LeanConn(self, cursor)
                except BaseException:
                    fairy.rollback()
                    raise
                fairy.commit()
            except BaseException:
                driver = fairy.driver_connection
                if getattr(driver, "broken", False) or getattr(driver, "closed", False) is True:  # psycopg
                    fairy.invalidate()  # a dropped server connection is not handed out again
                raise
            finally:
                fairy.close()

    # -- small helpers shared by the domain ------------------------------------------------
    def put_meta(self, conn, key: str, value) -> None:
        # One upsert statement: two workers writing a key for the first time cannot both insert it.
        stmt = self._insert(meta_table).values(key=key, value=value)
        conn.execute(stmt.on_conflict_do_update(index_elements=[meta_table.c.key], set_={"value": value}))

    def init_meta(self, conn, key: str, value) -> None:
        """Write a key only if no worker has written it yet (workers starting together)."""
        conn.execute(self._insert(meta_table).values(key=key, value=value)
                     .on_conflict_do_nothing(index_elements=[meta_table.c.key]))

    def get_meta(self, conn, key: str, default=None):
        row = conn.execute(_GET_META, {"key": key}).first()  # on the driver inside read()/write()
        return row[0] if row else default

    def next_seq(self, conn, name: str, count: int = 1) -> int:
        """Atomically take the next `count` numbers of a named sequence (created on first use);
        returns the first. One upsert, so two workers' first use cannot collide."""
        last = conn.execute(self._next_seq, {"name": name, "count": count, "inc": count}).scalar_one()
        return int(last) - count + 1

    def reset(self) -> None:
        with self.write() as conn:
            for table in reversed(metadata.sorted_tables):
                conn.execute(table.delete())


__all__ = ["Store", "prebuilt", "metadata", "meta_table", "sequences", "sellers", "pobs", "tokens", "products",
           "orders", "order_counts", "order_versions", "journal_entities", "journal_bodies", "returns", "transitions",
           "documents",
           "manifests",
           "timers", "journal", "Boolean", "jit_boxes", "jit_stock", "faults", "throttle_buckets", "rsi_documents",
           "erp_postings", "document_numbers"]

"""The statements every request runs, executed on the database driver directly.

Every AJIO call makes a first read (one statement: the clock, the next due timer, the token with its
POB, the faults layer's check) and a journal write. Through SQLAlchemy's Connection a statement costs
20-40 us of Python and a transaction 50-75 us before the driver sees them; on the driver's own cursor
2-3 us and 10-15 us (benchmarks/request_parts.py, benchmarks/README.md).

`Store.lean_one()` runs one statement in autocommit; `Store.lean_read()` / `Store.lean_write()` hand
out a pooled driver connection inside one transaction (or, `single=True`, one autocommit statement),
wrapped in `LeanConn`, whose `execute(stmt, params)` understands the small part of SQLAlchemy's result
API those statements use (`first`, `one`, `scalar`, `mappings().first()`, `inserted_primary_key`). Each
statement is compiled once per store with SQLAlchemy's own compiler and type processors, so the SQL, the
bound values and the decoded columns are what the SQLAlchemy path gives; only the per-call machinery is
skipped. Only statements built once (module constants) belong here: each distinct statement object is
compiled and kept, and more than `MAX_PREPARED` of them is a programming error, not a cache to grow.
Domain code keeps using `Store.read()` / `Store.write()`; there, `SplitConn` runs the statements marked
with `store.prebuilt()` (module constants: a record's load and save, its timeline row, sequences,
documents, timers) on the same transaction's driver cursor, and every other statement through
SQLAlchemy as before. A driver error is raised as SQLAlchemy's own DBAPIError subclass, so the store's
race handling (ConcurrentUpdate, retried) sees what it always saw.
"""
from __future__ import annotations

from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import Delete, Insert, Update

MAX_PREPARED = 128


class Prepared:
    """One statement compiled for one dialect, with its bind and result processors."""

    def __init__(self, stmt, dialect, keys: tuple[str, ...] | None) -> None:
        returns_rows = bool(getattr(stmt, "_returning", ()))  # an upsert ... RETURNING (sequences)
        if isinstance(stmt, Insert) and dialect.name != "sqlite" and not returns_rows:
            stmt = stmt.returning(*stmt.table.primary_key.columns)  # the new id, as lastrowid gives it on SQLite
        compiled = stmt.compile(dialect=dialect, column_keys=list(keys) if keys is not None else None)
        self.sql = str(compiled)
        if "POSTCOMPILE" in self.sql:
            raise ValueError("lean statements take no expanding or literal-execute parameters (IN lists, "
                             "limits rendered as literals): run this one through Store.read()/write()")
        self.compiled = compiled
        self.positional = compiled.positiontup  # qmark drivers (sqlite3); None for named (psycopg)
        self.bind = {name: proc for name, bp in compiled.binds.items()
                     if (proc := bp.type.dialect_impl(dialect).bind_processor(dialect)) is not None}
        self.is_insert = isinstance(stmt, Insert)
        self.returning = self.is_insert and dialect.name != "sqlite" and not returns_rows
        if returns_rows:
            described = stmt.returning_column_descriptions
            cols, self.keys = [d["expr"] for d in described], tuple(d["name"] for d in described)
        elif not isinstance(stmt, (Insert, Update, Delete)):
            cols, self.keys = list(stmt.selected_columns), tuple(stmt.selected_columns.keys())
        if returns_rows or not isinstance(stmt, (Insert, Update, Delete)):
            self.results = [(i, proc) for i, col in enumerate(cols)
                            if (proc := col.type.dialect_impl(dialect).result_processor(dialect, None)) is not None]
        else:
            self.keys, self.results = (), []

        # Binds SQLAlchemy fills from the statement itself (literals such as status == "CREATED", limits):
        # the per-call values then need no construct_params(), which cost a third of a lean statement.
        rendered = compiled.bind_names  # bindparam -> its name in the SQL (anonymous literals get one here)
        self.fixed = {name: bp.value for bp, name in rendered.items() if bp.value is not None}
        self.names = tuple(self.positional or rendered.values())
        self.direct = (not getattr(compiled, "escaped_bind_names", None) and set(self.names) <= set(rendered.values())
                       and not any(bp.callable is not None or bp.expanding for bp in rendered))

    def parameters(self, given: dict | None):
        values = None
        if self.direct:
            merged = {**self.fixed, **given} if given else self.fixed
            if all(name in merged for name in self.names):
                values = {name: merged[name] for name in self.names}
        if values is None:  # anything unusual (a required value missing: SQLAlchemy's own error) takes its path
            values = self.compiled.construct_params(given or {})
        for name, proc in self.bind.items():
            if name in values:
                values[name] = proc(values[name])
        if self.positional is not None:
            return tuple(values[name] for name in self.positional)
        return values

    def row(self, raw: tuple) -> tuple:
        if not self.results:
            return tuple(raw)
        out = list(raw)
        for i, proc in self.results:
            out[i] = proc(out[i])
        return tuple(out)


class LeanResult:
    def __init__(self, prepared: Prepared, cursor) -> None:
        self._prepared, self._cursor = prepared, cursor
        self._mapping = False

    def _rows(self):
        return [self._prepared.row(r) for r in self._cursor.fetchall()]

    def _shape(self, row):
        return dict(zip(self._prepared.keys, row)) if self._mapping else row

    def mappings(self) -> "LeanResult":
        self._mapping = True
        return self

    def first(self):
        raw = self._cursor.fetchone()
        return None if raw is None else self._shape(self._prepared.row(raw))

    def one(self):
        rows = self._rows()
        if len(rows) != 1:
            raise LookupError(f"expected one row, got {len(rows)}")
        return self._shape(rows[0])

    def all(self) -> list:
        return [self._shape(r) for r in self._rows()]

    def scalar(self):
        row = self.first()
        return None if row is None else (row[self._prepared.keys[0]] if self._mapping else row[0])

    def scalar_one(self):
        row = self.one()
        return row[self._prepared.keys[0]] if self._mapping else row[0]

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def inserted_primary_key(self) -> tuple:
        if self._prepared.returning:
            return tuple(self._cursor.fetchone())
        return (self._cursor.lastrowid,)


class LeanConn:
    """A driver cursor inside a transaction, running prebuilt SQLAlchemy statements."""

    def __init__(self, store, cursor, single: bool = False) -> None:
        self._store, self._cursor = store, cursor
        self._left = 1 if single else None  # statements this block may still run (None: any number)
        self._dialect = self.dialect = store.engine.dialect
        self._error = self._dialect.loaded_dbapi.Error

    def execute(self, stmt, params=None) -> LeanResult:
        if self._left is not None:
            if self._left == 0:
                raise RuntimeError("a single-statement lean block ran a second statement: it would not be "
                                   "atomic (use lean_write() without single)")
            self._left -= 1
        if isinstance(params, list):  # executemany: a list of rows with the same keys
            prepared = self._store.prepared(stmt, tuple(params[0]) if params else None)
            bound = [prepared.parameters(p) for p in params]
            run = self._cursor.executemany
        else:
            keys = tuple(params) if isinstance(stmt, Insert) and params else None
            prepared = self._store.prepared(stmt, keys)
            bound = prepared.parameters(params)
            run = self._cursor.execute
        try:
            run(prepared.sql, bound)
        except self._error as exc:  # as SQLAlchemy raises it: IntegrityError, OperationalError, ... (is_race)
            raise DBAPIError.instance(prepared.sql, bound, exc, self._error, dialect=self._dialect) from exc
        return LeanResult(prepared, self._cursor)


class SplitConn:
    """A SQLAlchemy Connection inside its transaction, whose prebuilt statements run on its driver cursor.

    `execute(stmt, params)` of a statement marked with `store.prebuilt()` goes to a cursor of the same
    driver connection (so the same transaction, savepoints included); anything else, and every other
    attribute, is the Connection's own."""

    __slots__ = ("_store", "_conn", "_lean", "_prebuilt")

    def __init__(self, store, conn, prebuilt: dict) -> None:
        self._store, self._conn = store, conn
        self._lean: LeanConn | None = None
        self._prebuilt = prebuilt

    def execute(self, stmt, params=None, *args, **kwargs):
        # A list of rows stays with SQLAlchemy: its executemany batches rows into multi-row INSERTs
        # (seeding 1,000 orders a call), which row-by-row executemany on the driver is not.
        if id(stmt) in self._prebuilt and not args and not kwargs and not isinstance(params, list):
            lean = self._lean
            if lean is None:
                lean = self._lean = LeanConn(self._store, self._conn.connection.cursor())
            return lean.execute(stmt, params)
        return self._conn.execute(stmt, params, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._conn, name)


__all__ = ["LeanConn", "LeanResult", "Prepared", "SplitConn", "MAX_PREPARED"]

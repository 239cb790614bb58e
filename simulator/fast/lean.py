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
Domain code keeps using `Store.read()` / `Store.write()`.
"""
from __future__ import annotations

from sqlalchemy.sql import Insert

MAX_PREPARED = 64


class Prepared:
    """One statement compiled for one dialect, with its bind and result processors."""

    def __init__(self, stmt, dialect, keys: tuple[str, ...] | None) -> None:
        if isinstance(stmt, Insert) and dialect.name != "sqlite":
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
        self.returning = self.is_insert and dialect.name != "sqlite"
        if self.is_insert:
            self.keys, self.results = (), []
        else:
            cols = list(stmt.selected_columns)
            self.keys = tuple(stmt.selected_columns.keys())
            self.results = [(i, proc) for i, col in enumerate(cols)
                            if (proc := col.type.dialect_impl(dialect).result_processor(dialect, None)) is not None]

    def parameters(self, given: dict | None):
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

    def execute(self, stmt, params=None) -> LeanResult:
        if self._left is not None:
            if self._left == 0:
                raise RuntimeError("a single-statement lean block ran a second statement: it would not be "
                                   "atomic (use lean_write() without single)")
            self._left -= 1
        if isinstance(params, list):  # executemany: a list of rows with the same keys
            prepared = self._store.prepared(stmt, tuple(params[0]) if params else None)
            self._cursor.executemany(prepared.sql, [prepared.parameters(p) for p in params])
            return LeanResult(prepared, self._cursor)
        keys = tuple(params) if isinstance(stmt, Insert) and params else None
        prepared = self._store.prepared(stmt, keys)
        self._cursor.execute(prepared.sql, prepared.parameters(params))
        return LeanResult(prepared, self._cursor)


__all__ = ["LeanConn", "LeanResult", "Prepared", "MAX_PREPARED"]

"""The speed layer: measured shortcuts around the plain path, each answering exactly what it answers.

Everything here exists because a profile said so (figures from benchmarks/README.md, idle 2-core VM),
and each shortcut keeps a test that compares it with the plain path it replaces. Nothing in the domain
depends on this package; switching a shortcut off must change speed, never an answer.

| module | what it buys | what it must keep identical | its equivalence test |
|---|---|---|---|
| `dumpfast.py` | a dumper generated once per contract schema instead of marshmallow's per-field dump: one pendency page 819 -> 87 us | `schema.dump(obj)`: values, types, key order (checked on every answer under CONTRACT_STRICT) | tests/unit/test_dumpfast.py |
| `lean.py` | the first read and the journal write on the driver's cursor: a statement 23-38 us -> 1.6-3 us, an empty transaction 48-75 us -> 10-15 us, a 16 KB journal row 201 -> 108 us | the SQL, bound values and decoded columns SQLAlchemy's Connection gives (compiled by SQLAlchemy's own compiler and type processors) | tests/unit/test_lean.py (both engines) |
| `pagecache.py` | unchanged GET pendency pages from a per-worker cache keyed by the POB's version: rps against bare Flask 0.52 -> 0.96 (SQLite), 0.35 -> 0.61 (PostgreSQL) | the page a fresh read would give, at the request's version; a change by any worker or host is seen by the next request; errors never cached | tests/api/test_page_cache.py (both engines) |
| `jsonfast.py` | orjson for Flask's answers and the store's JSON columns (stdlib JSON decoding 20 rows and encoding the answer was ~1.5 ms of a profiled request) | the JSON values and key order stdlib json gives; what orjson refuses (Decimal, ints beyond 64 bits) takes the stdlib path | tests/unit/test_fast_json.py |

In-process CPU per GET pendency request with all four (benchmarks/pendency_cpu.py): 1.72 -> 0.56 ms.
"""

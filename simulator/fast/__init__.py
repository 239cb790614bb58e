"""The speed layer: measured shortcuts around the plain path, each answering exactly what it answers.

Everything here exists because a profile said so (figures from benchmarks/README.md, idle 2-core VM),
and each shortcut keeps a test that compares it with the plain path it replaces. Nothing in the domain
depends on this package; switching a shortcut off must change speed, never an answer.

- `dumpfast.py`: a dumper generated once per contract schema instead of marshmallow's per-field dump
  (one pendency page 819 -> 87 us). Keeps `schema.dump(obj)`: values, types and key order, checked on
  every answer under CONTRACT_STRICT. Test: tests/unit/test_dumpfast.py.
- `lean.py`: the first read and the journal write on the driver's cursor (a statement 23-38 us -> 1.6-3 us,
  an empty transaction 48-75 us -> 10-15 us, a 16 KB journal row 201 -> 108 us). Keeps the SQL, bound
  values and decoded columns SQLAlchemy's Connection gives (compiled by SQLAlchemy's own compiler and type
  processors). Test: tests/unit/test_lean.py, both engines.
- `pagecache.py`: unchanged GET pendency pages from a per-worker cache keyed by the POB's version (rps
  against bare Flask 0.52 -> 0.96 on SQLite, 0.35 -> 0.61 on PostgreSQL). Keeps the page a fresh read gives
  at the request's version; a change by any worker or host is seen by the next request; errors are never
  cached. Test: tests/api/test_page_cache.py, both engines.
- `jsonfast.py` (the store's JSON columns) and `jsonprovider.py` (Flask's answers): orjson, where stdlib
  JSON decoding 20 rows and encoding the answer took ~1.5 ms of a profiled request. Keeps the values and
  key order stdlib json gives; what orjson refuses (Decimal, ints beyond 64 bits) takes the stdlib path.
  Test: tests/unit/test_fast_json.py.

In-process CPU per GET pendency request with all four (benchmarks/pendency_cpu.py): 1.72 -> 0.56 ms.
"""

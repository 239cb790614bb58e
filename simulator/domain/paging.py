"""Spring-style paging shared by every list call: page from 0, size <= 50."""
from __future__ import annotations

from sqlalchemy import func, select

from simulator.errors import ValidationFailed


def page_block(number: int, size: int, total: int) -> dict:
    pages = (total + size - 1) // size
    return {"number": number, "size": size, "totalElements": total, "totalPages": pages}


def checked_page(page: int, size: int, total: int) -> dict:
    """The page block; a page past the last one is a 400, not an empty success."""
    block = page_block(page, size, total)
    last = max(block["totalPages"] - 1, 0)
    if page > last:
        raise ValidationFailed(f"page {page} is out of range: there are {block['totalPages']} page(s) "
                               f"of size {size} (pages count from 0)", field="page", rule="API-PAGING")
    return block


def paged(conn, stmt, order_by, page: int, size: int, total: int | None = None):
    """Run `stmt` for one page; a page past the last one is a 400, not an empty success.

    `total`, when the caller knows it (the trigger-kept order counts), saves counting the rows."""
    # Count without selecting the JSON payloads: the (pob_id, status, ...) index answers it alone.
    # maintain_column_froms: without a WHERE naming the table, count(*) alone would have no FROM
    # and count one row (an unfiltered /_sim/orders reported totalElements 1).
    if total is None:
        total = conn.execute(stmt.with_only_columns(func.count(), maintain_column_froms=True)
                             .order_by(None)).scalar_one()
    block = checked_page(page, size, total)
    rows = conn.execute(stmt.order_by(*order_by).limit(size).offset(page * size)).mappings().all()
    return rows, block


def paged_by_keys(conn, table, keys: list[str], *, pob_id: str, statuses=None, page: int, size: int):
    """One page of the orders a call names by id, in (order_date, order_id) order: (ids not of this POB,
    rows, page block); with unknown ids nothing is paged (the caller answers 404 first).

    Looked up by primary key, then filtered, sorted and paged here. With pob_id in the WHERE, SQLite
    walked the POB's (pob_id, order_date) index instead, reading every order the POB has: a re-read of
    50 held orders cost more with each day of a soak (benchmarks/README.md, "Soak")."""
    key = table.primary_key.columns.values()[0]
    if page == 0 and len(keys) <= size:
        # The usual call (a connector re-reads up to a page of held orders): one query for the whole rows.
        rows = conn.execute(select(table).where(key.in_(keys))).mappings().all()
        mine = [r for r in rows if r["pob_id"] == pob_id]
        found = {r[key.name] for r in mine}
        missing = [k for k in keys if k not in found]
        if missing:
            return missing, [], None
        if statuses is not None:
            mine = [r for r in mine if r["status"] in statuses]
        mine.sort(key=lambda r: (r["order_date"], r[key.name]))
        return [], mine, checked_page(0, size, len(mine))
    heads = conn.execute(select(key, table.c.pob_id, table.c.status, table.c.order_date)
                         .where(key.in_(keys))).all()
    mine = [h for h in heads if h.pob_id == pob_id]
    found = {h[0] for h in mine}
    missing = [k for k in keys if k not in found]
    if missing:
        return missing, [], None
    if statuses is not None:
        mine = [h for h in mine if h.status in statuses]
    mine.sort(key=lambda h: (h.order_date, h[0]))
    block = checked_page(page, size, len(mine))
    wanted = [h[0] for h in mine[page * size:(page + 1) * size]]
    rows = {r[key.name]: r for r in conn.execute(select(table).where(key.in_(wanted))).mappings()} if wanted else {}
    return [], [rows[k] for k in wanted], block

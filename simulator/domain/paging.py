"""Spring-style paging shared by every list call: page from 0, size <= 50."""
from __future__ import annotations

from sqlalchemy import func

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
                               f"of size {size} (pages count from 0)", field="page")
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

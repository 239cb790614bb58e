"""Plain text columns for output that is piped or logged: a cell never wraps, whatever the width."""
from __future__ import annotations

import sys


def plain_table(columns: list[str], rows: list[list]) -> str:
    """Left-aligned columns separated by two spaces, one line per row; newlines inside a cell become spaces,
    so `grep`, `awk` and a CI log see each row whole (a rich table folds cells at 80 columns when piped)."""
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    lines = []
    for row in [list(columns), *cells]:
        padded = [v.ljust(w) for v, w in zip(row[:-1], widths[:-1])] + [row[-1]]
        lines.append("  ".join(padded).rstrip())
    return "\n".join(lines)


def _cell(value) -> str:
    return "" if value is None else " ".join(str(value).split())


def print_table(columns: list[str], rows: list[list], file=None) -> None:
    print(plain_table(columns, rows), file=file or sys.stdout)

"""The body of POST /_sim/catalogue: a seller's catalogue as JSON, or as CSV with the same column names.

CSV (`Content-Type: text/csv`): a header row naming the columns (sku, ean, name, brand, size, colour, mrp,
price, hsn, category, published, quantity; any case, any order), one listing a row, the seller named in
the query (`?pob_id=` or `?seller_id=`, and `&replace=false` to keep the listings not in the file). Every
value is checked by the same schema as the JSON body, so a refusal names the row and column the same way.
"""
from __future__ import annotations

import csv
import io

from flask import request

from simulator.api.common import body, validated
from simulator.errors import ValidationFailed

COLUMNS = ("sku", "ean", "name", "brand", "size", "colour", "mrp", "price", "hsn", "category", "published",
           "quantity")
REQUIRED = COLUMNS[:10]
_TRUE = {"true", "yes", "y", "1", "published"}
_FALSE = {"false", "no", "n", "0", "unpublished"}
_NUMBERS = {"mrp": float, "price": float, "quantity": int}


def catalogue_body(schema) -> dict:
    if request.mimetype != "text/csv":
        return body(schema)
    text = request.get_data(cache=True).decode("utf-8-sig", errors="replace")
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise ValidationFailed("the CSV has no header row: name the columns " + ", ".join(COLUMNS), field="body")
    header = [cell.strip().lower() for cell in rows[0]]
    unknown = [c for c in header if c not in COLUMNS]
    if unknown:
        raise ValidationFailed(f"unknown CSV column '{unknown[0]}' (columns: {', '.join(COLUMNS)})", field=unknown[0])
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ValidationFailed(f"the CSV has no '{missing[0]}' column (required: {', '.join(REQUIRED)})",
                               field=missing[0])
    products = []
    for number, row in enumerate(rows[1:], 1):
        if not any(cell.strip() for cell in row):
            continue  # a blank line (a file's last one, often)
        if len(row) != len(header):
            raise ValidationFailed(f"CSV row {number} has {len(row)} cells for {len(header)} columns",
                                   field=f"products[{len(products)}]")
        products.append({column: _value(column, cell) for column, cell in zip(header, row)
                         if not (column in ("published", "quantity") and not cell.strip())})
    extra = [key for key in request.args if key not in ("pob_id", "seller_id", "replace")]
    if extra:
        raise ValidationFailed(f"unknown query parameter '{extra[0]}' (a CSV catalogue takes pob_id or seller_id, "
                               f"and replace)", field=extra[0])
    args = {key: value for key, value in request.args.items() if key in ("pob_id", "seller_id")}
    if "replace" in request.args:
        args["replace"] = request.args["replace"].strip().lower() not in _FALSE
    return validated(schema, {**args, "products": products}, "CSV catalogue")


def _value(column: str, cell: str):
    """A cell as the JSON body would carry it; what does not convert is left as text for the schema to refuse."""
    cell = cell.strip()
    if column == "published":
        lowered = cell.lower()
        return True if lowered in _TRUE else False if lowered in _FALSE else cell
    if column in _NUMBERS:
        try:
            return _NUMBERS[column](cell)
        except ValueError:
            return cell
    return cell


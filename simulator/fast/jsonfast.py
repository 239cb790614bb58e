"""orjson for the store's JSON columns, stdlib json as the fallback (no web framework here: the store uses it)."""
from __future__ import annotations

import json

import orjson


def loads(text):
    """The store's JSON column reader: orjson, or json for what it refuses (ints beyond 64 bits)."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)

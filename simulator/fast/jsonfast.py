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


_DUMPS_OPTIONS = orjson.OPT_NON_STR_KEYS  # {1: x} -> {"1": x}, as json.dumps writes it


def dumps(value) -> str:
    """The store's JSON column writer: orjson (5-10x json.dumps), or json for what it refuses (ints beyond
    64 bits). Compact (no spaces): the text is only ever read back through `loads`, never matched in SQL."""
    try:
        return orjson.dumps(value, option=_DUMPS_OPTIONS).decode()
    except TypeError:
        return json.dumps(value)

"""Query parameters an operation does not declare are refused, as AJIO refuses unknown fields.

The contract registry says which operations take a query (contracts/registry.py); for every other
AJIO-facing operation a query parameter is a connector bug, refused with 400 before the view runs
and journaled as a violation with the parameter's name. Operations parse their declared query
themselves (api.common.query), so this guard only looks at those that declare none."""
from __future__ import annotations

import re

from flask import request

from contracts.registry import by_route
from simulator.api.common import _contract
from simulator.errors import ValidationFailed

_FLASK_PARAM = re.compile(r"<(?:[^:>]+:)?([^>]+)>")


def _openapi_path(rule: str) -> str:
    return _FLASK_PARAM.sub(r"{\1}", rule)


def refuse_undeclared_query() -> None:
    """before_request hook: a 400 naming the first undeclared query parameter, if any."""
    if not request.args or request.url_rule is None:
        return
    op = by_route().get((request.method.lower(), _openapi_path(request.url_rule.rule)))
    if op is None or op.query is not None:
        return  # not an AJIO operation, or one whose query schema checks its own parameters

    def _check():
        names = list(request.args)
        raise ValidationFailed(
            f"invalid query: {names[0]}: Unknown field. ({request.method} {op.path} takes no query parameters)",
            field=names[0], extra={"errors": [{"field": n, "message": "Unknown field."} for n in names]})

    _contract(_check)

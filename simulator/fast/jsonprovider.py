"""orjson for Flask's answers (app.json), stdlib json for what orjson refuses."""
from __future__ import annotations

import orjson
from flask.json.provider import DefaultJSONProvider

_OPTIONS = orjson.OPT_NON_STR_KEYS


class FastJSON(DefaultJSONProvider):
    """Flask's JSON provider, encoding with orjson; what orjson refuses (a Decimal, an int beyond
    64 bits) goes through the default provider, so answers never change, only their speed."""

    sort_keys = False

    def dumps(self, obj, **kwargs) -> str:
        if not kwargs:
            try:
                return orjson.dumps(obj, option=_OPTIONS).decode()
            except TypeError:
                pass
        return super().dumps(obj, **kwargs)

    def response(self, *args, **kwargs):
        obj = self._prepare_response_obj(args, kwargs)
        try:
            body = orjson.dumps(obj, option=_OPTIONS) + b"\n"
        except TypeError:
            return super().response(*args, **kwargs)
        return self._app.response_class(body, mimetype=self.mimetype)

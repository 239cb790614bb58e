"""Whether a scenario's call matcher can ever see a call: its path glob, method and body keys against the AJIO API.

A `request`, `requests_in_order`, `refusals`, `allow` or `kill_at` matcher whose path no AJIO call can have (a typo,
a wrong case: paths are case-sensitive), whose method no such path takes, or whose body names a key the call's
body never has, matches nothing: `made: false` and `max:` then pass without looking, and a kill never fires. The
loader refuses such a matcher, naming the field. The API is the published document (contracts/openapi.json):
what the simulator serves, ERP layer and documents included. `${...}` references stand for an id.

Matching follows the harness's matcher (expectations.matches): the glob is `fnmatch` over the whole path, so `*`
also crosses `/`. A route's `{param}` is one or more characters other than `/`. Whether some path is matched by both
the glob and a route is decided exactly, over the two patterns (no sample ids)."""
from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

_REF = re.compile(r"\$\{[^}]*\}")
_METHODS = ("get", "post", "put", "delete", "patch")

# tokens: ("lit", c) a character, ("any",) glob's *, ("one",) glob's ?, ("set", negated, chars) glob's [...],
# ("param",) a route's {param}


def _glob_tokens(glob: str) -> tuple:
    out, i = [], 0
    while i < len(glob):
        c = glob[i]
        if c == "*":
            if not out or out[-1] != ("any",):
                out.append(("any",))
        elif c == "?":
            out.append(("one",))
        elif c == "[" and _set_end(glob, i) != -1:
            end = _set_end(glob, i)
            inside = glob[i + 1:end]
            negated = inside.startswith("!")
            out.append(("set", negated, _expand(inside[1:] if negated else inside)))
            i = end
        else:
            out.append(("lit", c))
        i += 1
    return tuple(out)


def _set_end(glob: str, i: int) -> int:
    """Where the set opened by '[' at i closes, as fnmatch reads it ('!' negates, a first ']' is a member)."""
    j = i + 1
    if glob[j:j + 1] == "!":
        j += 1
    if glob[j:j + 1] == "]":
        j += 1
    return glob.find("]", j)


def _expand(spec: str) -> frozenset:
    chars, i = set(), 0
    while i < len(spec):
        if i + 2 < len(spec) and spec[i + 1] == "-":
            chars.update(chr(x) for x in range(ord(spec[i]), ord(spec[i + 2]) + 1))
            i += 3
        else:
            chars.add(spec[i])
            i += 1
    return frozenset(chars)


def _route_tokens(template: str) -> tuple:
    out = []
    for part in re.split(r"(\{[^}]+\})", template):
        if part.startswith("{"):
            out.append(("param",))
        else:
            out.extend(("lit", c) for c in part)
    return tuple(out)


def _accepts(token: tuple, char: str) -> bool:
    """Whether one glob token (not `*`) takes this character."""
    if token[0] == "lit":
        return token[1] == char
    if token[0] == "one":
        return True
    return (char in token[2]) != token[1]


def _takes_some_char_but_slash(token: tuple) -> bool:
    if token[0] == "lit":
        return token[1] != "/"
    if token[0] == "one":
        return True
    return token[1] or bool(token[2] - {"/"})   # a negated set takes some character other than /


def overlap(glob: str, template: str) -> bool:
    """True when some path is matched by the fnmatch glob and is a path of the route template."""
    g, r = _glob_tokens(glob), _route_tokens(template)

    @lru_cache(maxsize=None)
    def go(i: int, j: int, started: bool) -> bool:
        # started: the route's param at j has taken at least one character (it may end now)
        if j < len(r) and r[j] == ("param",) and started and go(i, j + 1, False):
            return True
        if i == len(g):
            return j == len(r)
        token = g[i]
        if token == ("any",):
            if go(i + 1, j, started):              # * takes nothing more
                return True
            if j == len(r):
                return False
            if r[j] == ("param",):
                return go(i, j, True) if not started else False   # * takes the param's characters (any count)
            return go(i, j + 1, False)             # * takes the route's literal character
        if j == len(r):
            return False
        if r[j] == ("param",):
            return _takes_some_char_but_slash(token) and go(i + 1, j, True)
        return _accepts(token, r[j][1]) and go(i + 1, j + 1, False)

    return go(0, 0, False)


@lru_cache(maxsize=1)
def _api() -> tuple[dict, dict]:
    spec = json.loads(resources.files("contracts").joinpath("openapi.json").read_text(encoding="utf-8"))
    return spec["paths"], spec["components"]["schemas"]


def _body_keys(operation: dict, schemas: dict) -> set[str] | None:
    """The top-level keys the call's JSON body may have, or None when the document does not close the set."""
    schema = (((operation.get("requestBody") or {}).get("content") or {}).get("application/json") or {}).get("schema")
    while isinstance(schema, dict) and "$ref" in schema:
        schema = schemas.get(schema["$ref"].rsplit("/", 1)[-1])
    if not isinstance(schema, dict) or schema.get("type") != "object" or schema.get("additionalProperties") is not False:
        return None
    return set(schema.get("properties") or {})


@lru_cache(maxsize=4096)
def _routes(pattern: str) -> tuple[str, ...]:
    """The API's route templates some path of the glob is a path of. Cached: a catalogue names the same few dozen
    globs thousands of times, and deciding one against every route was two fifths of loading a scenario."""
    return tuple(p for p in _api()[0] if overlap(pattern, p))


def problem(method: str | None, glob: str, body: dict | None = None) -> str | None:
    """Why a matcher of (method, path glob, body subset) can see no call of the AJIO API, or None if it can."""
    paths, schemas = _api()
    routes = _routes(_REF.sub("*", glob))
    if not routes:
        return (f"path '{glob}' matches no call of the AJIO API (paths are case-sensitive; `ajio-sim` serves "
                f"them at /docs): an expectation on it could never see a call")
    ops = [(p, m, paths[p][m]) for p in routes for m in _METHODS if m in paths[p]]
    if method is not None:
        ops = [o for o in ops if o[1] == str(method).lower()]
        if not ops:
            taken = sorted({m.upper() for p in routes for m in _METHODS if m in paths[p]})
            return (f"method '{method}' is not taken by any call matching '{glob}' (they take {', '.join(taken)}): "
                    f"an expectation on it could never see a call")
    if body:
        keys = [_body_keys(op, schemas) for _p, _m, op in ops]
        if all(k is not None for k in keys):
            known = set().union(*keys)
            unknown = sorted(k for k in body if k not in known)
            if unknown:
                return (f"body key '{unknown[0]}' is in no request body of the calls matching "
                        f"{(method or '*').upper()} '{glob}' (their keys: {', '.join(sorted(known)) or 'none'})")
    return None

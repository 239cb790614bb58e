"""fast_dump(schema, obj): what `schema.dump(obj)` gives, without marshmallow's per-field machinery.

Profiling one pendency page (20 orders, 88 nested dumps, 740 field serializations) put marshmallow's
dump at 45% of the request: each value goes through Field.serialize -> get_value -> accessor ->
_serialize. The answers are plain dicts of str/int/float/bool/None, so a dumper compiled once per
schema from its declared fields reads each key straight from the dict and returns values that are
already of the field's type as they are. Everything else takes marshmallow's own path for that
value (a string where an Int is declared, a missing key, a custom field, a dump default, a schema
with hooks or a custom accessor, an object that is not a dict), so the result is always the same.
With CONTRACT_STRICT (tests, contract runs) `respond` checks it equal to `schema.dump` on every
answer.
"""
from __future__ import annotations

from marshmallow import Schema, fields, missing
from marshmallow.decorators import POST_DUMP, PRE_DUMP

_ATTR = "_ajio_fast_dump"


def fast_dump(schema: Schema, obj):
    fn = schema.__dict__.get(_ATTR)
    if fn is None:
        fn = _compile(schema)
        schema.__dict__[_ATTR] = fn
    return fn(obj)


def _plain_schema(schema: Schema) -> bool:
    cls = type(schema)
    return (not schema._hooks[PRE_DUMP] and not schema._hooks[POST_DUMP] and not schema.many
            and cls.get_attribute is Schema.get_attribute and cls._serialize is Schema._serialize
            and cls.dump is Schema.dump and schema.dict_class is dict)


def _converter(fld: fields.Field):
    """conv(value, attr, obj) for a value that is present, or None when only the generic path will do."""
    cls = type(fld)
    if cls._serialize is fields.Field._serialize:  # Raw, Boolean: the value as it is
        return lambda v, attr, obj: v
    if cls._serialize is fields.String._serialize:
        return lambda v, attr, obj: v if type(v) is str else fld._serialize(v, attr, obj)
    if (isinstance(fld, fields.Number) and cls._serialize is fields.Number._serialize
            and cls._format_num is fields.Number._format_num and not fld.as_string):
        num_type = fld.num_type
        return lambda v, attr, obj: v if type(v) is num_type else fld._serialize(v, attr, obj)
    if cls._serialize is fields.Nested._serialize:
        schema = fld.schema
        if not _plain_schema(schema):  # hooks, a custom accessor, many: marshmallow's own dump
            return None
        many = fld.many
        def nested(v, attr, obj, _schema=schema, _many=many):
            if v is None:
                return None
            if _many:
                return [fast_dump(_schema, x) for x in v]
            return fast_dump(_schema, v)
        return nested
    if cls._serialize is fields.List._serialize:
        inner = _converter(fld.inner)
        if inner is None:
            return None
        return lambda v, attr, obj: None if v is None else [inner(x, attr, obj) for x in v]
    return None


def _compile(schema: Schema):
    if not _plain_schema(schema):
        return schema.dump
    plan = []
    for name, fld in schema.dump_fields.items():
        key = fld.data_key if fld.data_key is not None else name
        attr = fld.attribute or name
        conv = None
        cls = type(fld)
        if (fld._CHECK_ATTRIBUTE and "." not in attr and fld.dump_default is missing
                and cls.serialize is fields.Field.serialize and cls.get_value is fields.Field.get_value):
            conv = _converter(fld)
        plan.append((name, fld, key, attr, conv))
    # Straight-line code, one block per field (no loop, no per-value call for the common case).
    env = {"schema": schema, "missing": missing, "dict": dict, "accessor": schema.get_attribute,
           "str": str, "int": int, "float": float, "type": type}
    lines = ["def dump(obj):", "    if type(obj) is not dict:", "        return schema.dump(obj)", "    ret = {}"]
    for i, (name, fld, key, attr, conv) in enumerate(plan):
        env[f"f{i}"], env[f"c{i}"] = fld, conv
        generic = [f"    v = f{i}.serialize({name!r}, obj, accessor=accessor)",
                   "    if v is not missing:", f"        ret[{key!r}] = v"]
        if conv is None:
            lines += generic
            continue
        lines += [f"    if {attr!r} in obj:", f"        v = obj[{attr!r}]"]
        kind = _inline_kind(fld)
        if kind == "as_is":
            lines.append(f"        ret[{key!r}] = v")
        elif kind is not None:
            lines.append(f"        ret[{key!r}] = v if type(v) is {kind} else c{i}(v, {name!r}, obj)")
        else:
            lines.append(f"        ret[{key!r}] = c{i}(v, {name!r}, obj)")
        lines.append("    else:")
        lines += ["    " + line for line in generic]
    lines.append("    return ret")
    exec(compile("\n".join(lines), f"<fast dump of {type(schema).__name__}>", "exec"), env)
    return env["dump"]


def _inline_kind(fld: fields.Field) -> str | None:
    """How the generated code keeps a value without a call: as it is, or when its type is already right."""
    cls = type(fld)
    if cls._serialize is fields.Field._serialize:
        return "as_is"
    if cls._serialize is fields.String._serialize:
        return "str"
    if isinstance(fld, fields.Number) and fld.num_type in (int, float) and _converter(fld) is not None \
            and cls._serialize is fields.Number._serialize:
        return fld.num_type.__name__
    return None

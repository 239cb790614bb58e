"""The world snapshot file (GET and POST /_sim/snapshot): its envelope, and the one format version read.

The format is ours (no AJIO source has one): a JSON object naming its format and version, the seed of
the simulator that wrote it, the simulated clock, and every stored table as columns plus rows.
"""
from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, pre_load, validate

from contracts.common import MAX_CLOCK, Bool, Int, StrictSchema

FORMAT = "ajio-sim snapshot"
FORMAT_VERSION = 1


class _Rows(fields.Field):
    """A table's rows: a list of lists of JSON values (checked cheaply: a world may have 100k rows)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, list) or not all(isinstance(row, list) for row in value):
            raise ValidationError("must be a list of rows, each a list of column values")
        return value


class SnapshotTable(StrictSchema):
    columns = fields.List(fields.String(), required=True, validate=validate.Length(min=1))
    rows = _Rows(required=True)


class SnapshotClock(StrictSchema):
    now = Int(required=True, validate=validate.Range(min=0, max=MAX_CLOCK))
    frozen = Bool(required=True)


class SnapshotRequest(StrictSchema):
    format = fields.String(required=True, validate=validate.Equal(FORMAT, error=f"must be {FORMAT!r}"))
    format_version = Int(required=True)
    ajio_sim = fields.String(metadata={"description": "the ajio-sim version that wrote the file"})
    seed = Int(required=True, metadata={"description": "the seed of the simulator that wrote it (--seed)"})
    clock = fields.Nested(SnapshotClock, required=True)
    counts = fields.Dict(keys=fields.String(), values=Int())
    tables = fields.Dict(keys=fields.String(), values=fields.Nested(SnapshotTable), required=True)

    @pre_load
    def _version_first(self, data, **kwargs):
        """A file of another format version is refused for its version, before its shape is read."""
        if not isinstance(data, dict) or "format_version" not in data:
            raise ValidationError(f"not an {FORMAT} file: no format_version (export one with GET /_sim/snapshot "
                                  "or `ajio-sim snapshot export FILE`)", "format_version")
        version = data["format_version"]
        if version != FORMAT_VERSION:
            writer = data.get("ajio_sim")
            made = f" (written by ajio-sim {writer})" if isinstance(writer, str) else ""
            raise ValidationError(f"snapshot format_version {version!r}{made} is not supported: this simulator reads "
                                  f"format_version {FORMAT_VERSION} only; import it with the ajio-sim version that "
                                  "wrote it", "format_version")
        return data

class SnapshotFile(SnapshotRequest):
    """The file GET /_sim/snapshot writes: as an import takes it, with the writer's version and the row counts
    always there (an import may leave them out)."""

    ajio_sim = fields.String(required=True, metadata={"description": "the ajio-sim version that wrote the file"})
    counts = fields.Dict(keys=fields.String(), values=Int(), required=True,
                         metadata={"description": "rows per table, as written"})


class SnapshotImported(Schema):
    """What POST /_sim/snapshot answers: the world now held, table by table."""

    status = fields.String(required=True, validate=validate.OneOf(("SUCCESS",)))
    format_version = Int(required=True)
    clock = fields.Nested(SnapshotClock, required=True)
    counts = fields.Dict(keys=fields.String(), values=Int(), required=True,
                         metadata={"description": "rows imported per table"})

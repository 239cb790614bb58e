"""Typed domain errors: each carries an AJIO-style code, an HTTP status and the rulebook id behind it."""
from __future__ import annotations

from contracts import rulebook


class SimulatorError(Exception):
    """Base of every error the simulator answers with; one handler turns it into AJIO's body."""

    status = 400
    code = "BAD_REQUEST"

    def __init__(self, message: str, *, field: str | None = None, rule: str | None = None,
                 headers: dict[str, str] | None = None, extra: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        # `rule` is a rulebook id (contracts/rules/*.yaml); an unknown id is a programming error.
        self.rule_id = rulebook.rule(rule).id if rule else None
        self.headers = headers or {}
        self.extra = extra or {}

    @property
    def rule(self) -> str | None:
        """The rule as one self-standing line: id, statement and the quoted source."""
        return rulebook.rule(self.rule_id).text() if self.rule_id else None

    def body(self) -> dict:
        out = {"status": "FAILED", "error_message": self.message, "error_code": self.code}
        if self.field:
            out["field"] = self.field
        if self.rule_id:
            out["rule_id"] = self.rule_id
            out["rule"] = self.rule
        out.update(self.extra)
        return out


class ValidationFailed(SimulatorError):
    status = 400
    code = "VALIDATION_FAILED"


class UnsupportedMediaType(SimulatorError):
    status = 415
    code = "UNSUPPORTED_MEDIA_TYPE"


class Unauthorized(SimulatorError):
    status = 401
    code = "UNAUTHORIZED"


class Forbidden(SimulatorError):
    status = 403
    code = "FORBIDDEN"


class NotFound(SimulatorError):
    status = 404
    code = "NOT_FOUND"


class MethodNotAllowed(SimulatorError):
    status = 405
    code = "METHOD_NOT_ALLOWED"


class Conflict(SimulatorError):
    status = 409
    code = "CONFLICT"


class IllegalTransition(Conflict):
    """A move the entity's state machine does not allow from its current state."""

    code = "ILLEGAL_TRANSITION"


class ConflictingRepeat(Conflict):
    """A repeat of a mutating call whose payload differs from the first one's (idempotency).

    The same payload again answers the first result; a different one is refused with this."""

    code = "CONFLICTING_REPEAT"

    def __init__(self, message: str, *, rule: str | None = None, **kwargs) -> None:
        super().__init__(message, rule=rule or "API-IDEMPOTENT-REPEAT", **kwargs)


class NotYet(Conflict):
    """The thing exists in AJIO's flow but not yet at this simulated time (PO lag, credit note)."""

    code = "NOT_YET"

    def __init__(self, message: str, *, available_at: int | None, now: int, rule: str | None = None) -> None:
        headers = {}
        extra = {}
        if available_at is not None:
            headers["Retry-After"] = str(max(1, available_at - now))
            extra["available_at"] = available_at
        super().__init__(message, rule=rule, headers=headers, extra=extra)


class PayloadTooLarge(SimulatorError):
    status = 413
    code = "PAYLOAD_TOO_LARGE"


class ConcurrentUpdate(SimulatorError):
    """Another request changed the record first; the request layer retries the whole operation."""

    status = 409
    code = "CONCURRENT_UPDATE"

"""ERP contract tests: the postings the simulator sends to a seller's ERP, thrown at an ERP under test.

The ERP's side of the contract (seed 004 flows, seed 002 payloads): it accepts every well-formed
posting with a 2xx and refuses a malformed one with a 4xx, and never answers 5xx. Each posting kind
(one schema per `eventType`) becomes a one-operation OpenAPI document (POST to the ERP's URL with that
schema as the body) and schemathesis sends positive and negative data to it: positive_data_acceptance,
negative_data_rejection and not_a_server_error are the checks; the ERP's answer body is its own
business, so its shape and status list are not checked."""
from __future__ import annotations

import time
from urllib.parse import urlsplit, urlunsplit

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from simulator.conformance import ContractResult, _collect, _load_schemathesis

ERP_CHECKS = ("not_a_server_error", "positive_data_acceptance", "negative_data_rejection")


def erp_spec(path: str, event_type: str, schema: type) -> dict:
    spec = APISpec(title=f"ERP under test: {event_type} postings", version="1", openapi_version="3.0.3",
                   plugins=[MarshmallowPlugin()])
    spec.path(path=path, operations={"post": {
        "operationId": f"post_{event_type.lower()}",
        "summary": f"the simulator posts {event_type} to the seller's ERP (seed 004; payload as seed 002)",
        "requestBody": {"required": True, "content": {"application/json": {"schema": schema}}},
        "responses": {"2XX": {"description": "a well-formed posting is accepted"},
                      "4XX": {"description": "a malformed posting is refused"}}}})
    return spec.to_dict()


def _config(schemathesis, *, base_url: str, seed: int, max_examples: int, phases, event_type: str):
    checks = {"enabled": False}
    checks.update({name: {"enabled": True} for name in ERP_CHECKS})
    checks["positive_data_acceptance"] = {"enabled": True, "expected-statuses": ["2XX"]}
    # The header the simulator's delivery sends with every posting (simulator/erp_delivery.py): an ERP may
    # dispatch on it (the return posting has no eventType in its body, seed 002).
    data = {"seed": seed, "base-url": base_url, "checks": checks, "request-timeout": 30,
            "headers": {"X-Ajio-Sim-Event": event_type},
            "generation": {"mode": "all", "max-examples": max_examples, "database": "none", "deterministic": True},
            "phases": {"stateful": {"enabled": False}}}
    if phases is not None:
        data["phases"].update({name: {"enabled": name in phases} for name in ("examples", "coverage", "fuzzing")})
    return schemathesis.Config.from_dict(data)


def run_erp_contract(erp_url: str, postings: dict[str, type], *, seed: int = 1, max_examples: int = 10,
                     phases: tuple[str, ...] | None = None, log=None) -> ContractResult:
    """Every posting kind against the ERP at erp_url (the URL the seller registered for postings)."""
    schemathesis, events, from_schema = _load_schemathesis()
    parts = urlsplit(erp_url)
    base_url = urlunsplit((parts.scheme, parts.netloc, "", "", ""))
    path = parts.path or "/"
    started = time.monotonic()
    result = ContractResult(base_url=erp_url, seed=seed, max_examples=max_examples)
    for event_type, schema_cls in postings.items():
        config = _config(schemathesis, base_url=base_url, seed=seed, max_examples=max_examples, phases=phases,
                         event_type=event_type)
        schema = schemathesis.openapi.from_dict(erp_spec(path, event_type, schema_cls), config=config)
        for event in from_schema(schema).execute():
            if isinstance(event, events.ScenarioFinished):
                event.recorder.label = f"{event.recorder.label} ({event_type})"
            known = len(result.findings)
            _collect(result, event, events, event_type)
            for finding in result.findings[known:]:  # every kind goes to the same URL: name the posting
                finding.operation = f"{event_type} posting ({finding.operation})"
            if log is not None and isinstance(event, events.PhaseFinished):
                log(f"  {event_type} phase {event.phase.name}: {event.status}")
    result.elapsed = time.monotonic() - started
    return result

"""The state machine type (a table: (state, event) -> next state) and the registry of every model's tables."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from simulator.errors import IllegalTransition


@dataclass(frozen=True, slots=True)
class Machine:
    name: str
    entity: str  # "order" | "return"
    table: Mapping[tuple[str, str], str]
    # Why a move is refused: event -> rulebook id (contracts/rules/*.yaml), named in the error body.
    rules: Mapping[str, str]

    @property
    def states(self) -> frozenset[str]:
        return frozenset({s for s, _ in self.table} | set(self.table.values()))

    @property
    def events(self) -> frozenset[str]:
        return frozenset(e for _, e in self.table)

    def allows(self, state: str, event: str) -> bool:
        return (state, event) in self.table

    def next(self, state: str, event: str) -> str:
        try:
            return self.table[(state, event)]
        except KeyError:
            allowed = sorted(s for s, e in self.table if e == event)
            raise IllegalTransition(
                f"{self.name}: '{event}' is not allowed in status {state}"
                f" (allowed in: {', '.join(allowed) or 'none'})",
                field="status", rule=self.rules.get(event)) from None

    def events_from(self, state: str) -> list[str]:
        return sorted(e for s, e in self.table if s == state)


# Every model's tables, registered by the model package that declares them (domain/ds/machines.py,
# domain/jit/machines.py, domain/vms/machines.py) and by domain/returns.py: shared code finds an
# order's table here without importing any model package.
MACHINES: dict[str, Machine] = {}


def register(key: str, machine: Machine) -> Machine:
    MACHINES[key] = machine
    return machine


def order_machine(rec: dict) -> Machine:
    """The table an order follows: its model's, or the one named in its data (VMS: per e-invoice model)."""
    key = rec["data"].get("machine") or f"{rec['model']}_order"
    try:
        return MACHINES[key]
    except KeyError:
        raise LookupError(f"no state machine '{key}' is registered: import its model package "
                          f"(simulator.domain.{rec['model']})") from None

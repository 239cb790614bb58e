"""The Dropship (B2C) model, seeds 000 and 003: orders, fulfilment, returns, its state machine."""
from simulator.domain.ds import machines as _machines  # noqa: F401  (registers the order's table)

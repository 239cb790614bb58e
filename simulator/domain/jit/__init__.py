"""The JIT model (seed 001): purchase orders, box-wise fulfilment, inventory push and reconciliation, returns."""
from simulator.domain.jit import machines as _machines  # noqa: F401  (registers the PO's table)

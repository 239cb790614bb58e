"""The VMS model (seed 002, 004): orders, the B2B PO and e-invoice, fulfilment, returns, RSI, ERP postings."""
from simulator.domain.vms import machines as _machines  # noqa: F401  (registers the order and RSI tables)

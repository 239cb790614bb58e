"""The VMS selling model (seed 002): forward flow, returns, RSI and the postings to a seller's ERP."""

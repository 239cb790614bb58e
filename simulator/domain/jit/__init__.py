"""The JIT model (B2B purchase orders, seed 001): POs, invoice, box-wise packing, manifest, inventory."""

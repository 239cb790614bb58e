"""The QA dashboard at /_sim/ui: server-rendered pages over the control plane (see views.py)."""
from simulator.ui import erp as _erp  # noqa: F401 (its routes join the blueprint)
from simulator.ui.views import bp

__all__ = ["bp"]

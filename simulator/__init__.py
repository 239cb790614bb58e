"""ajio-sim: a local simulator of AJIO's seller APIs (Dropship first; JIT and VMS to come)."""
from __future__ import annotations

__version__ = "0.1.0"


def __getattr__(name: str):
    # Lazy so that `import simulator.ids` does not pull in Flask and the whole app.
    if name == "create_app":
        from simulator.app import create_app
        return create_app
    raise AttributeError(name)


__all__ = ["create_app", "__version__"]

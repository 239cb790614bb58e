"""`python -m simulator` runs the same CLI as the `ajio-sim` console script."""
from __future__ import annotations

from simulator.cli import main

raise SystemExit(main())

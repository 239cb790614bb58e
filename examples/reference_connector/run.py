"""`python run.py [--assume-stock N]`: the same as `python connector.py`, some 10 ms of CPU cheaper a start.

Python compiles the script it is started with at every start (only imported modules' bytecode is cached):
compiling connector.py cost about a fifth of a sync's start, and a JIT or VMS sync then imported it a second time,
as the module its model's connector builds on. Started from here, connector.py is imported once, from its cached
bytecode. A scheduler that starts a process per sync can point at this file; the harness tests start thousands of
syncs this way (tests/harness/conftest.py). `benchmarks/connector_start.py` measures both.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))
import connector  # noqa: E402

if __name__ == "__main__":
    sys.exit(connector.main())

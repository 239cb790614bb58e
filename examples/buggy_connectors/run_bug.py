"""`python run_bug.py BUG [--assume-stock N]`: the same as `python buggy.py BUG`, a few milliseconds cheaper a start.

Python compiles the script it is started with at every start (only imported modules' bytecode is cached), and
compiling buggy.py's table of some 700 bugs cost 6 ms of a connector start of about 40 ms. Started from here,
buggy.py is imported, from its cached bytecode. The harness tests start thousands of bug processes this way
(tests/harness/conftest.py); `benchmarks/connector_start.py` measures both.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))
import buggy  # noqa: E402

if __name__ == "__main__":
    sys.exit(buggy.cli(sys.argv[1:]))

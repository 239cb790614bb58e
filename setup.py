"""Build hook: ship the scenario catalogue (scenarios/) inside the package as harness/scenarios/.

Everything else about the package is declared in pyproject.toml. The catalogue stays at the top of
the repository (where people read and fork it); setuptools can only ship data that lives inside a
package directory, so build_py copies it in. An editable install (`make install`) has no copy: the
harness then reads the checkout's scenarios/ directly (harness/catalogue.py).
"""
from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

CATALOGUE = Path(__file__).resolve().parent / "scenarios"


class BuildWithCatalogue(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:  # the checkout's scenarios/ is read in place
            return
        if not CATALOGUE.is_dir():
            raise SystemExit(f"setup.py: the scenario catalogue {CATALOGUE} is missing (an sdist without it?)")
        target = Path(self.build_lib, "harness", "scenarios")
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(CATALOGUE, target, ignore=shutil.ignore_patterns("__pycache__", ".*", "*.pyc"))


setup(cmdclass={"build_py": BuildWithCatalogue})

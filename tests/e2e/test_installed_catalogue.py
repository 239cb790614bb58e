"""The built wheel carries the catalogue: `ajio-sim run --catalogue` works with no checkout in sight.

The wheel is built once (no build isolation: the test venv's setuptools) from a copy of the sources,
then unpacked into a directory that is put first on PYTHONPATH, and `ajio-sim` runs from another
directory: the code and the scenarios it uses are the wheel's, not this checkout's (asserted).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

from harness.loader import discover
from simulator import __version__

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "simulator", "contracts", "src", "scenarios")
REFERENCE = f"{sys.executable} {ROOT / 'examples/reference_connector/connector.py'}"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "checkout"
    src.mkdir()
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy(source, src / name)
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w",
                            str(tmp / "dist"), str(src)], capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stdout + built.stderr
    [path] = (tmp / "dist").glob("ajio_sim-*.whl")
    return path, built.stdout + built.stderr


@pytest.fixture(scope="module")
def unpacked(wheel, tmp_path_factory):
    target = tmp_path_factory.mktemp("site")
    with zipfile.ZipFile(wheel[0]) as zf:
        zf.extractall(target)
    return target


def _ajio_sim(unpacked: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AJIO_SIM_")}
    env["PYTHONPATH"] = str(unpacked)
    code = "import sys; from simulator.cli import main; sys.exit(main())"
    return subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=300)


def test_wheel_build_prints_no_packaging_warning(wheel):
    _, output = wheel
    assert "Warning" not in output and "deprecated" not in output.lower(), output


def test_wheel_metadata_has_spdx_license_and_the_package_version(wheel):
    with zipfile.ZipFile(wheel[0]) as zf:
        [meta] = [n for n in zf.namelist() if n.endswith(".dist-info/METADATA")]
        headers = Parser().parsestr(zf.read(meta).decode())
    assert headers["License-Expression"] == "Apache-2.0"
    assert headers["Version"] == __version__


def test_wheel_carries_every_catalogue_scenario_and_the_schema(wheel):
    with zipfile.ZipFile(wheel[0]) as zf:
        names = set(zf.namelist())
    expected = {"harness/scenarios/" + p.relative_to(ROOT / "scenarios").as_posix() for p in discover(ROOT / "scenarios")}
    assert expected and expected <= names
    assert "harness/scenarios/README.md" in names
    assert "harness/scenarios/scenario.schema.json" in names


def test_scenarios_list_from_the_wheel_reads_the_packaged_catalogue(unpacked, tmp_path):
    done = _ajio_sim(unpacked, tmp_path, "scenarios", "list", "--json")
    assert done.returncode == 0, done.stderr
    listed = json.loads(done.stdout)
    assert Path(listed["root"]) == unpacked / "harness" / "scenarios"
    assert len(listed["scenarios"]) == len(discover(ROOT / "scenarios"))


def test_run_catalogue_from_outside_the_checkout(unpacked, tmp_path):
    report = tmp_path / "report.json"
    done = _ajio_sim(unpacked, tmp_path, "run", "--catalogue", "ds", "-k", "happy_path", "--connector-cmd", REFERENCE,
                     "--json", str(report), "--html", str(tmp_path / "report.html"))
    assert done.returncode == 0, done.stdout + done.stderr
    data = json.loads(report.read_text())
    assert [(s["name"], s["status"]) for s in data["scenarios"]] == [("happy path, order to delivery", "passed")]
    assert data["scenarios"][0]["file"].startswith(str(unpacked))  # the wheel's copy, not the checkout's
    assert (tmp_path / "report.html").stat().st_size > 1000


def test_version_option_prints_the_installed_version(unpacked, tmp_path):
    done = _ajio_sim(unpacked, tmp_path, "--version")
    assert done.returncode == 0 and done.stdout.strip() == f"ajio-sim {__version__}"


def test_wheel_carries_the_data_the_code_reads_at_run_time(wheel):
    """The rulebook, the committed contract and its examples, the dashboard's templates: read through the package."""
    with zipfile.ZipFile(wheel[0]) as zf:
        names = set(zf.namelist())
    rules = {f"contracts/rules/{p.name}" for p in (ROOT / "contracts" / "rules").glob("*.yaml")}
    assert rules and rules <= names
    assert {"contracts/openapi.json", "contracts/examples.json", "simulator/ui/templates/base.html",
            "simulator/ui/templates/snapshot.html"} <= names

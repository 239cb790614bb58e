"""The bundled catalogue: which files each pinned name runs, `ajio-sim scenarios list|export`, `run --catalogue`."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from fixtures.simclient import ajio_sim_binary
from harness import catalogue
from harness.cli import _catalogue_files
from harness.loader import discover
from harness.model import ScenarioError
from simulator.cli import main

ROOT = Path(__file__).resolve().parents[2]


def _cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AJIO_SIM_")}
    return subprocess.run([ajio_sim_binary(), *args], capture_output=True, text=True, timeout=120, cwd=cwd, env=env)


def test_catalogue_root_in_a_checkout_is_the_scenarios_directory():
    assert catalogue.root() == ROOT / "scenarios"


@pytest.mark.parametrize("name", ["ds", "jit"])
def test_catalogue_files_of_a_model_are_its_directory(name):
    assert catalogue.files(name) == discover(ROOT / "scenarios" / name)


def test_catalogue_all_is_every_model_catalogue():
    assert catalogue.files("all") == sorted(catalogue.files("ds") + catalogue.files("jit") + catalogue.files("vms"))
    assert catalogue.files("all") == discover(ROOT / "scenarios")


def test_catalogue_unknown_name_refused():
    with pytest.raises(ScenarioError, match=r"no catalogue 'dropship' \(catalogues: ds, jit, vms, all\)"):
        catalogue.files("dropship")


def test_catalogue_without_a_directory_has_no_scenarios(tmp_path, monkeypatch):
    (tmp_path / "ds").mkdir()
    (tmp_path / "ds" / "a.yaml").write_text("name: a\n")
    monkeypatch.setattr(catalogue, "root", lambda: tmp_path)
    assert catalogue.files("vms") == []
    assert catalogue.counts() == {"ds": 1, "jit": 0, "vms": 0}


def test_run_catalogue_with_no_scenarios_says_so(tmp_path, monkeypatch, capsys):
    (tmp_path / "ds").mkdir()
    (tmp_path / "ds" / "a.yaml").write_text("name: a\n")
    monkeypatch.setattr(catalogue, "root", lambda: tmp_path)
    assert _catalogue_files("vms") is None
    assert capsys.readouterr().err.strip() == ("ajio-sim run: no scenarios: the vms catalogue bundled with this "
                                               "version of ajio-sim is empty (bundled: ds: 1, jit: 0, vms: 0)")


def test_catalogue_of_names_the_model_directory():
    assert catalogue.catalogue_of(ROOT / "scenarios/jit/fulfilment/happy_path.yaml") == "jit"
    assert catalogue.catalogue_of(ROOT / "README.md") is None


def test_export_copies_scenarios_readme_and_schema(tmp_path):
    written = catalogue.export(tmp_path / "fork", "jit", schema_text="{}")
    names = sorted(p.relative_to(tmp_path / "fork").as_posix() for p in written)
    assert names == sorted([*(p.relative_to(ROOT / "scenarios").as_posix() for p in catalogue.files("jit")),
                            "README.md", "scenario.schema.json"])
    happy = "jit/fulfilment/happy_path.yaml"
    assert (tmp_path / "fork" / happy).read_text() == (ROOT / "scenarios" / happy).read_text()


def test_export_refuses_to_overwrite_a_fork(tmp_path):
    catalogue.export(tmp_path, "jit")
    (tmp_path / "jit/fulfilment/happy_path.yaml").write_text("# my edits\n")
    with pytest.raises(ScenarioError, match=r"file\(s\) already there .*pass --force"):
        catalogue.export(tmp_path, "jit")
    assert (tmp_path / "jit/fulfilment/happy_path.yaml").read_text() == "# my edits\n"
    catalogue.export(tmp_path, "jit", force=True)
    assert (tmp_path / "jit/fulfilment/happy_path.yaml").read_text() != "# my edits\n"


def test_scenarios_list_json_names_every_bundled_scenario():
    done = _cli("scenarios", "list", "--json")
    assert done.returncode == 0, done.stderr
    listed = json.loads(done.stdout)["scenarios"]
    bundled = [p.relative_to(ROOT / "scenarios").as_posix() for p in discover(ROOT / "scenarios")]
    assert [r["file"] for r in listed] == bundled
    assert {r["catalogue"] for r in listed} == {"ds", "jit"} | ({"vms"} if catalogue.files("vms") else set())
    assert all(r["name"] and r["rule"] for r in listed)


def test_scenarios_list_piped_prints_one_line_per_scenario(capsys):
    assert main(["scenarios", "list", "--catalogue", "jit"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["catalogue", "file", "name", "rule", "tags"]
    assert len(lines) == 1 + len(catalogue.files("jit")) + 1  # header, one line each (never folded), the count
    assert all(line.startswith("jit  ") for line in lines[1:-1])


def test_scenarios_export_then_the_copy_is_discovered(tmp_path, capsys):
    assert main(["scenarios", "export", str(tmp_path / "fork"), "--catalogue", "jit"]) == 0
    assert f"exported {len(catalogue.files('jit'))} scenario(s) of the jit catalogue to {tmp_path / 'fork'}" \
        in capsys.readouterr().out
    assert discover(tmp_path / "fork") == [tmp_path / "fork" / p.relative_to(ROOT / "scenarios")
                                           for p in catalogue.files("jit")]
    assert main(["scenarios", "export", str(tmp_path / "fork"), "--catalogue", "jit"]) == 2
    assert "already there" in capsys.readouterr().err


def test_run_without_target_or_catalogue_is_a_usage_error(capsys):
    assert main(["run", "--connector-cmd", "true"]) == 2
    assert "name either SCENARIO_OR_DIR or --catalogue ds|jit|vms|all" in capsys.readouterr().err


def test_run_with_both_target_and_catalogue_is_a_usage_error(capsys):
    assert main(["run", str(ROOT / "scenarios/jit"), "--catalogue", "jit", "--connector-cmd", "true"]) == 2
    assert "either SCENARIO_OR_DIR or --catalogue" in capsys.readouterr().err


def test_run_unknown_catalogue_is_refused_by_the_parser(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["run", "--catalogue", "dropship", "--connector-cmd", "true"])
    assert exc.value.code == 2 and "invalid choice: 'dropship'" in capsys.readouterr().err


def test_every_catalogue_scenario_has_a_name_of_its_own():
    """A scenario's name is its JUnit testcase and its report row: two scenarios of one name are one row in CI."""
    from collections import Counter

    from harness.loader import load_scenario
    names = Counter(load_scenario(p).name for p in discover(catalogue.root()))
    assert [n for n, k in names.items() if k > 1] == []

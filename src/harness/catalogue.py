"""The bundled scenario catalogue: where it is (installed package or checkout), what it holds, exporting it.

The catalogue is the repository's scenarios/ directory. A built package carries a copy as
harness/scenarios/ (setup.py), so `ajio-sim run --catalogue ds` works after `pip install` alone; an
editable install or a checkout reads scenarios/ in place. Catalogue names are pinned (API.md):
ds, jit, vms and all; a name whose directory is not bundled yet (vms, while its scenarios are being
written) is a catalogue with no scenarios, not an error.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from harness.model import ScenarioError

NAMES = ("ds", "jit", "vms")
CHOICES = (*NAMES, "all")
SCHEMA_FILE = "scenario.schema.json"

_PACKAGED = Path(__file__).resolve().parent / "scenarios"
_CHECKOUT = Path(__file__).resolve().parents[2] / "scenarios"


def root() -> Path:
    """The catalogue directory: the installed copy first, else the checkout's scenarios/."""
    for candidate in (_PACKAGED, _CHECKOUT):
        if candidate.is_dir():
            return candidate
    raise ScenarioError(f"the bundled scenario catalogue is missing (looked in {_PACKAGED} and {_CHECKOUT}): "
                        "reinstall ajio-sim from a wheel or sdist that carries it")


def _check(name: str) -> None:
    if name not in CHOICES:
        raise ScenarioError(f"no catalogue {name!r} (catalogues: {', '.join(CHOICES)})")


def files(name: str) -> list[Path]:
    """The scenario files of one catalogue (or all), sorted; empty when none is bundled yet."""
    _check(name)
    base = root()
    dirs = [base / n for n in NAMES] if name == "all" else [base / name]
    found: list[Path] = []
    for d in dirs:
        if d.is_dir():
            found.extend(p for p in d.rglob("*") if p.suffix in (".yaml", ".yml") and not p.name.startswith("."))
    return sorted(found)


def counts() -> dict[str, int]:
    """How many scenarios each catalogue bundles: {"ds": 26, "jit": 3, "vms": 0}."""
    return {n: len(files(n)) for n in NAMES}


def catalogue_of(path: str | Path) -> str | None:
    """Which bundled catalogue a scenario file belongs to (None for a file outside the catalogue)."""
    try:
        rel = Path(path).resolve().relative_to(root().resolve())
    except (ValueError, ScenarioError):
        return None
    return rel.parts[0] if rel.parts and rel.parts[0] in NAMES else None


def relative(path: str | Path) -> str:
    """A catalogue file's name as listed and exported (ds/fulfilment/happy_path.yaml)."""
    try:
        return Path(path).resolve().relative_to(root().resolve()).as_posix()
    except (ValueError, ScenarioError):
        return str(path)


def export(dest: str | Path, name: str = "all", *, force: bool = False, schema_text: str | None = None) -> list[Path]:
    """Copy a catalogue (with the format README and the JSON Schema) to dest, for a team that forks it.

    Refuses to overwrite an existing file unless `force`: a fork's edits are not lost by a second export."""
    _check(name)
    base = root()
    dest = Path(dest)
    chosen = files(name)
    if not chosen:
        raise ScenarioError(f"the {name} catalogue has no scenarios in this version of ajio-sim: nothing to export")
    plan = [(p, dest / p.relative_to(base)) for p in chosen]
    readme = base / "README.md"
    if readme.is_file():
        plan.append((readme, dest / "README.md"))
    clashes = [str(target) for _, target in plan if target.exists()]
    if schema_text is not None and (dest / SCHEMA_FILE).exists():
        clashes.append(str(dest / SCHEMA_FILE))
    if clashes and not force:
        raise ScenarioError(f"{dest}: {len(clashes)} file(s) already there (first: {clashes[0]}); "
                            "export into an empty directory, or pass --force to overwrite them")
    written = []
    for source, target in plan:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        written.append(target)
    if schema_text is not None:
        (dest / SCHEMA_FILE).write_text(schema_text, encoding="utf-8")
        written.append(dest / SCHEMA_FILE)
    return written

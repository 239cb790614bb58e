"""Every command the README and the docs show is one that works: `ajio-sim` lines parse with the real parser,
`curl` lines name a route the simulator serves with that method, `make` targets and the files commands
name exist, and every relative link reaches its file (and heading).

The five-minute paths of the README are also run for real: tests/e2e/test_readme_paths.py.
"""
from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from werkzeug.exceptions import MethodNotAllowed, NotFound

from simulator.app import create_app
from simulator.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", ROOT / "CHANGELOG.md", ROOT / "scenarios" / "README.md", ROOT / "examples" / "README.md",
         ROOT / "benchmarks" / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
REPO_DIRS = ("examples/", "scenarios/", "benchmarks/", "docs/", "contracts/", "src/", "simulator/")
_SYNOPSIS = re.compile(r"\[|\]|\.\.\.|<|>|\||\(|\)")
_ENV = re.compile(r"^[A-Z_][A-Z0-9_]*=")


def _id(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _blocks(text: str) -> list[str]:
    """Logical lines of the fenced code blocks (a trailing backslash continues a line)."""
    out, inside, pending = [], False, ""
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            inside, pending = not inside, ""
            continue
        if not inside:
            continue
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        out.append((pending + line).strip())
        pending = ""
    return out


def _commands(page: Path, inline: bool = False) -> list[str]:
    """Shell lines from code blocks (and, with `inline`, the `ajio-sim ...` spans of the prose)."""
    text = page.read_text(encoding="utf-8")
    lines = [line.removeprefix("$ ") for line in _blocks(text)]
    if inline:
        lines += [f"{_INLINE}{span}" for span in re.findall(r"`(ajio-sim [^`]+)`", text)]
    return lines


_INLINE = "inline: "


def _words(line: str) -> list[str]:
    """The command's words: comments, leading VAR=value assignments and anything after a pipe or `&` dropped."""
    try:
        words = shlex.split(line, comments=True)
    except ValueError:
        return []
    for stop in ("|", "&", "&&", ";", ">", "2>", "||"):
        if stop in words:
            words = words[:words.index(stop)]
    while words and _ENV.match(words[0]):
        words = words[1:]
    return words


def _ajio_sim_lines() -> list[tuple[str, str]]:
    found = []
    for page in PAGES:
        for line in _commands(page, inline=True):
            if re.match(r"^(?:inline: )?(?:[A-Z_][A-Z0-9_]*=\S+\s+)*ajio-sim\s", line) and \
                    not re.match(r"^ajio-sim \d+\.\d+", line):  # the serve banner is output, not a command
                found.append((_id(page), line))
    return found


AJIO_SIM = _ajio_sim_lines()


def test_docs_show_ajio_sim_commands():
    pages = {page for page, _ in AJIO_SIM}
    assert {"README.md", "docs/ci.md", "docs/qa.md", "docs/control-plane.md"} <= pages


@pytest.mark.parametrize("page, line", AJIO_SIM, ids=[f"{p}: {line[:60]}" for p, line in AJIO_SIM])
def test_ajio_sim_command_parses(page, line):
    parser = build_parser()
    subcommands = parser._subparsers._group_actions[0].choices
    inline = line.startswith(_INLINE)
    line = line.removeprefix(_INLINE)
    if inline or _SYNOPSIS.search(line.split("#")[0]):
        # A name in prose (`ajio-sim run --html FILE`) or a synopsis (`ajio-sim clock [show] | clock advance 4h`):
        # its command exists, and so does each option it names.
        words = line.split("#")[0].split()
        if words[1] == "...":  # "an `ajio-sim ...` line": no command named
            return
        names = words[1].split("|")
        assert words[1].startswith(("-", "<")) or all(n in subcommands for n in names), f"{page}: {line}"
        if not words[1].startswith(("-", "<")):
            known = _options(subcommands[names[0]])
            named = {w.split("=")[0].strip("[]()|,") for w in words if w.lstrip("[(").startswith("--")}
            assert named <= known, f"{page}: `{line}` names {sorted(named - known)}, unknown to {names[0]}"
        return
    argv = _words(line)[1:]
    try:
        parser.parse_args(argv)
    except SystemExit as exc:
        if exc.code != 0:  # --version and --help exit 0
            pytest.fail(f"{page}: `{line}` does not parse (exit {exc.code})")


def _options(parser) -> set[str]:
    """Every option string of a parser and of its subcommands' parsers."""
    out = {s for a in parser._actions for s in a.option_strings}
    for action in parser._actions:
        for sub in (getattr(action, "choices", None) or {}).values() if isinstance(getattr(action, "choices", None),
                                                                                     dict) else ():
            out |= _options(sub)
    return out


def _curls() -> list[tuple[str, str]]:
    return [(_id(page), line) for page in PAGES for line in _commands(page) if _words(line)[:1] == ["curl"]]


CURLS = _curls()
_APP = None


def _url_map():
    global _APP
    if _APP is None:
        _APP = create_app({"db_url": "sqlite://"})
    return _APP.url_map.bind("localhost")


@pytest.mark.parametrize("page, line", CURLS, ids=[f"{p}: {line[:70]}" for p, line in CURLS])
def test_curl_command_names_a_served_route(page, line):
    words = _words(line)
    method = words[words.index("-X") + 1] if "-X" in words else ("POST" if "-d" in words else "GET")
    [url] = [w for w in words if re.match(r"^(https?://)?(localhost|127\.0\.0\.1):\d+/", w)]
    path = "/" + re.sub(r"^(https?://)?[^/]+/", "", url).split("?")[0]
    try:
        _url_map().match(path, method=method)
    except (NotFound, MethodNotAllowed) as exc:
        pytest.fail(f"{page}: `{line}`: {method} {path} is not served ({type(exc).__name__})")


def test_docs_show_curl_commands():
    assert len(CURLS) >= 10


def _file_words() -> list[tuple[str, str, str]]:
    out = []
    for page in PAGES:
        for line in _commands(page):
            for word in _words(line):
                if word.startswith(REPO_DIRS) and not _SYNOPSIS.search(word) and "*" not in word:
                    out.append((_id(page), line, word.rstrip(",.")))
    return out


FILES = _file_words()


@pytest.mark.parametrize("page, line, path", FILES, ids=[f"{p}: {w}" for p, _, w in FILES])
def test_command_file_exists(page, line, path):
    assert (ROOT / path.split(":")[0]).exists(), f"{page}: `{line}` names {path}, which is not in the repository"


def test_make_targets_in_docs_exist():
    targets = set(re.findall(r"^([a-z]+):", (ROOT / "Makefile").read_text(), re.M))
    used = {w[1] for page in PAGES for line in _commands(page) if (w := _words(line))[:1] == ["make"] and len(w) > 1}
    assert used and used <= targets, used - targets


def _slug(heading: str) -> str:
    text = heading.strip().lower().replace("`", "")
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
    return {_slug(h) for h in re.findall(r"^#+\s+(.*)$", text, re.M)}


def _links() -> list[tuple[str, str]]:
    out = []
    for page in PAGES:
        text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"^(https?:|mailto:)", target):
                continue
            dest = (page.parent / target.partition("#")[0]).resolve()
            if dest == ROOT or ROOT in dest.parents:  # ../shared/API.md is the founders' folder, beside the repository
                out.append((_id(page), target))
    return out


LINKS = _links()


@pytest.mark.parametrize("page, target", LINKS, ids=[f"{p} -> {t}" for p, t in LINKS])
def test_relative_link_reaches_its_file_and_heading(page, target):
    source = ROOT / page
    file_part, _, anchor = target.partition("#")
    dest = (source.parent / file_part).resolve() if file_part else source
    assert dest.exists(), f"{page}: link to {target}: no such file"
    if anchor and dest.suffix == ".md":
        assert anchor in _anchors(dest), f"{page}: link to {target}: no heading with that anchor in {dest.name}"

"""The console: a progress line per scenario while running, then failures in full and a summary table."""
from __future__ import annotations

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from harness import events as ev
from harness.reporters.text import failure_text
from harness.tables import plain_table

_MARK = {"passed": "[green]PASS[/]", "failed": "[red]FAIL[/]", "error": "[magenta]ERROR[/]"}
_PLAIN = {"passed": "PASS", "failed": "FAIL", "error": "ERROR"}


def _mode(r) -> str:
    """A replayed scenario ran against recorded answers, not a simulator: never let it pass for a live run."""
    return " [cyan]REPLAY[/]" if r.mode == "replay" else ""


class ConsoleReporter:
    def __init__(self, console: Console | None = None, verbose: bool = False) -> None:
        self.console = console or Console(highlight=False, soft_wrap=True)
        self.verbose = verbose
        self.total = 0
        self.done = 0
        self.progress: Progress | None = None
        self.task = None

    def handle(self, event) -> None:
        c = self.console
        if isinstance(event, ev.RunStarted):
            self.total = len(event.scenarios)
            c.print(f"ajio-sim run: {self.total} scenario(s); under test: {event.connector}; server {event.server}")
            if c.is_terminal:  # a live bar on a terminal; CI logs get one line per scenario instead
                self.progress = Progress(TextColumn("scenarios"), BarColumn(), MofNCompleteColumn(),
                                         TimeElapsedColumn(), console=c, transient=True)
                self.progress.start()
                self.task = self.progress.add_task("run", total=self.total)
        elif isinstance(event, ev.StepDone) and self.verbose:
            c.print(f"    {event.scenario.name}: {event.step.label} {'ok' if event.ok else 'FAILED'} {event.note}")
        elif isinstance(event, ev.ConnectorRan) and event.run.kill:
            c.print(f"    [yellow]{event.run.kill}[/] ({event.scenario.name}, {event.run.step})", markup=True)
        elif isinstance(event, ev.ConnectorRan) and event.run.abnormal:
            c.print(f"    [yellow]connector exited {event.run.exit_code}[/] ({event.scenario.name}, {event.run.step}): "
                    "recorded, not fatal by itself")
        elif isinstance(event, ev.ScenarioDone):
            self.done += 1
            r = event.result
            c.print(f"[{self.done}/{self.total}] {_MARK[r.status]}{_mode(r)} {r.scenario.name} "
                    f"[dim]({r.scenario.path}, {r.duration_s:.1f} s)[/]")
            if self.progress is not None:
                self.progress.advance(self.task)
        elif isinstance(event, ev.RunDone):
            if self.progress is not None:
                self.progress.stop()
            self._summary(event)

    def _summary(self, done: ev.RunDone) -> None:
        c = self.console
        for r in done.results:
            if not r.passed:
                c.rule(f"{r.status.upper()}: {r.scenario.name}")
                c.print(failure_text(r), markup=False)
        if c.is_terminal:
            table = Table(title="ajio-sim run")
            for col in ("scenario", "rule", "result", "s"):
                table.add_column(col)
            for r in done.results:
                table.add_row(r.scenario.name, r.scenario.rule[:60], _MARK[r.status] + _mode(r), f"{r.duration_s:.1f}")
            c.print(table)
        else:  # piped or in a CI log: plain columns that never fold a cell over several lines
            c.out(plain_table(["result", "s", "scenario", "rule"],
                              [[_PLAIN[r.status] + (" REPLAY" if r.mode == "replay" else ""), f"{r.duration_s:.1f}",
                                r.scenario.name, r.scenario.rule] for r in done.results]), highlight=False)
        counts = {s: sum(r.status == s for r in done.results) for s in ("passed", "failed", "error")}
        colour = "green" if done.ok else "red"
        c.print(f"[{colour}]{counts['passed']} passed, {counts['failed']} failed, {counts['error']} errors[/] "
                f"in {done.duration_s:.1f} s")

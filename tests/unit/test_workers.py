"""`serve --workers`: refused where the workers could not share one store."""
from __future__ import annotations

import pytest

from simulator.cli import main


@pytest.mark.parametrize("argv, message", [
    (["--workers", "2", "--db", "sqlite://"], "needs a store the workers share"),
    (["--workers", "3", "--db", "sqlite:///:memory:"], "needs a store the workers share"),
    (["--workers", "0"], "--workers must be at least 1"),
], ids=["memory-url", "memory-path", "zero"])
def test_serve_workers_refused(argv, message, capsys):
    assert main(["serve", *argv]) == 2
    assert message in capsys.readouterr().err


def test_postgres_url_names_the_installed_driver():
    from simulator.store import normalise_url
    assert normalise_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("postgresql+psycopg2://u@h/db") == "postgresql+psycopg2://u@h/db"
    assert normalise_url("sqlite:///x") == "sqlite:///x"

"""The QA CLI piped (not a terminal): plain columns, one line per row, ids and passwords whole."""
from __future__ import annotations

import json
import os
import subprocess

import pytest

from fixtures.simclient import ServerProcess, ajio_sim_binary

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def plain_server(tmp_path_factory):
    proc = ServerProcess(tmp_path_factory.mktemp("plain") / "plain.sqlite3")
    yield proc
    proc.stop()


def _cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if not k.startswith("AJIO_SIM_") and k != "COLUMNS"}
    full.update(env or {})
    return subprocess.run([ajio_sim_binary(), *args], capture_output=True, text=True, timeout=60, env=full)


def test_seller_list_piped_prints_each_pob_on_one_line(plain_server):
    # Seven columns of ids, codes and passwords: more than the 80 columns rich assumes for a pipe.
    made = [_cli("seller", "create", "--store-code", f"PLAIN-OUTPUT-STORE-CODE-{n}", "--base-url",
                 plain_server.base_url, "--json") for n in range(2)]
    assert all(m.returncode == 0 for m in made)
    done = _cli("seller", "list", env={"AJIO_SIM_URL": plain_server.base_url})
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "POBs" and lines[1].split() == ["pob_id", "model", "store_code", "password", "seller_id",
                                                        "einvoicing", "shipping_api_access"]
    for m in made:
        pob = json.loads(m.stdout)
        [row] = [line for line in lines if line.startswith(pob["pob_id"])]
        assert row.split()[:4] == [pob["pob_id"], "ds", pob["store_code"], pob["password"]]
    assert not any(c in done.stdout for c in "│┃━─")  # no box drawing: plain columns


def test_order_show_piped_keeps_line_and_timeline_rows_whole(plain_server):
    pob_id = json.loads(_cli("seller", "create", "--base-url", plain_server.base_url, "--json").stdout)["pob_id"]
    [order_id] = _cli("orders", "create", "--pob", pob_id, "--base-url", plain_server.base_url).stdout.split()
    _cli("cancel", order_id, "--base-url", plain_server.base_url)
    done = _cli("order", "show", order_id, "--base-url", plain_server.base_url)
    assert done.returncode == 0, done.stderr
    out = done.stdout.splitlines()
    state = json.loads(_cli("order", "show", order_id, "--json", "--base-url", plain_server.base_url).stdout)
    for line in state["lines"]:  # ten columns of a line: wider than 80, each still on one row
        [row] = [r for r in out if r.startswith(line["order_item_id"])]
        assert row.split()[1] == line["sku"] and row.split()[-2:] == [str(line["mrp"]), str(line["oversold_qty"])]
    rows = [r for r in out if "customer cancelled the order" in r]
    assert len(rows) == 1 and rows[0].split()[3:5] == ["CREATED", "CANCELLED"]

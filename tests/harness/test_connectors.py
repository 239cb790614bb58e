"""Connector adapters below the CLI: the daemon leaves no process behind, the command's output is kept."""
from __future__ import annotations

from harness.connectors import CommandAdapter, _group_running


def test_daemon_stop_ends_the_whole_process_group(tmp_path):
    env = {"AJIO_STATE_DIR": str(tmp_path)}
    daemon = CommandAdapter("echo started; sleep 30; echo never").start(env)
    pgid = daemon.proc.pid
    for _ in range(100):
        if "started" in (tmp_path / "daemon-output.log").read_text():
            break
        __import__("time").sleep(0.05)
    assert _group_running(pgid)
    outcome = daemon.stop()
    assert not _group_running(pgid)
    assert "started" in outcome.output_tail and "never" not in outcome.output_tail


def test_command_run_once_records_exit_code_and_output(tmp_path):
    outcome = CommandAdapter("echo $AJIO_USERNAME; exit 3").run_once({"AJIO_STATE_DIR": str(tmp_path),
                                                                      "AJIO_USERNAME": "DVTEST1"})
    assert outcome.exit_code == 3 and "DVTEST1" in outcome.output_tail


def test_command_run_once_killed_after_timeout(tmp_path):
    outcome = CommandAdapter("sleep 30", timeout=0.5).run_once({"AJIO_STATE_DIR": str(tmp_path)})
    assert outcome.exit_code == -9 and "killed after" in outcome.output_tail

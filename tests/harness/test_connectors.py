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


def test_a_process_whose_main_thread_exited_runs_until_its_last_thread_has(tmp_path):
    """A killed multi-threaded process may show a zombie main thread while its other threads still exit, holding
    its files (an ERP's listening socket): the group is running until no thread is left."""
    import os
    import subprocess
    import sys
    import time

    flag = tmp_path / "thread-done"
    script = ("import ctypes, pathlib, sys, threading, time\n"
              "def work():\n"
              "    time.sleep(1.5)\n"
              "    pathlib.Path(sys.argv[1]).write_text('done')\n"
              "threading.Thread(target=work).start()\n"
              "ctypes.CDLL(None).pthread_exit(None)  # the main thread ends; the process lives on in the other\n")
    proc = subprocess.Popen([sys.executable, "-c", script, str(flag)], start_new_session=True)
    try:
        deadline = time.monotonic() + 10
        while open(f"/proc/{proc.pid}/stat").read().rsplit(")", 1)[1].split()[0] != "Z":
            assert time.monotonic() < deadline, "the main thread never ended"
            time.sleep(0.02)
        assert not flag.exists()
        assert _group_running(proc.pid), "a zombie main thread with a live thread left is still running"
        proc.wait(timeout=10)
        assert flag.exists()
        assert not _group_running(proc.pid)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, 9)
            proc.wait()

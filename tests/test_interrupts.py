"""Stopping a run (preaudit/app/interrupts.py), as a user stops one: Ctrl-C mid-OCR, or kill -9."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from preaudit.app.interrupts import children
from preaudit.samples.generator import generate

CLI = Path(sys.executable).with_name("preaudit")


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state in ("Z", "X")  # a zombie has ended; only its parent has not read its status yet


def _wait_for_child(pid: int, word: str, timeout: float) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = []
        for child in children(pid):
            try:
                if word in Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ").decode():
                    found.append(child)
            except OSError:
                continue
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"no {word} process under {pid} after {timeout} s")


def _start(tmp_path, style: str) -> subprocess.Popen:
    generate(style=style, seed=7).write(tmp_path / "pack")
    env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "XDG_CACHE_HOME": str(tmp_path / "cache")}
    return subprocess.Popen([str(CLI), "run", str(tmp_path / "pack"), "--out", str(tmp_path / "out")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            start_new_session=True)


@pytest.fixture
def leftovers():
    started: list[int] = []
    yield started
    for pid in started:  # whatever the test found, leave nothing running
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def test_a_run_killed_outright_leaves_no_api_server_behind(tmp_path, leftovers):
    run = _start(tmp_path, "en")
    leftovers.append(run.pid)
    servers = _wait_for_child(run.pid, "uvicorn", timeout=120)
    leftovers.extend(servers)
    os.kill(run.pid, signal.SIGKILL)
    run.communicate(timeout=30)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and not all(_gone(s) for s in servers):
        time.sleep(0.2)
    assert all(_gone(s) for s in servers), "Prefect's API server outlived the killed run"


def test_ctrl_c_mid_ocr_stops_within_seconds_with_one_line(tmp_path, leftovers):
    run = _start(tmp_path, "scanned")
    leftovers.append(run.pid)
    ocr = _wait_for_child(run.pid, "tesseract", timeout=300)
    others = [p for p in children(run.pid) if p not in ocr]
    leftovers.extend(ocr + others)
    asked = time.monotonic()
    os.kill(run.pid, signal.SIGINT)  # to preaudit alone, not its group: it must stop its children itself
    out, err = run.communicate(timeout=60)
    took = time.monotonic() - asked
    assert run.returncode == 130 and took < 10, (run.returncode, took)
    assert err.strip().splitlines()[-1].startswith("interrupted: the audit of")
    assert "Traceback" not in out + err
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not all(_gone(p) for p in ocr + others):
        time.sleep(0.2)
    assert all(_gone(p) for p in ocr + others), "a Tesseract or server process outlived the run"

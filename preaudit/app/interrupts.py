"""Stopping a run: Ctrl-C stops within seconds with one line, and a run killed outright leaves no
process behind.

Before, Ctrl-C reached the flow while OCR threads went on (Python waits for them at exit): minutes
of Tesseract, then hundreds of lines of tracebacks. And Prefect's ephemeral API server, a child
process, stayed listening after ``kill -9`` of its parent. Nothing half-written is left either
way: every output and cache entry is written to a temporary name and renamed (storage.py).
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import types
from pathlib import Path

PR_SET_PDEATHSIG = 1
_LIBC = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)


def _die_with_parent() -> None:  # runs in the child between fork and exec: no imports, no locks
    _LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def ephemeral_server_dies_with_us() -> None:
    """Start Prefect's ephemeral API server so that the kernel stops it when this process ends,
    however it ends (Linux PR_SET_PDEATHSIG). Prefect's own clean-up covers a normal exit only."""
    import subprocess

    if os.environ.get("PREFECT_API_URL"):
        return  # a server of its own: nothing is started, and importing the server module costs ~6 s
    from prefect.server.api import server as prefect_server

    if getattr(prefect_server.subprocess, "dies_with_parent", False):
        return
    patched = types.ModuleType("subprocess")
    patched.__dict__.update(subprocess.__dict__)

    def popen(*args, **kwargs):
        kwargs.setdefault("preexec_fn", _die_with_parent)
        return subprocess.Popen(*args, **kwargs)

    patched.Popen = popen
    patched.dies_with_parent = True
    prefect_server.subprocess = patched  # only the server module's own calls change


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (from /proc)."""
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            out.append(int(entry.name))
    return out


def stop_on_interrupt(what: str) -> None:
    """On Ctrl-C (or SIGTERM): stop our child processes (Tesseract, the API server), say so in one
    line and leave at once, without waiting for threads that are mid-page."""
    def stop(signum, frame):
        for child in children(os.getpid()):
            try:
                os.kill(child, signal.SIGTERM)
            except OSError:
                pass
        sys.stderr.write(f"\ninterrupted: {what} stopped before it finished\n")
        sys.stderr.flush()
        os._exit(130 if signum == signal.SIGINT else 143)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)

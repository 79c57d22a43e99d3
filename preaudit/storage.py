"""Where packs and outputs live, behind one small interface: list, read, write.

A local folder is the embedded default; the object-store backend (MinIO / S3) implements the same
three calls.
"""
from __future__ import annotations

from pathlib import Path
from typing import Protocol


class Storage(Protocol):
    def list(self) -> list[str]:
        """Pack-relative paths of every file, with forward slashes, sorted."""

    def read(self, path: str) -> bytes: ...

    def write(self, path: str, data: bytes) -> None: ...


class LocalStorage:
    def __init__(self, root: str | Path):
        self.root = Path(root)

    def list(self) -> list[str]:
        return sorted(p.relative_to(self.root).as_posix() for p in self.root.rglob("*")
                      if p.is_file() and not any(part.startswith(".") for part in p.relative_to(self.root).parts))

    def read(self, path: str) -> bytes:
        return (self.root / path).read_bytes()

    def write(self, path: str, data: bytes) -> None:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def open_storage(location: str) -> Storage:
    if location.startswith("s3://"):
        raise NotImplementedError("s3:// packs need the object-store backend (issue 5)")
    return LocalStorage(location)

"""Where packs, caches and outputs live, behind one small interface: list, read, write.

A local folder is the embedded default; S3 / MinIO goes through the ``minio`` SDK. Locations
are a folder path or ``s3://BUCKET/PREFIX/``. The object store's endpoint and credentials come
from the environment (MINIO_ENDPOINT, MINIO_ACCESS_KEY, MINIO_SECRET_KEY, MINIO_SECURE) and are
never printed: ``repr`` shows the location only.
"""
from __future__ import annotations

import io
import json
import os
import threading
from pathlib import Path
from typing import Protocol


class StorageError(Exception):
    """The store could not be reached or answered with an error; worth retrying."""


class ObjectGone(FileNotFoundError):
    """A listed file or object is not there when read (deleted between listing and reading):
    that document's problem, not the store's, so never retried (not a StorageError)."""


class Storage(Protocol):
    location: str

    def list(self) -> list[str]:
        """Relative paths of every file, with forward slashes, sorted."""

    def fingerprints(self) -> dict[str, str]:
        """Relative path → a content fingerprint, without reading the files where the store
        keeps one (an object's ETag)."""

    def read(self, path: str) -> bytes: ...

    def head(self, path: str, size: int) -> bytes:
        """The first bytes of a file (enough to tell its format), without reading the rest."""

    def sizes(self) -> dict[str, int]:
        """Relative path → size in bytes, from the listing (no file is read)."""

    def write(self, path: str, data: bytes) -> None: ...

    def exists(self, path: str) -> bool: ...

    def delete(self, path: str) -> None: ...

    def child(self, prefix: str) -> "Storage": ...


class LocalStorage:
    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.location = str(self.root)
        self._on_disk: dict[str, str] | None = None  # a name as preaudit shows it → its name on disk

    def __repr__(self) -> str:
        return f"LocalStorage({self.location})"

    def list(self) -> list[str]:
        """The pack's regular files: no hidden file, and no link (a link could lead out of the pack)."""
        return sorted(path for path, why in self._entries() if why is None)

    def passed_over(self) -> list[tuple[str, str]]:
        """Entries of the pack that are not read, and why: each gets a finding, none is silent."""
        return sorted((path, why) for path, why in self._entries() if why is not None)

    def _entries(self) -> list[tuple[str, str | None]]:
        self._on_disk = {}
        if not self.root.is_dir():
            return []
        out = []
        for folder, dirs, files in os.walk(self.root, followlinks=False):
            base = Path(folder)
            for name in sorted(dirs):
                if (base / name).is_symlink():  # os.walk does not enter it: say so
                    out.append((self._shown((base / name).relative_to(self.root).as_posix()),
                                "a link to a folder: not followed"))
            for name in files:
                path = base / name
                rel = Path(self._shown(path.relative_to(self.root).as_posix()))
                if any(part.startswith(".") for part in rel.parts):
                    out.append((rel.as_posix(), "a hidden file: not read"))
                elif path.is_symlink():
                    out.append((rel.as_posix(), "a link: not followed" if path.exists() else "a dangling link"))
                elif path.is_file():
                    out.append((rel.as_posix(), None))
            dirs[:] = [d for d in dirs if not (base / d).is_symlink()]
        return out

    def _shown(self, on_disk: str) -> str:
        """A name that is not UTF-8 (a Chinese zip unpacked on Linux leaves GBK bytes) is shown as
        GB18030 when it reads as that, else with its bytes escaped; reads still find the file."""
        try:
            on_disk.encode("utf-8")
            return on_disk
        except UnicodeEncodeError:
            raw = os.fsencode(on_disk)
        try:
            shown = raw.decode("gb18030")
        except UnicodeDecodeError:
            shown = raw.decode("utf-8", "backslashreplace")
        if shown in self._on_disk or (self.root / shown).exists():
            shown = raw.decode("utf-8", "backslashreplace")
        self._on_disk[shown] = on_disk
        return shown

    def _path(self, path: str) -> Path:
        """A document's file. A name as listed is its name on disk unless it was not UTF-8; only
        then is the pack walked (once per storage) to find it: one extraction task per document
        must not walk the whole pack again (issue 27, item 7)."""
        if self._on_disk is None:
            direct = self.root / path
            try:
                path.encode("utf-8")
                if direct.is_file() and not direct.is_symlink():
                    return direct
            except (UnicodeEncodeError, OSError, ValueError):
                pass
            self._entries()
        return self.root / self._on_disk.get(path, path)

    def fingerprints(self) -> dict[str, str]:
        """Size and modification time, as an object store's ETag stands for content: a nightly run
        tells unchanged packs without reading them (a touched file costs a run, answered from the
        extraction cache)."""
        out = {}
        for p in self.list():
            stat = self._path(p).stat()
            out[p] = f"{stat.st_size}:{stat.st_mtime_ns}"
        return out

    def sizes(self) -> dict[str, int]:
        return {p: self._path(p).stat().st_size for p in self.list()}

    def read(self, path: str) -> bytes:
        try:
            return self._path(path).read_bytes()
        except FileNotFoundError as exc:
            raise ObjectGone(f"{path}: listed but gone when read") from exc

    def head(self, path: str, size: int) -> bytes:
        try:
            with open(self._path(path), "rb") as handle:
                return handle.read(size)
        except FileNotFoundError as exc:
            raise ObjectGone(f"{path}: listed but gone when read") from exc

    def write(self, path: str, data: bytes) -> None:
        """Owner-only (0600): outputs and the extraction cache hold personal data. Written to a
        temporary name first and renamed, so a reader never meets half a file."""
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.part")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, target)

    def exists(self, path: str) -> bool:
        return (self.root / path).is_file()

    def delete(self, path: str) -> None:
        (self.root / path).unlink(missing_ok=True)

    def child(self, prefix: str) -> "LocalStorage":
        return LocalStorage(self.root / prefix)


def minio_settings() -> dict[str, str]:
    """Endpoint and credentials: the MINIO_* environment variables, or the Prefect Secret block
    named by PREAUDIT_MINIO_BLOCK holding {"endpoint", "access_key", "secret_key", "secure"}."""
    block = os.environ.get("PREAUDIT_MINIO_BLOCK")
    if block:
        from prefect.blocks.system import Secret

        value = Secret.load(block).get()
        value = value if isinstance(value, dict) else json.loads(value)
        return {"endpoint": value["endpoint"], "access_key": value["access_key"],
                "secret_key": value["secret_key"], "secure": str(value.get("secure", "false"))}
    return {"endpoint": os.environ.get("MINIO_ENDPOINT", ""), "access_key": os.environ.get("MINIO_ACCESS_KEY", ""),
            "secret_key": os.environ.get("MINIO_SECRET_KEY", ""), "secure": os.environ.get("MINIO_SECURE", "false")}


def _minio_client():
    import urllib3
    from minio import Minio

    settings = minio_settings()
    endpoint = settings["endpoint"]
    if not endpoint:
        raise StorageError("s3:// locations need MINIO_ENDPOINT (host:port), MINIO_ACCESS_KEY and MINIO_SECRET_KEY, "
                           "or PREAUDIT_MINIO_BLOCK naming a Prefect Secret block")
    secure = settings["secure"].strip().lower() in ("1", "true", "yes")
    if "://" in endpoint:
        scheme, endpoint = endpoint.split("://", 1)
        secure = scheme == "https"
    # few, quick retries here: a store that is down must surface as an error the flow retries
    # with backoff, not hang a task inside the SDK
    http = urllib3.PoolManager(timeout=urllib3.Timeout(connect=3, read=60),
                               retries=urllib3.Retry(total=2, backoff_factor=0.2,
                                                     status_forcelist=[500, 502, 503, 504]))
    return Minio(endpoint.rstrip("/"), access_key=settings["access_key"], secret_key=settings["secret_key"],
                 secure=secure, http_client=http)


def why(exc: BaseException) -> str:
    """A store's failure in a few words: "127.0.0.1:9000: Connection refused", not urllib3's
    nested reprs of every retry."""
    import urllib3

    from minio.error import S3Error

    if isinstance(exc, S3Error):
        return f"{exc.code}: {exc.message}"
    if isinstance(exc, urllib3.exceptions.MaxRetryError):
        where = f"{exc.pool.host}:{exc.pool.port}" if exc.pool is not None else "the store"
        reason = str(exc.reason or exc).rsplit("]", 1)[-1].strip() or type(exc.reason).__name__
        return f"{where}: {reason} (after retrying)"
    return f"{type(exc).__name__}: {exc}"


def _storage_errors():
    import urllib3
    from minio.error import MinioException

    return (MinioException, urllib3.exceptions.HTTPError, OSError)


_GONE = ("NoSuchKey", "NoSuchObject", "NotFound", "ResourceNotFound")


class S3Storage:
    def __init__(self, bucket: str, prefix: str = "", client=None):
        self.bucket, self.prefix = bucket, prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.client = client or _minio_client()
        self.location = f"s3://{bucket}/{self.prefix}"

    def __repr__(self) -> str:
        return f"S3Storage({self.location})"

    def _call(self, what: str, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except _storage_errors() as exc:
            raise StorageError(f"{what} {self.location}: {why(exc)}") from exc

    def _read_call(self, path: str, what: str, **kwargs) -> bytes:
        """A GET; an object that is not there (deleted since the listing) is ObjectGone, at once."""
        from minio.error import S3Error

        try:
            return self._get(path, **kwargs)
        except S3Error as exc:
            if exc.code in _GONE:
                raise ObjectGone(f"{path}: listed but gone when read") from exc
            raise StorageError(f"{what} {self.location}: {why(exc)}") from exc
        except _storage_errors() as exc:
            raise StorageError(f"{what} {self.location}: {why(exc)}") from exc

    def ensure_bucket(self) -> None:
        if not self._call("checking bucket", self.client.bucket_exists, self.bucket):
            self._call("creating bucket", self.client.make_bucket, self.bucket)

    def _objects(self):
        return self._call("listing", lambda: list(self.client.list_objects(self.bucket, prefix=self.prefix,
                                                                           recursive=True)))

    def list(self) -> list[str]:
        return sorted(o.object_name[len(self.prefix):] for o in self._objects() if not o.is_dir)

    def fingerprints(self) -> dict[str, str]:
        return {o.object_name[len(self.prefix):]: f"{o.etag}:{o.size}" for o in self._objects() if not o.is_dir}

    def sizes(self) -> dict[str, int]:
        return {o.object_name[len(self.prefix):]: o.size for o in self._objects() if not o.is_dir}

    def read(self, path: str) -> bytes:
        return self._read_call(path, f"reading {path} from")

    def head(self, path: str, size: int) -> bytes:
        return self._read_call(path, f"reading the start of {path} from", length=size)  # a ranged GET

    def _get(self, path: str, length: int = 0) -> bytes:
        response = self.client.get_object(self.bucket, self.prefix + path, offset=0, length=length)
        try:
            return response.read()
        finally:
            response.close()
            response.release_conn()

    def write(self, path: str, data: bytes) -> None:
        self._call(f"writing {path} to", self.client.put_object, self.bucket, self.prefix + path,
                   io.BytesIO(data), len(data))

    def exists(self, path: str) -> bool:
        from minio.error import S3Error

        try:
            self.client.stat_object(self.bucket, self.prefix + path)
            return True
        except S3Error as exc:
            if exc.code in _GONE:
                return False
            raise StorageError(f"checking {path} in {self.location}: {why(exc)}") from exc
        except _storage_errors() as exc:
            raise StorageError(f"checking {path} in {self.location}: {why(exc)}") from exc

    def delete(self, path: str) -> None:
        self._call(f"deleting {path} from", self.client.remove_object, self.bucket, self.prefix + path)

    def child(self, prefix: str) -> "S3Storage":
        return S3Storage(self.bucket, self.prefix + prefix.strip("/"), self.client)


def parse_s3(location: str) -> tuple[str, str]:
    rest = location[len("s3://"):]
    bucket, _, prefix = rest.partition("/")
    if not bucket:
        raise StorageError(f"{location!r} names no bucket (s3://BUCKET/PREFIX/)")
    return bucket, prefix


def open_storage(location: str) -> Storage:
    if location.startswith("s3://"):
        bucket, prefix = parse_s3(location)
        return S3Storage(bucket, prefix)
    return LocalStorage(location)

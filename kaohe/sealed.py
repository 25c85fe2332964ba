"""The caches' common ground: the user's cache folder, files sealed with the user's own key, kept JSON, pruning.

Both caches of a project (parsed content files, :mod:`kaohe.content.cache`; rendered
outputs, :mod:`kaohe.render.reuse`) live in ``.cache/`` beside ``content/`` and keep
files that are trusted only when they carry an HMAC made with a key that never lives
in the project: ``$XDG_CACHE_HOME/kaohe/cache.key`` (``~/.cache/kaohe/cache.key``),
made on first use, readable by its owner only. A ``.cache/`` folder that came with a
commit, a pull request or a copied project is therefore ignored file by file.

Nothing here is needed for correctness: every function fails quietly (``None``,
``False``, nothing written), and a cache that cannot be used is only slower.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import stat
from contextlib import suppress
from pathlib import Path

CACHE_DIR = ".cache"  # beside content/ and output/; never committed (.gitignore)
DISABLE_VARIABLE = "KAOHE_NO_CACHE"  # set to 1: no cache is read or written
KEY_FILE = "cache.key"
SEAL_SIZE = hashlib.sha256().digest_size


def caching_disabled() -> bool:
    return os.environ.get(DISABLE_VARIABLE, "") not in ("", "0")


def user_cache_dir() -> Path:
    """This user's cache folder for the tool: ``$XDG_CACHE_HOME/kaohe`` or ``~/.cache/kaohe``."""
    home = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(home) / "kaohe"


def user_key() -> bytes | None:
    """The HMAC key of this user's caches, made on first use; None where none can be kept."""
    path = user_cache_dir() / KEY_FILE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with suppress(FileExistsError):  # O_EXCL: two processes starting at once keep one key
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(secrets.token_bytes(32))
    except OSError:
        return None
    key = read_regular(path) or b""
    return key if len(key) >= 32 else None


def write_atomically(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` through a partial file renamed into place; False when it cannot be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        partial.write_bytes(data)
        partial.replace(path)
    except OSError:
        return False
    return True


def read_kept(path: Path) -> object:
    """A JSON value kept in the user's cache folder (:func:`keep`), or None when absent or not JSON.

    The caller checks its shape: any file there may have been damaged or written by hand.
    """
    data = read_regular(path)
    try:
        loaded: object = json.loads(data.decode("utf-8")) if data is not None else None
    except ValueError:
        return None
    return loaded


def keep(path: Path, value: object) -> bool:
    """Keep a JSON value at ``path`` (sorted keys, UTF-8), for :func:`read_kept`."""
    return write_atomically(path, json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8"))


def seal_of(path: Path, key: bytes, body: bytes) -> bytes:
    """The HMAC-SHA256 under ``key`` of the file's name and ``body``: a sealed file moved to another name is not sealed."""
    return hmac.new(key, path.name.encode("utf-8") + b"\0" + body, hashlib.sha256).digest()


def write_sealed(path: Path, key: bytes, body: bytes) -> None:
    """Keep ``body`` at ``path`` behind its seal (:func:`seal_of`)."""
    write_atomically(path, seal_of(path, key, body) + body)


def read_sealed(path: Path, key: bytes) -> bytes | None:
    """The body kept at ``path`` when its seal is valid under ``key``; None when absent or not sealed by this user.

    Only a regular file is read (:func:`read_regular`). A file read is marked as just used, so that
    :func:`prune` removes the files unused the longest.
    """
    data = read_regular(path)
    if data is None:
        return None
    seal, body = data[:SEAL_SIZE], data[SEAL_SIZE:]
    if not hmac.compare_digest(seal, seal_of(path, key, body)):
        return None
    with suppress(OSError):
        os.utime(path)
    return body


def read_regular(path: Path) -> bytes | None:
    """The bytes of the regular file at ``path``; None for anything else or when it cannot be read.

    A cache folder may have come with a pull request: a symbolic link (to ``/dev/zero``, say), a
    named pipe or a device there is never followed, opened so as to wait, or read.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return None
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            return handle.read()
    except OSError:
        return None
    finally:
        os.close(descriptor)


def prune(folder: Path, keep: int, pattern: str = "*") -> None:
    """Remove the files matching ``pattern`` in ``folder`` beyond the ``keep`` last written or used."""
    try:
        files = sorted((p for p in folder.glob(pattern) if p.is_file()), key=lambda p: p.stat().st_mtime)
        for stale in files[: max(0, len(files) - keep)]:
            stale.unlink(missing_ok=True)
    except OSError:
        return

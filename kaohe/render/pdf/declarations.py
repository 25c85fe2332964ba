"""WeasyPrint's C declarations parsed once for this user, not each time a process imports WeasyPrint.

WeasyPrint declares the C functions and types it calls (Pango, HarfBuzz, Fontconfig, GObject)
with ``cffi.FFI().cdef(text)``, cffi's in-line ABI mode: every import parses that text with
pycparser, some 35 ms of CPU (importing pycparser, then the parse) in the build and in each PDF
worker. cffi's out-of-line ABI mode writes the same declarations as data, a module whose one
call, ``_cffi_backend.FFI(name, _version=…, _types=…, …)``, takes them as literals
(``set_source(name, None)``, ``emit_python_code``).

While WeasyPrint is first imported (:mod:`.loading`), ``cffi.FFI()`` made by its ``text.ffi``
module is a :class:`Declared`: an FFI of cffi's backend, as the out-of-line module makes, whose
``cdef(text)`` takes those literals from the user's cache folder, or has cffi parse ``text`` and
write the module (once), reads its call's literals with :func:`ast.literal_eval` (never running it)
and keeps them there, in :mod:`marshal`'s format. What is read back is used only under the user's
seal over the file's name and body (:mod:`kaohe.sealed`), when it holds literals only and when
cffi's backend takes it; else it is parsed again. The file's name is a digest of the text, the
options, this module's format and the versions of cffi and Python, so an upgrade parses again. Any
other caller of ``cffi.FFI()`` gets cffi's own; with caching off (``KAOHE_NO_CACHE``) or no cache
folder, so does WeasyPrint, and so it does when a ``cdef`` cannot be served so
(:class:`DeclarationsRefused`).

The FFI has the same types, constants and functions either way, and opens libraries by name as
WeasyPrint asks. What differs is what WeasyPrint never does: a declared function the library
lacks raises ``ffi.error`` when looked up, not ``AttributeError`` (so ``hasattr`` on a library
raises), types print by their struct names (``struct _FcConfig *``, not ``FcConfig *``), and there
is no second ``cdef``, ``include`` or ``verify``.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import marshal
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import _cffi_backend  # type: ignore[import-untyped]
import cffi.api  # type: ignore[import-untyped]

from kaohe.sealed import caching_disabled, prune, read_sealed, user_cache_dir, user_key, write_sealed

DECLARING_MODULE = "weasyprint.text.ffi"  # the module whose FFI() is a Declared
FOLDER = "cffi"  # in the user's cache folder
KEEP = 8  # declarations of this many versions of WeasyPrint, cffi or Python
MODULE_NAME = "_kaohe_declared"  # the out-of-line module's name, as cffi writes it (never imported)
SUFFIX = ".marshal"
FORMAT = "kaohe-cffi-1"  # what a kept file holds; a new one is a new name


class DeclarationsRefused(Exception):
    """A ``cdef`` that cffi's own FFI would take and :class:`Declared` cannot; WeasyPrint is imported with cffi's then."""


class Declared(_cffi_backend.FFI):  # type: ignore[misc]
    """An FFI whose one ``cdef`` takes its declarations from the user's cache (:func:`declarations`).

    Made by :meth:`made` without running the backend's ``__init__``, which can run only once and
    is what takes the declarations: ``cdef`` runs it. Anything it cannot do (a second ``cdef``,
    options out-of-line cffi refuses, declarations the backend refuses) raises
    :class:`DeclarationsRefused`, and :mod:`.loading` imports WeasyPrint again with cffi's own FFI.
    """

    _kaohe_key: bytes  # until cdef has taken the declarations

    @classmethod
    def made(cls, key: bytes) -> Declared:
        ffi: Declared = cls.__new__(cls)
        ffi._kaohe_key = key
        return ffi

    def cdef(self, csource: str, **options: Any) -> None:
        key, self._kaohe_key = self._kaohe_key, b""  # the user's key is not kept in the FFI after
        if not key:
            raise DeclarationsRefused("a second cdef")
        try:
            arguments, keywords = declarations(key, csource, options)
            _cffi_backend.FFI.__init__(self, *arguments, **keywords)
        except Exception as exc:  # whatever cffi says: its own FFI will say it again, or do it
            raise DeclarationsRefused(f"{type(exc).__name__}: {exc}") from exc


def cache_path(csource: str, options: dict[str, Any]) -> Path:
    versions = (
        f"{FORMAT}\0{cffi.__version__}\0{_cffi_backend.__version__}\0{sys.version}\0{sorted(options.items())!r}\0"
    )
    digest = hashlib.sha256(versions.encode() + csource.encode()).hexdigest()
    return user_cache_dir() / FOLDER / f"{digest}{SUFFIX}"


Call = tuple[list[Any], dict[str, Any]]  # the out-of-line module's FFI call: its arguments and keywords


def declarations(key: bytes, csource: str, options: dict[str, Any]) -> Call:
    """The arguments of the out-of-line module's FFI call for ``csource``: kept ones, or cffi's, kept now."""
    path = cache_path(csource, options)
    kept = read_sealed(path, key)
    if kept is not None:
        with contextlib.suppress(Exception):  # unreadable, or refused by cffi's backend: parsed again
            call = kept_call(marshal.loads(kept))
            _cffi_backend.FFI(*call[0], **call[1])  # the backend takes it (a throwaway FFI, well under 1 ms)
            return call
    call = literal_call(parsed_by_cffi(csource, options))
    write_sealed(path, key, marshal.dumps(call))
    prune(path.parent, KEEP, f"*{SUFFIX}")
    return call


def kept_call(value: object) -> Call:
    """``value`` as read back (:mod:`marshal`: Python's own format for literals), when it is literals only."""
    if not (isinstance(value, tuple) and len(value) == 2 and literal(value)):
        raise ValueError("not a call's arguments")
    arguments, keywords = value
    if not isinstance(arguments, list) or not isinstance(keywords, dict):
        raise ValueError("not a call's arguments")
    return arguments, keywords


def literal(value: object) -> bool:
    """Only integers, texts, bytes and tuples, lists and dicts of them (no code object, which marshal also reads)."""
    if isinstance(value, (tuple, list)):
        return all(literal(item) for item in value)
    if isinstance(value, dict):
        return all(isinstance(name, str) and literal(item) for name, item in value.items())
    return type(value) in (int, str, bytes, bool) or value is None


def parsed_by_cffi(csource: str, options: dict[str, Any]) -> str:
    """The out-of-line ABI module cffi writes for ``csource``: its parse, as Python literals."""
    builder = cffi.api.FFI()
    builder.cdef(csource, **options)
    builder.set_source(MODULE_NAME, None)
    with tempfile.TemporaryDirectory() as folder, contextlib.redirect_stdout(io.StringIO()):  # "generating …"
        target = Path(folder) / f"{MODULE_NAME}.py"
        builder.emit_python_code(str(target))
        return target.read_text(encoding="utf-8")


def literal_call(source: str) -> Call:
    """The literal arguments of the one call in the module ``source`` (``_cffi_backend.FFI(…)``), never run."""
    import ast  # only when cffi has written the module: a few ms of import the other times

    calls = [node for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Call)]
    if len(calls) != 1 or any(keyword.arg is None for keyword in calls[0].keywords):
        raise ValueError("not an out-of-line cffi module")
    call = calls[0]
    arguments = [ast.literal_eval(argument) for argument in call.args]
    keywords = {str(keyword.arg): ast.literal_eval(keyword.value) for keyword in call.keywords}
    return arguments, keywords


@contextlib.contextmanager
def declarations_kept() -> Iterator[None]:
    """``cffi.FFI()`` made by WeasyPrint's ``text.ffi`` is a :class:`Declared` while ``with`` runs (caching on)."""
    key = None if caching_disabled() else user_key()
    if key is None:
        yield
        return
    real = cffi.FFI

    def made(*args: Any, **kwargs: Any) -> Any:
        if args or kwargs or sys._getframe(1).f_globals.get("__name__") != DECLARING_MODULE:
            return real(*args, **kwargs)
        return Declared.made(key)

    cffi.FFI = made
    try:
        yield
    finally:
        cffi.FFI = real

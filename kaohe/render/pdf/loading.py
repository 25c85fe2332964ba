"""Importing WeasyPrint without searching the system for library names that are not there.

WeasyPrint opens each C library (GObject, Pango, HarfBuzz, Fontconfig) by trying a list of
names, one per platform, in turn. cffi tries each name directly and, when that fails, asks
:func:`ctypes.util.find_library`, which on Linux runs ``ldconfig -p``, ``gcc`` and ``ld`` as
child processes, once for every name that is not this platform's: about 0.4 s of CPU each
time a process imports WeasyPrint (the build, and each PDF worker).

So the first import is made with that search switched off: on Debian and Ubuntu the name
that is there (``libpango-1.0.so.0``) is in every list and opens directly. Where it does
not (a system that only the search finds the libraries on), that import fails with
:class:`OSError` and WeasyPrint is imported again the usual way, search and all, with
whatever it prints when a library is really missing.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import importlib
import io
import sys
from collections.abc import Iterator
from types import ModuleType


def _not_searched(name: str) -> None:
    """A :func:`ctypes.util.find_library` that finds nothing, at once."""
    return None


@contextlib.contextmanager
def _library_search_off() -> Iterator[None]:
    real = ctypes.util.find_library
    ctypes.util.find_library = _not_searched
    try:
        yield
    finally:
        ctypes.util.find_library = real


def import_without_library_search(module: str) -> ModuleType:
    """``module`` imported with the library search off; again with it on if that fails."""
    if module in sys.modules:
        return sys.modules[module]
    try:
        with _library_search_off(), contextlib.redirect_stdout(io.StringIO()):  # its "could not import" banner
            return importlib.import_module(module)
    except OSError:
        return importlib.import_module(module)  # the modules that failed are out of sys.modules: a fresh try


import_without_library_search("weasyprint")

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

WeasyPrint also imports fontTools' subsetter and variable-font instancer at once, about 0.1 s
of CPU, which it calls only for a font it subsets itself (:mod:`.subsetting` subsets the
others, nearly always all of them). The first import defers both: the subsetter is imported
lazily (:class:`importlib.util.LazyLoader`: the module itself, run when first used), and
WeasyPrint's one name from the instancer is a function that imports the real one when called.
When WeasyPrint asks fontTools for anything else (another release), it is imported again
without the deferral.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import importlib
import importlib.util
import io
import sys
from collections.abc import Iterator
from types import ModuleType
from typing import Any

LAZY = "fontTools.subset"  # imported by WeasyPrint's pdf.fonts as a module, used only when it subsets a font
INSTANCER = "fontTools.varLib.instancer"  # one name imported from it, called only for a variable font


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


def instantiateVariableFont(*args: Any, **kwargs: Any) -> Any:  # the name WeasyPrint imports
    """fontTools' ``instantiateVariableFont``, imported when WeasyPrint first calls it."""
    from fontTools.varLib.instancer import instantiateVariableFont as instantiate  # type: ignore[import-untyped]

    return instantiate(*args, **kwargs)


def _lazy(name: str) -> ModuleType:
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.loader is not None, name
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    parent, _, child = name.rpartition(".")
    setattr(sys.modules[parent], child, module)
    return module


@contextlib.contextmanager
def _font_tools_deferred() -> Iterator[None]:
    """fontTools' subsetter lazy for good, and the instancer's stand-in only while WeasyPrint is imported."""
    if LAZY in sys.modules or INSTANCER in sys.modules:  # imported already: nothing to save
        yield
        return
    _lazy(LAZY)
    stand_in = ModuleType(INSTANCER)
    stand_in.instantiateVariableFont = instantiateVariableFont  # type: ignore[attr-defined]
    sys.modules[INSTANCER] = stand_in
    try:
        yield
    finally:
        del sys.modules[INSTANCER]  # anyone else importing it gets the real module


def _forget_weasyprint() -> None:
    for name in [name for name in sys.modules if name == "weasyprint" or name.startswith("weasyprint.")]:
        del sys.modules[name]


def import_without_library_search(module: str) -> ModuleType:
    """``module`` imported with the library search off and fontTools deferred; again the usual way if that fails."""
    if module in sys.modules:
        return sys.modules[module]
    try:
        quiet = contextlib.redirect_stdout(io.StringIO())  # its "could not import" banner
        with _library_search_off(), quiet, _font_tools_deferred():
            return importlib.import_module(module)
    except ImportError:  # a release that imports more of the instancer than the stand-in has
        _forget_weasyprint()
        return importlib.import_module(module)
    except OSError:
        return importlib.import_module(module)  # the modules that failed are out of sys.modules: a fresh try


import_without_library_search("weasyprint")

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
others, nearly always all of them). While it is first imported, both names stand for small
modules of their own (:class:`StandIn`): WeasyPrint's ``instantiateVariableFont`` is a function
that imports the real one when called, and any other name, read from either, imports the real
module then. Once WeasyPrint is in, the stand-ins are out of ``sys.modules``: any other code
importing fontTools' modules gets the real ones, whole (the instancer counts on what the
subsetter adds to fontTools' table classes when it runs).

And its C declarations, which cffi would parse again, come from the user's cache then
(:mod:`.declarations`).
"""

from __future__ import annotations

import contextlib
import ctypes.util
import importlib
import io
import sys
from collections.abc import Iterator
from types import ModuleType
from typing import Any

from kaohe.render.pdf.declarations import DeclarationsRefused, declarations_kept

SUBSETTER = "fontTools.subset"  # imported by WeasyPrint's pdf.fonts as a module, used only when it subsets a font
INSTANCER = "fontTools.varLib.instancer"  # one name imported from it, called only for a variable font
DEFERRED = (SUBSETTER, INSTANCER)


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


class StandIn(ModuleType):
    """A module standing for fontTools' ``name`` while WeasyPrint is imported: a name read from it is the real module's."""

    def __getattr__(self, attribute: str) -> Any:
        if attribute.startswith("__"):  # asked of any module (``__path__``: is it a package?), not of fontTools
            raise AttributeError(attribute)
        value = getattr(real_module(self.__name__), attribute)
        setattr(self, attribute, value)
        return value


def real_module(name: str) -> ModuleType:
    """fontTools' ``name`` itself, every stand-in out of the way (the instancer imports the subsetter)."""
    for deferred in DEFERRED:
        if isinstance(sys.modules.get(deferred), StandIn):
            del sys.modules[deferred]
    return importlib.import_module(name)


@contextlib.contextmanager
def _font_tools_deferred() -> Iterator[None]:
    """Stand-ins for fontTools' subsetter and instancer while ``with`` runs, unless either is imported already."""
    if any(name in sys.modules for name in DEFERRED):  # imported already: nothing to save
        yield
        return
    stand_ins = {name: StandIn(name) for name in DEFERRED}
    stand_ins[INSTANCER].instantiateVariableFont = instantiateVariableFont  # type: ignore[attr-defined]
    sys.modules.update(stand_ins)
    try:
        yield
    finally:
        for name, stand_in in stand_ins.items():
            if sys.modules.get(name) is stand_in:
                del sys.modules[name]


def import_without_library_search(module: str) -> ModuleType:
    """``module`` imported with the library search off, fontTools deferred and the C declarations kept
    (:mod:`.declarations`); with cffi's own declarations if those are refused; the usual way if that fails.

    After a failed try the modules that failed are out of ``sys.modules``: each try is a fresh one.
    """
    if module in sys.modules:
        return sys.modules[module]
    for declarations in (declarations_kept, contextlib.nullcontext):
        try:
            quiet = contextlib.redirect_stdout(io.StringIO())  # its "could not import" banner
            with _library_search_off(), quiet, _font_tools_deferred(), declarations():
                return importlib.import_module(module)
        except DeclarationsRefused:
            continue
        except OSError:
            break
    return importlib.import_module(module)


import_without_library_search("weasyprint")

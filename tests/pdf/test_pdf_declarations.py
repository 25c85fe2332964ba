"""WeasyPrint's C declarations are parsed by cffi once for a user, then read from the user's cache, never run."""

from __future__ import annotations

import importlib
import marshal
import subprocess
import sys
import textwrap
from pathlib import Path

import cffi.api  # type: ignore[import-untyped]
import pytest

from kaohe.render.pdf.declarations import (
    DeclarationsRefused,
    Declared,
    cache_path,
    declarations,
    kept_call,
    literal_call,
    parsed_by_cffi,
)
from kaohe.sealed import read_sealed, user_key, write_sealed

ROOT = Path(__file__).resolve().parents[2]

IMPORTED = """
    import sys
    import kaohe.render.pdf.renderer
    from weasyprint.text.ffi import ffi, pango
    print(type(ffi).__name__, "pycparser" in sys.modules, pango.pango_version() > 0)
    """


def run_python(code: str, cache_home: Path, **env: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "XDG_CACHE_HOME": str(cache_home), **env},
        check=True,
    )
    return done.stdout.split()


def kept_files(cache_home: Path) -> list[Path]:
    return sorted((cache_home / "kaohe" / "cffi").glob("*.marshal"))


def weasyprint_declarations() -> str:
    """The text WeasyPrint's text.ffi gives ``cdef``, caught as it is given."""
    caught: list[str] = []

    class Catching(Declared):
        def cdef(self, csource: str, **options: object) -> None:
            caught.append(csource)

    importlib.import_module("kaohe.render.pdf.loading")  # WeasyPrint imported as the renderer imports it
    source = Path(sys.modules["weasyprint.text.ffi"].__file__ or "").read_text(encoding="utf-8")
    start = source.index("ffi.cdef(")
    call = source[start : source.index("''')", start) + 4]
    exec(call, {"ffi": Catching.made(b"k" * 32)})  # only the cdef call, the text as WeasyPrint writes it
    return caught[0]


def test_the_first_import_parses_the_declarations_and_later_ones_read_them(tmp_path: Path) -> None:
    assert run_python(IMPORTED, tmp_path) == ["Declared", "True", "True"]  # parsed by cffi (pycparser)…
    assert len(kept_files(tmp_path)) == 1
    assert run_python(IMPORTED, tmp_path) == ["Declared", "False", "True"]  # …then read: pycparser never imported


def test_with_caching_off_weasyprint_has_cffis_own_ffi(tmp_path: Path) -> None:
    assert run_python(IMPORTED, tmp_path, KAOHE_NO_CACHE="1") == ["FFI", "True", "True"]
    assert kept_files(tmp_path) == []


def test_a_kept_file_without_the_users_seal_is_parsed_again(tmp_path: Path) -> None:
    run_python(IMPORTED, tmp_path)
    (kept,) = kept_files(tmp_path)
    kept.write_bytes(b"\0" * 32 + kept.read_bytes()[32:])  # the same body, another seal
    assert run_python(IMPORTED, tmp_path) == ["Declared", "True", "True"]
    assert run_python(IMPORTED, tmp_path) == ["Declared", "False", "True"]  # sealed again when parsed: read now


def test_a_sealed_file_holding_code_is_never_run(tmp_path: Path) -> None:
    run_python(IMPORTED, tmp_path)
    (kept,) = kept_files(tmp_path)
    marker = tmp_path / "ran"
    code = f"import pathlib; pathlib.Path({str(marker)!r}).touch()"
    sealed_again = f"""
        import marshal
        from pathlib import Path
        from kaohe.sealed import user_key, write_sealed
        ran = compile({code!r}, "kept", "exec")
        write_sealed(Path({str(kept)!r}), user_key(), marshal.dumps(([ran], {{"_types": ran}})))
        """
    run_python(sealed_again, tmp_path)
    assert run_python(IMPORTED, tmp_path) == ["Declared", "True", "True"]  # not literals: parsed again
    assert not marker.exists()


def test_the_kept_declarations_are_the_types_cffi_parses() -> None:
    text = weasyprint_declarations()
    parsed = cffi.api.FFI()
    parsed.cdef(text)
    arguments, keywords = literal_call(parsed_by_cffi(text, {}))
    kept = Declared.made(b"k" * 32)
    Declared.__base__.__init__(kept, *arguments, **keywords)
    typedefs, structs, unions = parsed.list_types()
    assert (typedefs, structs, unions) == kept.list_types()
    assert len(typedefs) > 50 and structs  # hb_glyph_info_t, PangoRectangle, …
    for name in (*typedefs, *(f"struct {name}" for name in structs)):
        assert shape(parsed, name) == shape(kept, name), name


def shape(ffi: object, name: str) -> tuple[object, ...]:
    """What a type is, as far as calling C goes: its kind, size and fields (names differ: ``struct _FcConfig``)."""
    ctype = ffi.typeof(name)  # type: ignore[attr-defined]
    try:
        size = ffi.sizeof(ctype)  # type: ignore[attr-defined]
    except (ValueError, Declared.error):  # opaque (declared with ...): "unknown size", each in its words
        size = None
    if ctype.kind != "struct" or size is None:  # an opaque struct's fields are never asked (cffi asserts then)
        return ctype.kind, size, ()
    return ctype.kind, size, tuple((field, item.offset, item.type.kind) for field, item in ctype.fields)


def test_declarations_are_kept_under_a_name_of_their_text_and_versions() -> None:
    key = user_key()
    assert key is not None
    first = cache_path("typedef int a_t;", {})
    assert first != cache_path("typedef long a_t;", {}) and first != cache_path("typedef int a_t;", {"packed": True})
    arguments, keywords = declarations(key, "typedef int a_t;", {})
    assert read_sealed(first, key) is not None
    assert kept_call(marshal.loads(read_sealed(first, key) or b"")) == (arguments, keywords)
    code = compile("print('ran')", "kept", "exec")
    for body in (b"not marshal", marshal.dumps(code), marshal.dumps(([code], {})), marshal.dumps(([], {"a": code}))):
        write_sealed(first, key, body)
        assert declarations(key, "typedef int a_t;", {}) == (arguments, keywords)  # parsed again, kept again
        assert kept_call(marshal.loads(read_sealed(first, key) or b"")) == (arguments, keywords)


def test_a_second_cdef_is_refused_and_the_key_not_kept() -> None:
    ffi = Declared.made(b"k" * 32)
    ffi.cdef("typedef int a_t;")
    assert ffi.sizeof("a_t") == 4
    assert ffi._kaohe_key == b""  # the user's key is not held by the FFI once it is declared
    with pytest.raises(DeclarationsRefused, match="a second cdef"):
        ffi.cdef("typedef int b_t;")


def test_a_sealed_file_the_backend_refuses_is_parsed_again() -> None:
    key = user_key()
    assert key is not None
    arguments, keywords = declarations(key, "typedef int c_t;", {})
    path = cache_path("typedef int c_t;", {})
    write_sealed(path, key, marshal.dumps((arguments, {**keywords, "_version": 1})))  # a format cffi does not know
    assert declarations(key, "typedef int c_t;", {}) == (arguments, keywords)
    assert kept_call(marshal.loads(read_sealed(path, key) or b"")) == (arguments, keywords)


TWICE = """
    import cffi
    ffi = cffi.FFI()
    ffi.cdef("typedef int a_t;")
    ffi.cdef("typedef int b_t;")
    """
PACKED = """
    import cffi
    ffi = cffi.FFI()
    ffi.cdef("struct s { char a; int b; };", pack=2)  # in-line cffi takes it; its out-of-line module cannot
    """


@pytest.mark.parametrize("declaring", [TWICE, PACKED], ids=["two cdefs", "pack=2"])
def test_what_only_cffis_own_ffi_can_declare_is_imported_with_it(tmp_path: Path, declaring: str) -> None:
    (tmp_path / "declaring.py").write_text(textwrap.dedent(declaring), encoding="utf-8")
    imported = """
        import cffi.api
        import kaohe.render.pdf.declarations as declarations
        declarations.DECLARING_MODULE = "declaring"  # as if it were WeasyPrint's text.ffi
        from kaohe.render.pdf.loading import import_without_library_search
        module = import_without_library_search("declaring")
        print(type(module.ffi).__name__, cffi.FFI is cffi.api.FFI)
        """
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(imported)],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": f"{tmp_path}:{ROOT}", "PATH": "/usr/bin:/bin", "XDG_CACHE_HOME": str(tmp_path)},
        check=True,
    )
    assert done.stdout.split() == ["FFI", "True"]

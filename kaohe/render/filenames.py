"""Safe names for output files made from content, and a guard that keeps every write inside its folder.

The rubric's title, community names and the year become PDF file names. Each
goes through :func:`safe_stem`, whose rules hold on Linux, macOS and Windows
(and in a zip unpacked on any of them):

- Unicode is NFC-normalised; Chinese and other letters stay as they are.
- ``/ \\ : * ? " < > |`` become their full-width forms (``／ ＼ ： ＊ ？ ＂ ＜ ＞ ｜``),
  so no name holds a path separator or a character Windows forbids.
- Control characters (NUL, tab, newline …) and line separators become a space,
  invisible format characters (bidi overrides, zero-width spaces) and lone
  surrogates are dropped; runs of spaces become one space.
- Runs of dots become one dot, so no name holds ``..``.
- No leading dot, dash or space; no trailing dot or space; never empty (``未命名``).
- Windows' reserved device names (CON, PRN, AUX, NUL, COM0–9, LPT0–9, also
  with an extension such as ``CON.txt``, in any case) get a leading ``_``.
- At most :data:`MAX_STEM_BYTES` bytes of UTF-8, cut on a character boundary.

:func:`distinct_file_names` keeps distinct things distinct: names that would
be the same file (ignoring case, as Windows and macOS do) get the thing's key
(a community id) added, ``考核结果通知书-紫桥社区（ziqiao）.pdf``.

:func:`inside` is the last check before a write: it refuses any relative path
that could leave its folder.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import count
from pathlib import Path
from typing import TYPE_CHECKING

from kaohe.render import RenderError
from kaohe.render.per_results import per_results

if TYPE_CHECKING:
    from kaohe.scoring.results import Results

MAX_STEM_BYTES = 200  # well below the 255-byte limit of ext4, NTFS and APFS, with room for the extension
FALLBACK = "未命名"
PDF = ".pdf"
FULL_WIDTH = str.maketrans({c: chr(ord(c) + 0xFEE0) for c in '/\\:*?"<>|'})
SPACE_CATEGORIES = {"Cc", "Zl", "Zp"}  # controls and line breaks: shown as a space
DROPPED_CATEGORIES = {"Cf", "Cs"}  # invisible format characters, lone surrogates
RESERVED = {
    "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
    *(f"{device}{n}" for device in ("COM", "LPT") for n in (*"0123456789", "¹", "²", "³")),
}  # fmt: skip
EXTENSION = re.compile(r"^(\.[a-z0-9]+)*$")


class UnsafePath(RenderError):
    """A write would have gone outside its folder: a bug, since every name is made safe first."""


def _char(c: str) -> str:
    category = unicodedata.category(c)
    if category in SPACE_CATEGORIES:
        return " "
    return "" if category in DROPPED_CATEGORIES else c


def _clean(text: str) -> str:
    """Every rule but the length and reserved names."""
    text = unicodedata.normalize("NFC", "".join(_char(c) for c in text.translate(FULL_WIDTH)))
    text = re.sub(r"\.{2,}", ".", re.sub(r" {2,}", " ", text))
    return text.lstrip(" .-").rstrip(" .")


def _fit(text: str, room: int) -> str:
    """At most ``room`` bytes of UTF-8, cut on a character boundary, no trailing dot or space."""
    return text.encode("utf-8")[:room].decode("utf-8", errors="ignore").rstrip(" .")


def is_reserved(name: str) -> bool:
    """A Windows device name, with or without an extension (``CON``, ``nul.pdf``, ``Com1 .txt``)."""
    return name.split(".", 1)[0].rstrip(" ").upper() in RESERVED


def safe_stem(text: str, tail: str = "", limit: int = MAX_STEM_BYTES) -> str:
    """``text`` made safe as a file name without extension, followed by ``tail`` (kept whole when cut)."""
    assert _clean(tail) == tail and len(tail.encode("utf-8")) <= limit // 2, f"unsafe tail {tail!r}"
    room = limit - len(tail.encode("utf-8"))
    body = _fit(_clean(text), room) or FALLBACK
    if is_reserved(body + tail):
        body = "_" + _fit(body, room - 1)
    return body + tail


def safe_file_name(text: str, extension: str, tail: str = "") -> str:
    """:func:`safe_stem` plus ``extension`` (such as ``.pdf``)."""
    assert EXTENSION.match(extension), f"unsafe extension {extension!r}"
    return safe_stem(text, tail) + extension


def same_file(name: str) -> str:
    """What a file system compares: names equal here are one file on Windows and macOS."""
    return unicodedata.normalize("NFC", name).casefold()


def distinct_file_names(stems: Mapping[str, str], extension: str, taken: Iterable[str] = ()) -> dict[str, str]:
    """``key → safe name`` for ``key → text``, all different from each other and from ``taken``.

    A name that would collide gets its key added (``text（key）``, then ``text（key-2）`` …); keys
    are handled in sorted order, so the result depends only on the input.
    """
    plain = {key: safe_file_name(text, extension) for key, text in stems.items()}
    counts = Counter(same_file(name) for name in (*plain.values(), *taken))
    names = {key: name for key, name in plain.items() if counts[same_file(name)] == 1}
    used = {same_file(name) for name in (*names.values(), *taken)}
    for key in sorted(set(plain) - set(names)):
        names[key] = _tagged(stems[key], extension, key, used)
        used.add(same_file(names[key]))
    return {key: names[key] for key in stems}


def _tagged(text: str, extension: str, key: str, used: set[str]) -> str:
    tag = _clean(key)[:40] or "x"
    for n in count(1):
        name = safe_file_name(text, extension, f"（{tag}）" if n == 1 else f"（{tag}-{n}）")
        if same_file(name) not in used:
            return name
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class PdfNames:
    """The file names of one year's PDF notices, all safe and all different."""

    notice: str  # the rubric notice
    report: str  # the results 通报
    sheets: Mapping[str, str]  # community id → its 考核结果通知书


@per_results  # every page and sheet asks again
def pdf_names(results: Results) -> PdfNames:
    """Names for the rubric notice (from its title), the 通报 (the year) and each community's sheet."""
    notice = safe_file_name(results.rubric.title, PDF, tail="（通知）")
    report = safe_file_name(f"{results.year}年度社区工作目标管理考核结果通报", PDF)
    stems = {c.id: f"考核结果通知书-{c.name}" for c in results.communities}
    return PdfNames(notice, report, distinct_file_names(stems, PDF, taken=(notice, report)))


def inside(folder: Path, relpath: str) -> Path:
    """``folder / relpath`` for a POSIX relative path that stays in ``folder``; anything else is refused."""
    target = folder / relpath
    if not is_plain_relpath(relpath) or not target.resolve().is_relative_to(folder.resolve()):
        raise unsafe_path(folder, relpath)
    return target


def is_plain_relpath(relpath: str) -> bool:
    """A POSIX relative path of names only: none empty, ``.`` or ``..``, and no control character, ``\\`` or ``:``."""
    return (
        bool(relpath)
        and not any(part in ("", ".", "..") for part in relpath.split("/"))
        and not any(unicodedata.category(c) == "Cc" or c in "\\:" for c in relpath)
    )


def unsafe_path(folder: Path, relpath: str) -> UnsafePath:
    """The error for a path that is not plain or would leave ``folder``."""
    return UnsafePath(f"refusing to write {relpath!r}: it is not a plain path inside {folder}")

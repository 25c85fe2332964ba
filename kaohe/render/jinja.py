"""The one Jinja2 environment: autoescaped, strict about undefined names, compiled templates kept.

Compiling the site's and the notices' templates takes most of a second; Jinja2 keeps the
compiled code in the user's cache folder (``~/.cache/kaohe/jinja/``), checked against each
template's source, Jinja2's version and Python's, so an edited template is compiled again.
A cache that cannot be read or written is simply not used.
"""

from __future__ import annotations

from contextlib import suppress
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined, select_autoescape
from jinja2.bccache import Bucket

from kaohe.sealed import user_cache_dir


class KeptTemplates(FileSystemBytecodeCache):
    """Jinja2's file cache of compiled templates, which never stops a build."""

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, ValueError, EOFError, TypeError):  # unreadable or damaged: compile again
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        with suppress(OSError):  # a full disk or a read-only home: the next build compiles again
            super().dump_bytecode(bucket)


def template_cache() -> KeptTemplates | None:
    folder = user_cache_dir() / "jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return KeptTemplates(str(folder))


@lru_cache(maxsize=4)
def environment(templates_dir: Path) -> Environment:
    return Environment(
        loader=FileSystemLoader(str(templates_dir)),
        autoescape=select_autoescape(("html", "htm", "xml", "j2")),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=template_cache(),
    )

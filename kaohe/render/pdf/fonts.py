"""Is there a Chinese font at all? Without one every character would print as a box."""

from __future__ import annotations

import subprocess

from kaohe.render import RenderError

DEBIAN_FONT_PACKAGES = "fonts-noto-cjk fonts-noto-cjk-extra fonts-arphic-ukai"


def cjk_font_families() -> list[str]:
    """Font families fontconfig offers for Chinese (``fc-list :lang=zh``)."""
    try:
        done = subprocess.run(
            ["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False, timeout=60
        )
    except FileNotFoundError as exc:
        raise RenderError("cannot list fonts: fc-list not found (install the Debian package fontconfig)") from exc
    return sorted({line.strip() for line in done.stdout.splitlines() if line.strip()})


def require_cjk_font() -> None:
    """Stop the build with a clear message, instead of printing boxes, when no CJK font is installed."""
    if not cjk_font_families():
        raise RenderError(
            "no Chinese (CJK) font found (fc-list :lang=zh lists none), so the PDF notices would print boxes; "
            f"install the Debian packages {DEBIAN_FONT_PACKAGES} (scripts/setup.sh does this as root)"
        )

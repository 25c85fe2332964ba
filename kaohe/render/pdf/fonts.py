"""Which font serves each role of the notices (仿宋, 小标宋, 黑体, 楷体, 宋体), and the CSS that says so.

Each role has a font stack: the office's licensed fonts first (in ``content/fonts/`` or installed on the
system), then free stand-ins of the same style, then a last resort of another style (a 宋体 face for 仿宋).
The stacks live here only: the stylesheets name a role (``var(--font-fang)``), and :func:`font_plan`
writes the custom properties and an ``@font-face`` rule for every font file in ``content/fonts/``.
The build reports the face serving each role; a role served by a face of another style is a warning,
or an error with ``strict_fonts: true`` in rubric.yaml's ``notice``.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from fontTools.ttLib import TTFont, TTLibError  # type: ignore[import-untyped]

from kaohe.render import RenderError, vocab

DEBIAN_FONT_PACKAGES = "fonts-noto-cjk fonts-noto-cjk-extra fonts-arphic-ukai fonts-symbola"
CONTENT_FONTS = Path("content") / "fonts"  # the office's licensed font files, beside the content
FONT_SUFFIXES = (".ttf", ".otf")
FAMILY_NAME_IDS = (1, 16)  # the family and the typographic family, in every language of the name table


@dataclass(frozen=True)
class Role:
    """A font role: ``key`` names its CSS custom property (``--font-<key>``)."""

    key: str
    label: str  # the style a clerk asks for: 仿宋, 小标宋, …
    use: str  # what it sets
    official: tuple[str, ...]  # the licensed fonts, every name they go by
    stand_ins: tuple[str, ...]  # free faces of the same style
    other_style: tuple[str, ...] = ()  # a last resort that prints, in another style


ROLES = (
    Role(
        "fang",
        "仿宋",
        "body",
        ("仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong"),
        ("FandolFang",),
        ("Noto Serif CJK SC",),
    ),
    Role("xbs", "小标宋", "titles", ("方正小标宋简体", "FZXiaoBiaoSong-B05S"), ("Noto Serif CJK SC SemiBold",)),
    Role("mark", "小标宋", "mark", ("方正小标宋简体", "FZXiaoBiaoSong-B05S"), ("Noto Serif CJK SC Black",)),
    Role("hei", "黑体", "一、 headings", ("黑体", "SimHei"), ("Noto Sans CJK SC",)),
    Role(
        "kai",
        "楷体",
        "（一） headings",
        ("楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi"),
        ("FandolKai", "AR PL UKai CN"),
    ),
    Role("song", "宋体", "page numbers", ("宋体", "SimSun"), ("Noto Serif CJK SC",)),
)

# 楷体 faces draw their characters smaller than 仿宋 faces in the same em (ink height × width of 20 common
# characters, measured with fontTools: FandolFang 0.878 × 0.811 em, FandolKai 0.786 × 0.832, AR PL UKai
# 0.777 × 0.799). Scaled by the square root of the area ratio they look as large as the body; the grid
# cell stays 15.79 pt (the letter-spacing takes the difference). The licensed pair needs no scaling.
KAI_SCALE = {"FandolKai": Decimal("1.04"), "AR PL UKai CN": Decimal("1.07")}
BODY_PT = Decimal(16)
CELL_PT = Decimal("15.79")


@dataclass(frozen=True)
class ContentFont:
    family: str
    path: Path


@dataclass(frozen=True)
class Served:
    role: Role
    family: str  # "" when no face of the stack is installed

    @property
    def kind(self) -> str:
        """``official``, ``stand-in``, ``other-style`` or ``missing``."""
        if self.family in self.role.official:
            return "official"
        if self.family in self.role.stand_ins:
            return "stand-in"
        return "other-style" if self.family else "missing"


@dataclass(frozen=True)
class FontPlan:
    """The faces serving the roles and the CSS that declares them; picklable for the render workers."""

    served: tuple[Served, ...]
    css: str
    font_files: tuple[Path, ...]  # content fonts WeasyPrint may load

    def report(self) -> str:
        return vocab.PDF_FONTS + " · ".join(
            vocab.font_served(s.role.label, s.role.use, s.family, s.kind) for s in self.served
        )

    def warnings(self) -> list[str]:
        return [vocab.font_warning(s.role.label, s.family) for s in self.served if s.kind in ("other-style", "missing")]


def cjk_font_families() -> list[str]:
    """Font families fontconfig offers for Chinese (``fc-list :lang=zh``)."""
    return sorted(_fc_list(":lang=zh"))


def installed_families() -> set[str]:
    """Every family name fontconfig knows (each of a font's names, in every language)."""
    return _fc_list(":")


def _fc_list(*pattern: str) -> set[str]:
    try:
        done = subprocess.run(["fc-list", *pattern, "family"], capture_output=True, text=True, check=False, timeout=60)
    except FileNotFoundError as exc:
        raise RenderError("cannot list fonts: fc-list not found (install the Debian package fontconfig)") from exc
    return {name.strip() for line in done.stdout.splitlines() for name in line.split(",") if name.strip()}


def require_cjk_font() -> None:
    """Stop the build with a clear message, instead of printing boxes, when no CJK font is installed."""
    if not cjk_font_families():
        raise RenderError(
            "no Chinese (CJK) font found (fc-list :lang=zh lists none), so the PDF notices would print boxes; "
            f"install the Debian packages {DEBIAN_FONT_PACKAGES} (scripts/setup.sh does this as root)"
        )


def content_fonts(project_root: Path | None) -> list[ContentFont]:
    """Every family of the ``.ttf``/``.otf`` files in ``content/fonts/`` (a file that is no font is skipped)."""
    folder = project_root / CONTENT_FONTS if project_root is not None else None
    if folder is None or not folder.is_dir():
        return []
    found: list[ContentFont] = []
    for path in sorted(p for p in folder.iterdir() if p.suffix.lower() in FONT_SUFFIXES and p.is_file()):
        found.extend(ContentFont(family, path.resolve()) for family in font_families(path))
    return found


def font_families(path: Path) -> list[str]:
    try:
        with path.open("rb") as handle, TTFont(handle, lazy=True) as font:
            names = font["name"].names
            return sorted({str(n.toUnicode()).strip() for n in names if n.nameID in FAMILY_NAME_IDS} - {""})
    except (TTLibError, OSError, KeyError, UnicodeDecodeError, AssertionError):
        return []  # not a font: skipped


def stack(role: Role) -> tuple[str, ...]:
    return (*role.official, *role.stand_ins, *role.other_style)


def served_by(role: Role, available: set[str]) -> Served:
    return Served(role, next((family for family in stack(role) if family in available), ""))


def kai_scale(plan_served: tuple[Served, ...]) -> Decimal:
    kai = next(s for s in plan_served if s.role.key == "kai")
    return KAI_SCALE.get(kai.family, Decimal(1))


def font_plan(project_root: Path | None) -> FontPlan:
    """Resolve every role against ``content/fonts/`` and the installed fonts, and write the CSS for it."""
    extra = content_fonts(project_root)
    available = installed_families() | {font.family for font in extra}
    served = tuple(served_by(role, available) for role in ROLES)
    return FontPlan(served, font_css(served, extra), tuple(sorted({font.path for font in extra})))


def font_css(served: tuple[Served, ...], extra: list[ContentFont]) -> str:
    faces = "".join(
        f'@font-face {{ font-family: "{font.family}"; src: url("{font.path.as_uri()}"); }}\n' for font in extra
    )
    stacks = "".join(f"  --font-{role.key}: {css_families(stack(role))};\n" for role in ROLES)
    scale = kai_scale(served)
    size = BODY_PT * scale
    kai = f"  --kai-size: {size}pt;\n  --kai-spacing: {CELL_PT - size}pt;\n"
    return f"{faces}:root {{\n{stacks}{kai}}}\n@page {{\n{stacks}}}\n"


def css_families(families: tuple[str, ...]) -> str:
    return ", ".join(f'"{family}"' for family in families)


def check_fonts(plan: FontPlan, strict: bool) -> list[str]:
    """The warnings to print; with ``strict`` a role served in another style stops the build."""
    warnings = plan.warnings()
    if strict and warnings:
        raise RenderError("; ".join(warnings) + vocab.STRICT_FONTS_HINT)
    return warnings

"""Which face serves each font role: the office's fonts first, free stand-ins next, another style only with a warning."""

from __future__ import annotations

import os
from pathlib import Path

import pikepdf
import pytest
from fontTools.fontBuilder import FontBuilder  # type: ignore[import-untyped]
from fontTools.pens.ttGlyphPen import TTGlyphPen  # type: ignore[import-untyped]
from pdf_support import read_pdf
from support import SMALL_RUBRIC, run_cli, small_project, write_project

from kaohe.render import RenderError
from kaohe.render.pdf.fetcher import AssetFetcher
from kaohe.render.pdf.fonts import ROLES, FontPlan, check_fonts, font_css, font_plan, served_by

NOTICE = """\
notice:
  issuers: [测试街道党工委, 测试街道办事处]
  number: 测试通〔2008〕1号
  date: 2008-08-01
  addressee: 各社区
  title: 关于印发《测试细则》的通知
  strict_fonts: true
  body: 现将《测试细则》印发给你们，请认真贯彻执行。
"""
NOTO_ONLY = "/usr/share/fonts/opentype/noto"  # fonts-noto-cjk: no 仿宋 face among them


def fang_role_plan(available: set[str]) -> FontPlan:
    served = tuple(served_by(r, available) for r in ROLES)
    return FontPlan(served, font_css(served, []), ())


def test_a_fangsong_face_serves_the_body_before_a_song_face() -> None:
    fang = next(r for r in ROLES if r.key == "fang")
    assert served_by(fang, {"FandolFang", "Noto Serif CJK SC"}).family == "FandolFang"
    assert served_by(fang, {"FangSong_GB2312", "FandolFang"}).kind == "official"
    stand_in = served_by(fang, {"Noto Serif CJK SC"})
    assert (stand_in.family, stand_in.kind) == ("Noto Serif CJK SC", "other-style")


def test_a_body_in_a_song_face_is_a_warning_and_with_strict_fonts_an_error() -> None:
    plan = fang_role_plan({"Noto Serif CJK SC", "Noto Sans CJK SC", "AR PL UKai CN", "Noto Serif CJK SC Black"})
    warnings = check_fonts(plan, strict=False)
    assert any("仿宋" in w and "Noto Serif CJK SC" in w for w in warnings), warnings
    assert "仿宋 (body): Noto Serif CJK SC (another style!)" in plan.report()
    with pytest.raises(RenderError, match="strict_fonts"):
        check_fonts(plan, strict=True)
    assert check_fonts(fang_role_plan({"FangSong", "SimHei", "KaiTi", "SimSun", "方正小标宋简体"}), strict=True) == []


def test_kai_headings_are_scaled_for_the_face_that_serves_them() -> None:
    # FandolKai draws smaller than FandolFang: 16 pt × 1.04 = 16.64 pt, letter-spacing 15.79 − 16.64 = −0.85 pt
    css = fang_role_plan({"FandolFang", "FandolKai"}).css
    assert "--kai-size: 16.64pt;" in css and "--kai-spacing: -0.85pt;" in css
    licensed = fang_role_plan({"仿宋_GB2312", "楷体_GB2312"}).css
    assert "--kai-size: 16pt;" in licensed and "--kai-spacing: -0.21pt;" in licensed


def tiny_font(path: Path, family: str) -> None:
    """A TrueType font named ``family`` with two (empty) glyphs: enough for fontconfig-free family lookup."""
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder([".notdef", "uni4EFF"])
    builder.setupCharacterMap({0x4EFF: "uni4EFF"})
    builder.setupGlyf({name: TTGlyphPen(None).glyph() for name in (".notdef", "uni4EFF")})
    builder.setupHorizontalMetrics({".notdef": (1000, 0), "uni4EFF": (1000, 0)})
    builder.setupHorizontalHeader(ascent=880, descent=-120)
    builder.setupNameTable({"familyName": family, "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    builder.save(str(path))


def test_the_offices_fonts_in_content_fonts_are_taken_first(tmp_path: Path) -> None:
    fonts = tmp_path / "content" / "fonts"
    fonts.mkdir(parents=True)
    tiny_font(fonts / "fangsong.ttf", "仿宋_GB2312")
    (fonts / "notes.txt").write_text("not a font", encoding="utf-8")
    (fonts / "broken.ttf").write_bytes(b"not a font either")
    plan = font_plan(tmp_path)
    fang = next(s for s in plan.served if s.role.key == "fang")
    assert (fang.family, fang.kind) == ("仿宋_GB2312", "official")
    url = (fonts / "fangsong.ttf").resolve().as_uri()
    assert f'@font-face {{ font-family: "仿宋_GB2312"; src: url("{url}"); }}' in plan.css
    fetcher = AssetFetcher(tmp_path / "assets", plan.font_files)
    assert fetcher.allows(url)
    assert not fetcher.allows((fonts / "notes.txt").resolve().as_uri())


def test_strict_fonts_stops_the_build_when_the_body_would_be_set_in_song(tmp_path: Path) -> None:
    if not Path(NOTO_ONLY).is_dir():
        pytest.skip("fonts-noto-cjk not installed")
    project = write_project(tmp_path / "project", small_project(**{"content/rubric.yaml": SMALL_RUBRIC + NOTICE}))
    config = tmp_path / "fonts.conf"
    config.write_text(
        f'<?xml version="1.0"?><fontconfig><dir>{NOTO_ONLY}</dir><cachedir>/var/cache/fontconfig</cachedir>'
        f"<cachedir>{tmp_path}</cachedir></fontconfig>"
    )
    done = run_cli(project, env={"FONTCONFIG_FILE": str(config), "PATH": os.environ.get("PATH", "")})
    assert done.returncode == 1
    assert "仿宋 (body): Noto Serif CJK SC (another style!)" in done.stderr  # the report comes first
    assert "strict_fonts" in done.stderr and "Traceback" not in done.stderr
    assert not (project / "output").exists()


def test_a_symbol_or_an_emoji_in_a_note_is_printed_from_a_face_that_has_it(tmp_path: Path) -> None:
    """✓ ☎ 👍: no CJK face of the stacks has them; fontconfig falls back to Symbola (fonts-symbola), not a box."""
    entries = "- {date: 2008-03-01, community: c1, rule: work.rules.judge, deduct: 0.5, note: 已整改✓☎👍}"
    project = write_project(tmp_path / "project", small_project(entries))
    done = run_cli(project)
    assert done.returncode == 0, done.stderr
    (sheet,) = [p for p in (project / "output" / "pdf").glob("考核结果通知书-*.pdf") if "c1" in p.name]
    with pikepdf.open(sheet) as pdf:
        fonts = {
            str(font.get("/BaseFont", ""))
            for page in pdf.pages
            for font in (page.Resources.get("/Font") or {}).values()
        }
    assert any("Symbola" in name for name in fonts), fonts
    assert "已整改✓☎👍" in "".join(read_pdf(sheet).text.split())

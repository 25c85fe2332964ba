"""Output file names made from content are safe, readable and distinct, and no build writes outside output/."""

from __future__ import annotations

import errno
import json
import os
import unicodedata
from contextlib import closing
from pathlib import Path
from typing import cast
from urllib.parse import unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support import SMALL_RUBRIC, small_project

from kaohe.pipeline import run
from kaohe.render import RenderEnv
from kaohe.render.filenames import (
    MAX_STEM_BYTES,
    UnsafePath,
    distinct_file_names,
    inside,
    safe_file_name,
    safe_stem,
)
from kaohe.render.pdf import render_pdfs
from kaohe.render.site import render_site
from kaohe.render.site.chrome import Chrome
from kaohe.render.site.writer import SiteWriter
from kaohe.scoring.results import Results

TOOL_ROOT = Path(__file__).resolve().parent.parent
DEVICES = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"} | {f"{d}{n}" for d in ("COM", "LPT") for n in "0123456789"}
FORBIDDEN = set('/\\<>:"|?*')

HOSTILE = [
    "../../../x",
    "..",
    ".",
    "",
    "   ",
    "/etc/passwd",
    "C:\\Windows\\system32",
    "a/b\\c",
    '<>:"|?*',
    "CON",
    "con.txt",
    "Lpt9",
    "AUX .pdf",
    "com1.tar.gz",
    "nul",
    "紫桥\x00社区",
    "控制\x1b[31m字符\r\n\t换行",
    "\u202egpj.exe",
    "零宽\u200b空格\ufeff",
    ".hidden",
    "-rf",
    "--.-..-x",
    "结尾. . .",
    "结尾   ",
    "\ud800孤立代理",
    "紫" * 300,
    "a" * 300,
    "紫a" * 150,
]


def check_safe(stem: str) -> None:
    """Every rule of a safe stem, checked independently of the implementation."""
    assert stem, "empty"
    assert not FORBIDDEN & set(stem), stem
    assert ".." not in stem, stem
    assert not any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp") for c in stem), ascii(stem)
    assert stem[0] not in ".- " and stem[-1] not in ". ", stem
    assert stem.split(".", 1)[0].rstrip(" ").upper() not in DEVICES, stem
    assert len(stem.encode("utf-8")) <= MAX_STEM_BYTES, len(stem.encode("utf-8"))


@pytest.mark.parametrize("text", HOSTILE, ids=lambda t: ascii(t)[:40])
def test_every_hostile_text_becomes_a_safe_stem(text: str) -> None:
    check_safe(safe_stem(text))
    check_safe(safe_stem(text, tail="（通知）"))
    assert safe_file_name(text, ".pdf").endswith(".pdf")


@given(st.text(max_size=400))
def test_any_text_becomes_a_safe_stem(text: str) -> None:
    stem = safe_stem(text)
    check_safe(stem)
    assert safe_stem(stem) == stem  # already safe: unchanged


def test_chinese_and_ordinary_names_are_kept_as_written() -> None:
    assert safe_file_name("考核结果通知书-紫桥社区", ".pdf") == "考核结果通知书-紫桥社区.pdf"
    title = "二〇〇八年社区工作目标管理量化考核细则（通知）"
    assert safe_stem(title) == title
    assert safe_stem("2008年度 结果 v1.2") == "2008年度 结果 v1.2"


def test_separators_and_forbidden_characters_become_their_full_width_forms() -> None:
    assert safe_stem("党群/综治\\安全") == "党群／综治＼安全"
    assert safe_stem('甲:乙*丙?丁"戊<己>庚|辛') == "甲：乙＊丙？丁＂戊＜己＞庚｜辛"
    assert safe_stem("../../../x") == "／.／.／x"
    assert safe_stem("紫桥\x00社区\n一组") == "紫桥 社区 一组"


def test_reserved_device_names_get_a_leading_underscore() -> None:
    assert safe_stem("CON") == "_CON"
    assert safe_stem("nul.txt") == "_nul.txt"
    assert safe_stem("CON", tail="（通知）") == "CON（通知）"  # not a device name once the tail is on
    assert safe_stem("考核结果通知书-CON") == "考核结果通知书-CON"


def test_long_names_are_cut_on_a_character_boundary_keeping_the_tail() -> None:
    stem = safe_stem("紫" * 300, tail="（通知）")
    assert stem.endswith("（通知）")
    assert stem == "紫" * ((MAX_STEM_BYTES - len("（通知）".encode())) // 3) + "（通知）"
    mixed = safe_stem("紫a" * 150)
    assert "紫a" * 10 in mixed and len(mixed.encode("utf-8")) <= MAX_STEM_BYTES
    assert ("紫a" * 150).startswith(mixed)


def test_names_that_would_be_one_file_are_told_apart_by_their_key() -> None:
    names = distinct_file_names(
        {"c1": "紫桥/社区", "c2": "紫桥／社区", "c3": "ABC社区", "c4": "abc社区", "c5": "东升社区"}, ".pdf"
    )
    assert names == {
        "c1": "紫桥／社区（c1）.pdf",
        "c2": "紫桥／社区（c2）.pdf",
        "c3": "ABC社区（c3）.pdf",
        "c4": "abc社区（c4）.pdf",
        "c5": "东升社区.pdf",
    }


def test_a_tagged_name_never_takes_another_name_and_the_result_is_deterministic() -> None:
    stems = {"b": "紫桥", "a": "紫桥", "c": "紫桥（a）", "d": "紫" * 300, "e": "紫" * 301}
    names = distinct_file_names(stems, ".pdf", taken=["紫桥（b）.pdf"])
    assert names["c"] == "紫桥（a）.pdf" and names["a"] == "紫桥（a-2）.pdf" and names["b"] == "紫桥（b-2）.pdf"
    assert len({name.casefold() for name in names.values()}) == len(stems)
    assert names == distinct_file_names(dict(reversed(stems.items())), ".pdf", taken=["紫桥（b）.pdf"])
    for name in names.values():
        check_safe(name.removesuffix(".pdf"))


@pytest.mark.parametrize("relpath", ["../x", "a/../../x", "/etc/passwd", "a//b", "./a", "", "a\\..\\b", "C:x", "a\0b"])
def test_the_writer_refuses_paths_that_leave_its_folder(tmp_path: Path, relpath: str) -> None:
    with pytest.raises(UnsafePath):
        inside(tmp_path, relpath)


def test_the_writer_refuses_a_symlink_out_of_its_folder(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "link").symlink_to(tmp_path)
    with pytest.raises(UnsafePath):
        inside(tmp_path / "site", "link/x.html")
    assert inside(tmp_path / "site", "communities/c1.html") == tmp_path / "site" / "communities" / "c1.html"


def site_writer(site_dir: Path) -> SiteWriter:
    return SiteWriter(RenderEnv(site_dir.parent, TOOL_ROOT / "templates", None), site_dir, cast(Chrome, None))


@pytest.mark.parametrize(
    "relpath", ["../x", "a/../../x", "/etc/passwd", "a//b", "./a", "", "a/", "a\\..\\b", "C:x", "a\0b"]
)
def test_the_site_writer_refuses_paths_that_leave_its_folder(tmp_path: Path, relpath: str) -> None:
    with closing(site_writer(tmp_path / "site")) as writer, pytest.raises(UnsafePath):
        writer.write_bytes(relpath, b"x")
    assert not list(tmp_path.rglob("x"))


def test_the_site_writer_writes_through_no_link_in_its_folder_or_at_a_pages_name(tmp_path: Path) -> None:
    outside = tmp_path / "outside.html"
    outside.write_bytes(b"kept")
    site = tmp_path / "site"
    with closing(site_writer(site)) as writer:
        writer.write_bytes("communities/c1.html", b"one")  # the folder checked, made and opened
        writer.write_bytes("index.html", b"index")
        (site / "communities" / "c2.html").symlink_to(outside)
        (site / "communities" / "c3.html").symlink_to(site / "index.html")
        (site / "lines").symlink_to(tmp_path)
        with pytest.raises(OSError):  # a link at the name: not opened (O_NOFOLLOW)
            writer.write_bytes("communities/c2.html", b"two")
        with pytest.raises(UnsafePath):  # a link as the folder: refused when the folder is first written into
            writer.write_bytes("lines/outside.html", b"three")
        writer.link("communities/c3.html", outside)  # a link at the name replaced, not written through
        (site / "communities").rename(site / "moved")
        (site / "communities").symlink_to(tmp_path)  # the checked folder swapped for a link to outside it
        writer.write_bytes("communities/c4.html", b"four")
    assert outside.read_bytes() == b"kept" and (site / "index.html").read_bytes() == b"index"
    assert not (site / "moved" / "c3.html").is_symlink() and (site / "moved" / "c3.html").read_bytes() == b"kept"
    assert not (tmp_path / "c4.html").exists() and (site / "moved" / "c4.html").read_bytes() == b"four"
    assert (site / "moved" / "c1.html").read_bytes() == b"one"


def cross_device(*args: object, **kwargs: object) -> None:
    raise OSError(errno.EXDEV, os.strerror(errno.EXDEV))


@pytest.mark.parametrize("links", [True, False])
def test_the_site_writer_links_a_file_or_copies_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, links: bool
) -> None:
    source = tmp_path / "a.pdf"
    source.write_bytes(b"%PDF")
    if not links:  # another file system (EXDEV): a copy
        monkeypatch.setattr(os, "link", cross_device)
    with closing(site_writer(tmp_path / "site")) as writer:
        writer.link("downloads/a.pdf", source)
        writer.link("downloads/a.pdf", source)  # the name taken (by the file itself, or its copy): replaced
    placed = tmp_path / "site" / "downloads" / "a.pdf"
    assert placed.read_bytes() == source.read_bytes() == b"%PDF" and writer.folders == {}  # closed
    assert placed.samefile(source) is links


# A real build with hostile names (short enough for quick typesetting: long ones are tested above).
NAMES = {
    "c1": "../../../../../../x",
    "c2": 'a/b\\c:d*?"<>|',
    "c3": "a／b＼c：d＊？＂＜＞｜",  # the same file name as c2's once made safe
    "c4": "NUL.txt",
    "c5": "控制\t字符\n换行\u202e反向\u200b",
    "c6": ".-隐藏社区",
    "c7": "100%#1社区",
}
TITLE = "../../细则\x01\x1b\t"  # written as is, it would land beside out/
NOTICE = """\
notice:
  issuers: [某街道工作委员会, 某街道办事处]
  number: 某委通〔2008〕5号
  date: 2008-08-01
  addressee: 各社区党总支、居委会
  title: 关于印发细则的通知
  body: 正文。
"""


def hostile_results() -> Results:
    rows = "".join(
        f"  - {{id: {cid}, name: {json.dumps(name)}, secretary: 书记{cid}, staff: {{a: 甲{cid}, b: 乙{cid}}}}}\n"
        for cid, name in NAMES.items()
    )
    rubric = SMALL_RUBRIC.replace("title: 测试细则\n", f"title: {json.dumps(TITLE)}\n{NOTICE}")
    source = small_project(
        ids=tuple(NAMES), **{"content/communities.yaml": f"communities:\n{rows}", "content/rubric.yaml": rubric}
    )
    outcome = run(source)
    assert outcome.results is not None, [str(d) for d in outcome.diagnostics]
    assert outcome.results.rubric.title == TITLE and outcome.results.community("c1").name == NAMES["c1"]
    return outcome.results


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, tuple[str, ...]]:
    """The PDFs and the site of a hostile year, built deep inside a sandbox: ``(sandbox, out, written)``."""
    sandbox = tmp_path_factory.mktemp("sandbox")
    out = sandbox / "a" / "b" / "c" / "d" / "e" / "out"  # deep enough for every ../ above to land in the sandbox
    out.mkdir(parents=True)
    project = tmp_path_factory.mktemp("project")  # outside the sandbox: its .cache/ is no output
    env = RenderEnv(project_root=project, templates_dir=TOOL_ROOT / "templates", source_date_epoch=1231718400)
    results = hostile_results()
    pdfs = render_pdfs(results, out, env, ())
    return sandbox, out, (*pdfs, *render_site(results, out, env, pdfs))


@pytest.mark.slow
def test_a_build_with_hostile_names_writes_only_inside_the_output_folder(
    hostile_build: tuple[Path, Path, tuple[str, ...]],
) -> None:
    sandbox, out, written = hostile_build
    on_disk = {p for p in sandbox.rglob("*") if p.is_file() or p.is_symlink()}
    assert all(p.resolve().is_relative_to(out.resolve()) for p in on_disk), sorted(map(str, on_disk))
    assert {p.relative_to(out).as_posix() for p in on_disk} == set(written)
    for relpath in written:
        check_safe(Path(relpath).stem)


@pytest.mark.slow
def test_the_hostile_pdf_names_stay_readable_and_distinct(hostile_build: tuple[Path, Path, tuple[str, ...]]) -> None:
    _, out, _ = hostile_build
    names = sorted(p.name for p in (out / "pdf").iterdir())
    assert len(names) == 2 + len(NAMES)
    assert set(names) >= {
        "／.／细则（通知）.pdf",
        "2008年度社区工作目标管理考核结果通报.pdf",
        "考核结果通知书-.／.／.／.／.／.／x.pdf",
        "考核结果通知书-a／b＼c：d＊？＂＜＞｜（c2）.pdf",
        "考核结果通知书-a／b＼c：d＊？＂＜＞｜（c3）.pdf",
        "考核结果通知书-NUL.txt.pdf",
        "考核结果通知书-控制 字符 换行反向.pdf",
        "考核结果通知书-.-隐藏社区.pdf",
        "考核结果通知书-100%#1社区.pdf",
    }, names


@pytest.mark.slow
def test_every_pdf_link_of_the_hostile_site_finds_its_file(hostile_build: tuple[Path, Path, tuple[str, ...]]) -> None:
    _, out, _ = hostile_build
    site = out / "site"
    for cid in NAMES:
        page = (site / "communities" / f"{cid}.html").read_text(encoding="utf-8")
        links = [part.split('"', 1)[0] for part in page.split('href="../downloads/pdf/')[1:]]
        assert len(links) == 1, (cid, links)  # its own 考核结果通知书, and only that
        assert (site / "downloads" / "pdf" / unquote(links[0])).is_file()

"""Downloads: results.json as built, results.csv and results.xlsx with the same numbers, same bytes every time."""

from __future__ import annotations

import csv
import io
import re
import tempfile
import time
import zipfile
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from site_support import FIXED_EPOCH, render
from support import communities_yaml, results_of, small_project

from kaohe.render.site import export
from kaohe.render.site.context import gather
from kaohe.scoring.results import Results, results_json_bytes


def read_csv(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


def test_downloaded_results_json_is_the_built_one(built_sample: Path, sample_site: Path) -> None:
    built = (built_sample / "output" / "results.json").read_bytes()
    assert (sample_site / "downloads" / "results.json").read_bytes() == built


def test_csv_opens_in_excel_and_holds_the_numbers_of_results_json(
    sample_site: Path, sample_results: dict[str, Any], site_results: Results
) -> None:
    raw = (sample_site / "downloads" / "results.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    header, *rows = read_csv(sample_site / "downloads" / "results.csv")
    categories = [top.id for top in site_results.rubric.indicators]
    assert len(header) == len(rows[0]) == 4 + len(categories) + 5
    for row, community in zip(rows, sample_results["communities"], strict=True):
        assert row[:4] == [str(community["rank"]), community["id"], community["name"], community["total"]]
        assert row[4 : 4 + len(categories)] == [community["categories"][c]["score"] for c in categories]
        vetoed, award_rank, award, reward, status = row[4 + len(categories) :]
        assert (vetoed == "是") == community["vetoed"]
        assert award_rank == ("" if community["award_rank"] is None else str(community["award_rank"]))
        assert award == (community["award"] or "") and reward == str(community["reward"])
        assert status.startswith("已审定" if sample_results["final"] else "草稿")


def test_xlsx_holds_the_ranking_as_numbers_and_every_ledger_entry(
    sample_site: Path, sample_results: dict[str, Any], site_results: Results
) -> None:
    book = openpyxl.load_workbook(sample_site / "downloads" / "results.xlsx")
    assert book.sheetnames == ["总排名", "台帐明细", "末位措施"]
    ranking = list(book["总排名"].iter_rows(min_row=3, values_only=True))
    categories = [top.id for top in site_results.rubric.indicators]
    for row, community in zip(ranking, sample_results["communities"], strict=True):
        assert row[0] == community["rank"] and row[1] == community["id"]
        assert f"{Decimal(str(row[3])):.2f}" == community["total"]
        scores = [f"{Decimal(str(v)):.2f}" for v in row[4 : 4 + len(categories)]]
        assert scores == [community["categories"][c]["score"] for c in categories]
    assert len(ranking) == len(sample_results["communities"])
    entries = list(book["台帐明细"].iter_rows(min_row=3, values_only=True))
    assert len(entries) == sum(1 for _ in site_results.content.entries())
    measures = list(book["末位措施"].iter_rows(min_row=3, values_only=True))
    assert len(measures) == len(sample_results["measures"])


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    communities = communities_yaml("c1", "c2", "c3").replace("name: c2社区", "name: =HYPERLINK(1)")
    site = render(results_of(small_project(**{"content/communities.yaml": communities})), tmp_path / "out")
    names = [row[2] for row in read_csv(site / "downloads" / "results.csv")[1:]]
    assert "'=HYPERLINK(1)" in names
    sheet = openpyxl.load_workbook(site / "downloads" / "results.xlsx")["总排名"]
    cell = next(c for row in sheet.iter_rows(min_row=3) for c in row if c.value == "=HYPERLINK(1)")
    assert cell.data_type == "s"


def all_bytes(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_same_content_gives_byte_identical_output(tmp_path: Path) -> None:
    source = small_project("- {date: 2008-03-01, community: c1, rule: work.rules.each, count: 2, note: 记录}")
    first = render(results_of(source), tmp_path / "one").parent
    second = render(results_of(source), tmp_path / "two").parent
    assert all_bytes(first) == all_bytes(second)


def test_dates_in_the_output_come_from_source_date_epoch(tmp_path: Path) -> None:
    results = results_of(small_project())
    with_epoch = render(results, tmp_path / "a", epoch=FIXED_EPOCH)
    without = render(results, tmp_path / "b", epoch=None)
    assert "生成日期 2009-01-12" in (with_epoch / "index.html").read_text(encoding="utf-8")
    assert "生成日期" not in (without / "index.html").read_text(encoding="utf-8")
    created = openpyxl.load_workbook(with_epoch / "downloads" / "results.xlsx").properties.created
    assert created.date().isoformat() == "2009-01-12"
    with zipfile.ZipFile(without / "downloads" / "results.xlsx") as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_results_json_download_matches_the_contract_bytes(tmp_path: Path) -> None:
    results = results_of(small_project())
    site = render(results, tmp_path / "out")
    assert (site / "downloads" / "results.json").read_bytes() == results_json_bytes(results)


def test_control_characters_in_names_do_not_break_the_workbook(tmp_path: Path) -> None:
    source = small_project()
    source.files["content/communities.yaml"] = communities_yaml("c1", "c2", "c3").replace(
        "name: c1社区", 'name: "东\\0升\\e社区"'
    )
    site = render(results_of(source), tmp_path / "out")
    book = openpyxl.load_workbook(site / "downloads" / "results.xlsx")
    names = [row[2] for row in book["总排名"].iter_rows(min_row=3, values_only=True)]
    assert "东升社区" in names  # NUL and ESC dropped, the rest kept


def test_text_that_looks_like_a_number_a_link_or_an_error_stays_text(tmp_path: Path) -> None:
    names = {"c1": "123", "c2": "1e5", "c3": "http://example.com/a", "c4": "www.example.com", "c5": "#N/A"}
    communities = communities_yaml(*names)
    for cid, name in names.items():
        communities = communities.replace(f"name: {cid}社区", f"name: '{name}'")
    source = small_project(ids=tuple(names), **{"content/communities.yaml": communities})
    site = render(results_of(source), tmp_path / "out")
    path = site / "downloads" / "results.xlsx"
    sheet = openpyxl.load_workbook(path)["总排名"]
    cells = {row[1].value: row[2] for row in sheet.iter_rows(min_row=3)}
    assert {cid: (cell.value, cell.data_type) for cid, cell in cells.items()} == {
        cid: (name, "s") for cid, name in names.items()
    }
    with zipfile.ZipFile(path) as archive:
        xml = "".join(archive.read(name).decode("utf-8") for name in archive.namelist())
    assert not re.search(r"<f[ >]|<hyperlink|/hyperlink", xml)  # no formula, no link (nor its relationship)


def test_scores_are_numbers_with_their_exact_digits_shown_to_two_places(
    sample_site: Path, sample_results: dict[str, Any]
) -> None:
    path = sample_site / "downloads" / "results.xlsx"
    sheet = openpyxl.load_workbook(path)["总排名"]
    totals = [row[3] for row in sheet.iter_rows(min_row=3)]
    assert {(cell.data_type, cell.number_format) for cell in totals} == {("n", "0.00")}
    assert [cell.value for cell in totals] == [float(c["total"]) for c in sample_results["communities"]]
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    stored = dict(re.findall(r'<c r="(D\d+)"[^>]*><v>([^<]*)</v>', xml))
    # results.json's text itself ("95.50"), not a float's ("95.5", "9.550000000000001")
    assert [stored[f"D{n}"] for n in range(3, 3 + len(totals))] == [c["total"] for c in sample_results["communities"]]
    ranks = [row[0] for row in sheet.iter_rows(min_row=3)]
    assert [(c.value, c.number_format) for c in ranks] == [
        (c["rank"], "General") for c in sample_results["communities"]
    ]


def test_the_workbook_has_its_title_header_frozen_panes_and_column_widths(
    tmp_path: Path, site_results: Results
) -> None:
    data = gather(site_results, tmp_path, (), tmp_path, "")
    payload = export.results_xlsx(data, FIXED_EPOCH)
    book = openpyxl.load_workbook(io.BytesIO(payload))
    expected = {
        "总排名": (export.ranking_header(data), list(export.ranking_rows(data))),
        "台帐明细": (export.ENTRY_HEADER, export.entry_rows(data)),
        "末位措施": (export.MEASURE_HEADER, export.measure_rows(data)),
    }
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        sheets = [archive.read(f"xl/worksheets/sheet{n}.xml").decode("utf-8") for n in (1, 2, 3)]
    for sheet, xml, (name, (header, rows)) in zip(book.worksheets, sheets, expected.items(), strict=True):
        assert sheet.title == name and sheet.freeze_panes == "A3"
        title = sheet["A1"]
        assert (title.font.b, title.font.sz) == (True, 13)
        heading = sheet[2]
        assert [c.value for c in heading] == header
        assert {(c.font.b, c.alignment.wrap_text, c.alignment.vertical) for c in heading} == {(True, True, "center")}
        widths: dict[int, float] = {}
        for first, last, width in re.findall(r'<col min="(\d+)" max="(\d+)" width="([^"]+)"', xml):
            widths.update(dict.fromkeys(range(int(first), int(last) + 1), float(width)))
        texts = [[name, *(str(row[i]) if row[i] is not None else "" for row in rows)] for i, name in enumerate(header)]
        # two widths a character (Chinese is wide), 8 to 60, stored as it is (not widened by Excel's padding)
        assert widths == {i + 1: min(60, max(8, max(map(len, column)) * 2 + 2)) for i, column in enumerate(texts)}


def test_two_builds_of_the_workbook_are_the_same_bytes_and_leave_no_temporary_files(
    tmp_path: Path, site_results: Results, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = gather(site_results, tmp_path / "out", (), tmp_path, "")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    first = export.results_xlsx(data, FIXED_EPOCH)
    time.sleep(1.1)  # a clock read while writing would show in the second's bytes
    assert export.results_xlsx(data, FIXED_EPOCH) == first
    assert not list(scratch.iterdir())
    properties = openpyxl.load_workbook(io.BytesIO(first)).properties
    moment = datetime.fromtimestamp(FIXED_EPOCH, UTC).replace(tzinfo=None)
    assert (properties.created, properties.modified, properties.creator) == (moment, moment, "考核台帐")
    assert properties.title == export.title_line(data, "结果")
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2009, 1, 12, 0, 0, 0)}


def test_the_characters_removed_are_those_openpyxl_refuses() -> None:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    assert export.ILLEGAL_CHARACTERS_RE.pattern == ILLEGAL_CHARACTERS_RE.pattern
    assert export.xlsx_text("东\x00升\x1b社\t区\n") == "东升社\t区\n"

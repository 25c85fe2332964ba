"""Downloads: results.json as built, results.csv and results.xlsx with the same numbers, same bytes every time."""

from __future__ import annotations

import csv
import io
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
from site_support import FIXED_EPOCH, render
from support import communities_yaml, results_of, small_project

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

"""Charts carry the computed numbers; the search index covers communities, entries and the rubric."""

from __future__ import annotations

import json
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from site_support import parse_html, render
from support import results_of, small_project

from kaohe.render.site.charts import BAR_PLOT_WIDTH, bar_chart, bin_for, heat_map, scale_max
from kaohe.render.site.context import gather
from kaohe.render.site.search import (
    ENTRIES_PER_PART,
    KIND_COMMUNITY,
    KIND_ENTRY,
    KIND_LINE,
    KIND_RUBRIC,
    delta_code,
    documents,
    fnv1a,
    fold_table,
    folds_file,
    han_folds,
    name_pinyin,
    names_pinyin,
    pinyin_file,
    search_files,
)
from kaohe.scoring.results import Results

ENTRIES_A = """\
- {date: 2008-03-01, community: c1, rule: work.rules.each, count: 3, note: 第一条}
- {date: 2008-04-01, community: c2, rule: work.other.each, count: 7, note: 第二条 党费收缴}
"""
ENTRIES_B = """\
- {date: 2008-05-01, community: c3, indicator: money.invest, amount: 130, note: 到位资金}
- {date: 2008-06-01, community: c2, rule: safe.accident.death, note: 死亡事故}
"""


@pytest.fixture
def results() -> Results:
    return results_of(small_project(ENTRIES_A, ENTRIES_B))


def test_bar_lengths_are_proportional_to_totals(results: Results, tmp_path: Path) -> None:
    data = gather(results, tmp_path, (), tmp_path, "")
    chart = bar_chart(data)
    top = scale_max(data)
    assert top >= max(c.total for c in results.communities) and top >= results.rubric.total
    for bar, community in zip(chart.bars, results.communities, strict=True):
        expected = Decimal(BAR_PLOT_WIDTH) * community.total / top
        assert abs(Decimal(bar.width) - expected) <= Decimal("0.05")
        assert bar.value.startswith(f"{community.total:.2f}")
        assert ("vetoed" in bar.css) == community.vetoed


def test_heat_map_has_a_cell_per_category_and_community_with_its_attainment(results: Results, tmp_path: Path) -> None:
    chart = heat_map(gather(results, tmp_path, (), tmp_path, ""))
    tops = results.rubric.indicators
    assert len(chart.cells) == len(tops) * len(results.communities)
    for i, top in enumerate(tops):
        for j, community in enumerate(results.communities):
            cell = chart.cells[i * len(results.communities) + j]
            share = community.categories[top.id].score / top.points
            assert Decimal(cell.value) == (share * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            assert cell.css == bin_for(share).css


@pytest.mark.parametrize(
    ("share", "css"), [("1.2", "h5"), ("1", "h5"), ("0.95", "h4"), ("0.9499", "h3"), ("0.8", "h2"), ("0", "h1")]
)
def test_heat_colours_follow_fixed_attainment_bands(share: str, css: str) -> None:
    assert bin_for(Decimal(share)).css == css


def test_index_page_draws_the_charts_as_labelled_inline_svg_groups(results: Results, tmp_path: Path) -> None:
    page = parse_html(render(results, tmp_path / "out") / "index.html")
    every_svg = [t for t in page.tags if t.name == "svg"]
    # the month-by-month chart is a picture without links (role=img, tests/site/test_site_through_year.py)
    assert [s.attrs["class"] for s in every_svg if s.attrs["class"] == "trend"] == ["trend"]
    svgs = [s for s in every_svg if s.attrs["class"] != "trend"]
    assert [s.attrs["class"] for s in svgs] == ["bars wide-only", "bars phone-only", "heat"]
    # role=img would hide the links to each community inside the charts from assistive technology
    assert all(s.attrs["role"] == "group" and s.attrs["aria-label"] for s in svgs)
    rects = [t for t in page.tags if t.name == "rect" and "bar" in t.attrs.get("class", "").split()]
    assert len(rects) == 2 * len(results.communities)  # one bar each in the wide chart and in the phone's


def test_search_index_covers_communities_entries_and_every_rubric_leaf(results: Results, tmp_path: Path) -> None:
    docs = documents(gather(results, tmp_path, (), tmp_path, ""))
    kinds = [d.kind for d in docs]
    assert kinds.count(KIND_COMMUNITY) == len(results.communities)
    assert kinds.count(KIND_ENTRY) == sum(1 for _ in results.content.entries())
    assert kinds.count(KIND_RUBRIC) == sum(1 for _ in results.rubric.leaves())
    entry = next(d for d in docs if d.kind == KIND_ENTRY and "党费收缴" in d.text)
    assert entry.url.startswith("communities/c2.html#e-a-")


def test_search_index_is_scripts_that_cannot_open_a_tag(results: Results, tmp_path: Path) -> None:
    files = search_files(gather(results, tmp_path, (), tmp_path, ""))
    index_line, parts_line = files["assets/search-index.js"].decode("utf-8").rstrip("\n").split("\n")
    prefix, payload = index_line.split(" = ", 1)
    assert prefix == "window.KAOHE_SEARCH"
    assert files["assets/fold.js"].decode("utf-8").startswith("window.KAOHE_FOLD = {")
    assert parts_line.startswith("window.KAOHE_SEARCH_PARTS = {")
    assert not [path for path, script in files.items() if {"<", ">"} & set(script.decode("utf-8"))]
    docs = json.loads(payload.removesuffix(";"))
    assert {"kind", "title", "subtitle", "text", "url", "pinyin"} == set(docs[0])


def test_the_entries_are_split_into_parts_and_every_pair_of_their_characters_leads_back_to_them(
    results: Results, tmp_path: Path
) -> None:
    data = gather(results, tmp_path, (), tmp_path, "")
    files = search_files(data)
    entries = [d for d in documents(data) if d.kind == KIND_ENTRY]
    parts = {path: script.decode("utf-8") for path, script in files.items() if path.startswith("assets/search/")}
    # ceil(entries / 64) entry parts, then the pair parts
    assert sum(path.startswith("assets/search/e-") for path in parts) == -(-len(entries) // ENTRIES_PER_PART)
    shape = json.loads(files["assets/search-index.js"].decode("utf-8").split("\n")[1].split(" = ", 1)[1][:-1])
    assert shape == {"entries": len(entries), "entries_per_part": ENTRIES_PER_PART, "gram_parts": shape["gram_parts"]}
    postings: dict[str, list[int]] = {}
    for n in range(shape["gram_parts"]):
        script = parts[f"assets/search/g-{n}.js"]
        payload = json.loads(script.removeprefix(f'window.KAOHE_SEARCH_PART("g", {n}, ').removesuffix(");\n"))
        assert all(fnv1a(gram) % shape["gram_parts"] == n for gram in payload)  # the browser looks for it there
        postings |= {gram: undelta(code) for gram, code in payload.items()}
    dues = [n for n, doc in enumerate(entries) if "党费" in f"{doc.title} {doc.subtitle} {doc.text}"]
    assert dues and postings["党费"] == dues  # a two-character term: its posting is exactly its entries
    assert set(postings["党"]) >= set(dues)


def undelta(code: str) -> list[int]:
    numbers, at = [], 0
    for digit in code.split(","):
        at += int(digit, 36)
        numbers.append(at)
    return numbers


def test_fnv1a_is_the_32_bit_hash_of_the_code_points() -> None:
    # FNV-1a of one code point 0x61 ("a"): (2166136261 ^ 0x61) * 16777619 mod 2**32 = 0xE40C292C
    assert fnv1a("a") == 0xE40C292C
    assert fnv1a("") == 2166136261
    assert delta_code([3, 5, 40]) == "3,2,z"  # 40 - 5 = 35 = z in base 36


def test_search_links_point_at_existing_pages_and_anchors(results: Results, tmp_path: Path) -> None:
    site = render(results, tmp_path / "out")
    for doc in documents(gather(results, tmp_path, (), tmp_path, "")):
        path, _, anchor = doc.url.partition("#")
        assert (site / path).is_file(), doc.url
        assert not anchor or anchor in parse_html(site / path).ids, doc.url


def test_the_folding_table_merges_variant_and_traditional_forms_onto_the_indexed_character() -> None:
    table = fold_table(["台账"])
    # 帐 is the older form of 账; 帳 and 賬 are their traditional forms: all four search as 账
    assert {char: table[char] for char in "帐帳賬"} == {"帐": "账", "帳": "账", "賬": "账"}
    assert table["臺"] == "台"  # 臺帳 finds 台账 too
    assert fold_table(["台帐"]) == table  # the index may hold either form: the table is the same


def test_the_folding_table_holds_only_folds_onto_characters_of_the_index() -> None:
    table = fold_table(["紫桥"])
    assert table == {"橋": "桥"}  # 紫 has no other form; nothing for characters the index lacks


@pytest.mark.parametrize(
    ("name", "syllables"),
    [("紫桥社区", ("zi", "qiao", "she", "qu")), ("绿化2队", ("lv", "hua", "2", "dui")), ("银行", ("yin", "hang"))],
)
def test_names_carry_one_pinyin_syllable_per_character(name: str, syllables: tuple[str, ...]) -> None:
    assert name_pinyin(name) == syllables


def test_communities_and_lines_carry_pinyin_and_entries_do_not(results: Results, tmp_path: Path) -> None:
    docs = documents(gather(results, tmp_path, (), tmp_path, ""))
    assert all(len(d.pinyin) == len(d.title) for d in docs if d.kind in (KIND_COMMUNITY, KIND_LINE))
    assert all(d.pinyin == () for d in docs if d.kind in (KIND_ENTRY, KIND_RUBRIC))


def test_pinyin_of_names_seen_before_comes_from_the_cache_without_pypinyin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert names_pinyin(["紫桥社区"]) == {"紫桥社区": ("zi", "qiao", "she", "qu")}
    monkeypatch.setitem(sys.modules, "pypinyin", None)  # importing it now raises ImportError
    assert names_pinyin(["紫桥社区"]) == {"紫桥社区": ("zi", "qiao", "she", "qu")}
    with pytest.raises(ImportError):
        names_pinyin(["东升社区"])  # a new name needs pypinyin: this shows the first answer was the cache's


@pytest.mark.parametrize("damage", ['["zi"]', '{"紫桥社区": 3}', "{not json", '{"a": ["b", 1]}'])
def test_a_damaged_cache_file_of_names_or_folds_is_made_again_not_trusted(
    damage: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    for kept in (pinyin_file(), folds_file()):
        kept.parent.mkdir(parents=True, exist_ok=True)
        kept.write_text(damage, encoding="utf-8")
    han_folds.cache_clear()
    try:
        assert names_pinyin(["紫桥社区"]) == {"紫桥社区": ("zi", "qiao", "she", "qu")}
        assert han_folds()["臺"] == "台"  # converted again by OpenCC
    finally:
        han_folds.cache_clear()
    assert isinstance(json.loads(folds_file().read_text(encoding="utf-8")), dict)  # and kept again


def test_a_community_found_by_a_persons_name_says_when_their_measure_was_exempted(
    site_results: Results, tmp_path: Path
) -> None:
    exempt = next(m for m in site_results.measures if m.exempt)
    doc = next(
        d
        for d in documents(gather(site_results, tmp_path, (), tmp_path, ""))
        if d.kind == KIND_COMMUNITY and d.url.endswith(f"{exempt.community}.html")
    )
    words = doc.text.split(exempt.person, 1)[1].split()  # after the name: the role, the scope, the measure
    assert words[2] == f"{exempt.measure}（免予处理）"  # the sample's results are final: no 拟

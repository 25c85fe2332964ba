"""The public edition (``build --public`` → ``output-public/``): no personal names, measures, internal notes or git authors.

The scan test builds both editions of a copy of the sample year (one entry marked ``internal: true``, a git
history with a named author) and reads back every byte of ``output-public/`` — HTML, JSON, CSV, scripts, each
XLSX and DOCX unzipped, the text and metadata of each PDF — for every name the content's person fields hold,
every e-mail address and name in the git history, and the internal note; none may be there, while the same
scan of ``output/`` must find them (so the scan itself is shown to work).
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from support import TOOL_ROOT, copy_project, run_cli, run_ok, small_project

from kaohe.actions.build import Edition, build_editions
from kaohe.actions.check import check
from kaohe.content.model import Content, Entry, Objection, ObjectionReview, Publicity
from kaohe.content.schema import SHAPES, Kind
from kaohe.render import RenderEnv
from kaohe.render.edition import (
    INTERNAL_FIELDS,
    MEASURE_FIELDS,
    PERSON_FIELDS,
    PUBLIC_DIR,
    PUBLIC_TEXT_KEYS,
    Field,
    public_results,
    public_results_dict,
    results_bytes,
)
from kaohe.render.site import render_site
from kaohe.render.vocab import PUBLIC_NOTE
from kaohe.scoring.results import Results, results_dict, results_json_bytes, sha256_of

AUTHOR = {"GIT_AUTHOR_NAME": "测试作者甲", "GIT_AUTHOR_EMAIL": "author.jia@example.org"}
COMMITTER = {"GIT_COMMITTER_NAME": "测试提交者乙", "GIT_COMMITTER_EMAIL": "committer.yi@example.net"}
INTERNAL_NOTE = "内部核查：群众来信反映台帐漏登，经电话回访核实"
INTERNAL_EVIDENCE = "来信人联系邮箱 laixin.ren@example.com，回访记录存办公室"
MARKED_LEDGER = "content/ledgers/party.yaml"
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
SPACES = re.compile(r"\s+")  # PDF text comes back with justification gaps between characters


# --- what the public edition leaves out, as data -------------------------------------------------


def text_keys() -> set[tuple[str, str]]:
    """Every key of the schema that holds text: a text value, or a list or mapping of texts."""
    return {
        (shape.name, key.name)
        for shape in SHAPES.values()
        for key in shape.keys
        if key.value.kind is Kind.TEXT or key.value.item is Kind.TEXT
    }


def grouped() -> list[tuple[str, str]]:
    fields = PERSON_FIELDS + INTERNAL_FIELDS + MEASURE_FIELDS
    return [(f.shape, f.key) for f in fields] + sorted(PUBLIC_TEXT_KEYS)


def test_every_text_key_of_the_schema_is_sorted_into_exactly_one_group() -> None:
    """A new text key (say, a new person field) fails here until edition.py says whether it is public."""
    keys = grouped()
    doubled = {key for key in keys if keys.count(key) > 1}
    assert not doubled, f"in two groups of kaohe/render/edition.py: {sorted(doubled)}"
    unsorted = text_keys() - set(keys)
    assert not unsorted, f"text keys kaohe/render/edition.py does not place (a person? public?): {sorted(unsorted)}"
    stale = set(keys) - text_keys()
    assert not stale, f"kaohe/render/edition.py names keys the schema does not have: {sorted(stale)}"


@pytest.mark.parametrize("field", PERSON_FIELDS + INTERNAL_FIELDS + MEASURE_FIELDS, ids=lambda f: f"{f.shape}.{f.key}")
def test_each_withheld_key_names_a_field_of_its_model(field: Field) -> None:
    assert field.attr in {f.name for f in dataclasses.fields(field.model)}


# --- the redaction, on the loaded sample ------------------------------------------------------------


def walk(value: Any) -> Iterator[Any]:
    """Every model object, tuple item and mapping value below ``value`` (each object once)."""
    seen: set[int] = set()
    stack = [value]
    while stack:
        item = stack.pop()
        if id(item) in seen or isinstance(item, str | int | float | bool | type(None)):
            continue
        seen.add(id(item))
        yield item
        if isinstance(item, tuple | list):
            stack.extend(item)
        elif isinstance(item, Mapping):
            stack.extend(item.values())
        elif dataclasses.is_dataclass(item) and not isinstance(item, type):
            stack.extend(getattr(item, f.name) for f in dataclasses.fields(item))


def texts_of(value: object) -> set[str]:
    if isinstance(value, str):
        return {value} if value else set()
    if isinstance(value, Mapping):
        return {v for v in value.values() if isinstance(v, str) and v}
    if isinstance(value, tuple):
        return {v for v in value if isinstance(v, str) and v}
    return set()


def person_names(content: Content) -> dict[str, set[str]]:
    """Every value of every person field in the loaded content, by ``shape.key``, collected from the model."""
    found: dict[str, set[str]] = {}
    for item in walk(content):
        for f in PERSON_FIELDS:
            if type(item) is f.model:
                found.setdefault(f"{f.shape}.{f.key}", set()).update(texts_of(getattr(item, f.attr)))
    return found


def role_titles(content: Content, names: set[str]) -> set[str]:
    """Person-field values that are titles the rubric's own public text uses (主管班子成员, 分管副书记), not names."""
    assert content.rubric is not None
    public_text = repr(replace(content.rubric, lines=(), schedule=None))
    return {name for name in names if name in public_text}


@pytest.fixture(scope="module")
def sample() -> tuple[Content, Results]:
    checked = check(Path(__file__).resolve().parent.parent)
    assert checked.results is not None and checked.outcome.content is not None
    return checked.outcome.content, checked.results


def test_public_results_hold_no_value_of_any_person_field(sample: tuple[Content, Results]) -> None:
    content, results = sample
    by_field = person_names(content)
    assert by_field["community.secretary"] and by_field["community.staff"] and by_field["review.by"]
    names = set().union(*by_field.values())
    names -= role_titles(content, names)
    shown = repr(public_results(results))  # every field the renderers could read (positions aside)
    assert sorted(name for name in names if name in shown) == []
    assert "胡长林" in repr(results) and "胡长林" not in shown  # the exempted secretary of 东升社区 (decision.yaml)


def test_public_results_keep_every_number_and_leave_out_the_measures(sample: tuple[Content, Results]) -> None:
    _, results = sample
    public = public_results(results)
    internal, shown = results_dict(results), public_results_dict(public)
    assert internal["measures"] and "measures" not in shown  # the sample has 警示谈话, 诫勉 and 降职降级
    assert shown["edition"] == "public" and "edition" not in internal
    assert {k: v for k, v in shown.items() if k != "edition"} == {k: v for k, v in internal.items() if k != "measures"}
    assert public.final == results.final and public.communities[0].total == results.communities[0].total


def test_the_internal_results_json_is_byte_for_byte_what_it_was(sample: tuple[Content, Results]) -> None:
    _, results = sample
    assert results_bytes(results, public=False) == results_json_bytes(results)
    assert sha256_of(results_dict(results)) == results.sha256  # the approved results_sha256 does not move


def test_the_public_hash_is_the_hash_of_the_public_results_json(sample: tuple[Content, Results]) -> None:
    public = public_results(sample[1])
    data = json.loads(results_bytes(public, public=True))
    assert public.sha256 == sha256_of(data) != sample[1].sha256


def test_an_internal_entry_keeps_its_points_but_loses_its_note_and_evidence(sample: tuple[Content, Results]) -> None:
    _, results = sample
    entry = next(e for e in results.content.entries() if e.note)
    ledgers = tuple(
        replace(ledger, entries=tuple(replace(e, internal=True) if e == entry else e for e in ledger.entries))
        for ledger in results.content.ledgers
    )
    marked = replace(results, content=replace(results.content, ledgers=ledgers))
    redacted = [e for e in public_results(marked).content.entries() if e.pos == entry.pos]
    assert redacted == [replace(entry, internal=True, note="", evidence="")]
    assert type(redacted[0].pos) is type(entry.pos) and redacted[0].pos.line == entry.pos.line
    others = [e for e in public_results(marked).content.entries() if e.pos != entry.pos and e.note]
    assert others  # entries not marked keep their notes


# --- the scan: both editions of the sample year, every byte of output-public/ -----------------------


def git(root: Path, *args: str) -> str:
    env = {**os.environ, **AUTHOR, **COMMITTER, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    env |= {"GIT_AUTHOR_DATE": "2008-12-30T10:00:00+08:00", "GIT_COMMITTER_DATE": "2008-12-30T10:00:00+08:00"}
    done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, env=env, check=True)
    return done.stdout


def mark_internal(root: Path) -> None:
    """The first entry of party.yaml gets an internal note and evidence (with an e-mail address) and ``internal: true``."""
    path = root / MARKED_LEDGER
    text = path.read_text(encoding="utf-8")
    head, entries = text.split("\nentries:\n", 1)
    first, rest = entries.split("\n  - date:", 1)
    lines = [line for line in first.splitlines() if not line.strip().startswith(("note:", "evidence:"))]
    lines += [f"    note: {INTERNAL_NOTE}", f"    evidence: {INTERNAL_EVIDENCE}", "    internal: true"]
    path.write_text(f"{head}\nentries:\n" + "\n".join(lines) + "\n  - date:" + rest, encoding="utf-8")


def approve(root: Path) -> None:
    """Record the changed results' hash in decision.yaml, so both editions are final as in the sample."""
    done = run_cli(root, "check", "--json")
    digest = json.loads(done.stdout)["results_sha256"]
    path = root / "content" / "decision.yaml"
    text = re.sub(r"^results_sha256: .*$", f"results_sha256: {digest}", path.read_text(encoding="utf-8"), flags=re.M)
    path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def built_twice(built_sample: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    """A copy of the sample with an internal entry and a git history, built without and then with ``--public``.

    Returns the project and every file of ``output/`` as the build without ``--public`` wrote it. It starts
    from the session's sample build (its render cache), so only the notices that differ are rendered.
    """
    root = copy_project(tmp_path_factory.mktemp("public") / "project")
    if (built_sample / ".cache").is_dir():
        shutil.copytree(built_sample / ".cache", root / ".cache")
    mark_internal(root)
    approve(root)
    git(root, "init", "-q")
    git(root, "add", "content")
    git(root, "commit", "-q", "-m", f"台帐 by {AUTHOR['GIT_AUTHOR_NAME']}")
    alone = run_cli(root, "build", "--json")
    assert alone.returncode == 0, alone.stderr
    assert "public" not in json.loads(alone.stdout) and not (root / PUBLIC_DIR).exists()
    internal = tree_bytes(root / "output")
    done = run_cli(root, "build", "--public", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["public"].endswith(PUBLIC_DIR) and report["public_written"]
    return root, internal


@pytest.fixture(scope="module")
def both_editions(built_twice: tuple[Path, dict[str, bytes]]) -> Path:
    return built_twice[0]


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def pdf_text(path: Path) -> str:
    reader = PdfReader(path)
    parts = [page.extract_text() or "" for page in reader.pages]
    parts += [str(value) for value in (reader.metadata or {}).values()]
    return "\n".join(parts) + path.read_bytes().decode("latin-1")  # the XMP packet is UTF-8 inside the bytes


def zipped_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return "\n".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())


def readable_text(path: Path) -> str:
    """What a reader of ``path`` could see: the text of a PDF, an XLSX or DOCX unzipped, any other file's bytes."""
    if path.suffix == ".pdf":
        return pdf_text(path)
    if path.suffix in (".xlsx", ".docx"):
        return zipped_text(path)
    return path.read_bytes().decode("utf-8", "replace")


def scan(folder: Path, needles: set[str], until_all: bool = False) -> dict[str, list[str]]:
    """Each needle → the files below ``folder`` (relative) whose readable text holds it.

    A file whose bytes were read already (the site's copy of a PDF) is read once; ``until_all`` stops
    as soon as every needle is found (the pages come first, the slow PDFs last).
    """
    found: dict[str, list[str]] = {}
    files = sorted((p for p in folder.rglob("*") if p.is_file()), key=lambda p: (p.suffix == ".pdf", p))
    assert files
    read: set[bytes] = set()
    for path in files:
        payload = path.read_bytes()
        if payload in read:
            continue
        read.add(payload)
        if until_all and needles <= found.keys():
            break
        text = readable_text(path)
        squeezed = SPACES.sub("", text)
        for needle in needles:
            if needle in text or SPACES.sub("", needle) in squeezed:
                found.setdefault(needle, []).append(path.relative_to(folder).as_posix())
    return found


# The person fields the internal edition shows (the others, such as the names in history files or who may
# consent to a year-end visit, are in neither edition, and are only looked for in the public one).
SHOWN_INTERNALLY = (
    "community.secretary",
    "community.staff",
    "review.by",
    "exemption.person",
    "objection.by",
    "objection-review.by",
)


def needles_of(root: Path) -> tuple[set[str], set[str], set[str]]:
    """(every needle, those the internal edition shows, role titles left out) from the content and git."""
    checked = check(root)
    content = checked.outcome.content
    assert content is not None
    by_field = person_names(content)
    names = set().union(*by_field.values())
    titles = role_titles(content, names)
    this_year = set().union(*(by_field.get(key, set()) for key in SHOWN_INTERNALLY)) - titles
    internal = [e for e in content.entries() if e.internal]
    assert (INTERNAL_NOTE, INTERNAL_EVIDENCE) in [(e.note, e.evidence) for e in internal]  # and the sample's own
    emails = set(EMAIL.findall(" ".join(f"{e.note} {e.evidence}" for e in internal)))
    history_people = set(git(root, "log", "--format=%an%n%ae%n%cn%n%ce").split()) - {""}
    internal_texts = {text for e in internal for text in (e.note, e.evidence) if text}
    every = (names - titles) | internal_texts | emails | history_people
    shown = this_year | {INTERNAL_NOTE, INTERNAL_EVIDENCE, AUTHOR["GIT_AUTHOR_NAME"]} | emails
    return every, shown, titles


def test_the_public_edition_holds_no_name_no_email_and_no_internal_note(both_editions: Path) -> None:
    every, shown, titles = needles_of(both_editions)
    assert titles == {"主管班子成员", "分管副书记"}  # role titles, also in the rubric's notice text: not names
    assert {"郑安民", "易红梅", "刘国强", "胡长林", "author.jia@example.org", "committer.yi@example.net"} <= every
    internal = scan(both_editions / "output", shown, until_all=True)
    assert sorted(shown - internal.keys()) == []  # the scan finds each in the internal edition
    leaked = scan(both_editions / PUBLIC_DIR, every)
    assert leaked == {}


def test_the_public_edition_has_its_own_results_file_and_hash(both_editions: Path) -> None:
    public = both_editions / PUBLIC_DIR
    data = json.loads((public / "results.json").read_text(encoding="utf-8"))
    internal = json.loads((both_editions / "output" / "results.json").read_text(encoding="utf-8"))
    assert data["edition"] == "public" and "measures" not in data and "edition" not in internal
    assert (public / "results.sha256").read_text(encoding="utf-8") == sha256_of(data) + "\n"
    assert data["communities"][0]["rank"] == internal["communities"][0]["rank"] == 1
    site = public / "site" / "downloads" / "results.json"
    assert site.read_bytes() == (public / "results.json").read_bytes()


def test_the_internal_edition_is_the_same_as_a_build_without_public(built_twice: tuple[Path, dict[str, bytes]]) -> None:
    root, alone = built_twice
    with_public = tree_bytes(root / "output")
    assert sorted(with_public) == sorted(alone)
    assert [name for name in alone if alone[name] != with_public[name]] == []


def test_the_public_edition_leaves_out_measures_and_people_sections(both_editions: Path) -> None:
    site = both_editions / PUBLIC_DIR / "site"
    index = (site / "index.html").read_text(encoding="utf-8")
    community = (site / "communities" / "dongsheng.html").read_text(encoding="utf-8")
    assert 'id="measures-h"' not in index and "公开版" in index
    assert "党总支书记" not in community and 'id="people-h"' not in community
    internal = (both_editions / "output" / "site" / "index.html").read_text(encoding="utf-8")
    assert 'id="measures-h"' in internal and "公开版" not in internal
    with zipfile.ZipFile(site / "downloads" / "results.xlsx") as archive:
        sheets = archive.read("xl/workbook.xml").decode("utf-8")
    assert "末位措施" not in sheets and "台帐明细" in sheets
    report = next((both_editions / PUBLIC_DIR / "pdf").glob("*考核结果通报.pdf"))
    text = SPACES.sub("", "".join(page.extract_text() or "" for page in PdfReader(report).pages))
    assert "对排名最末的处理" not in text and "一票否决" in text


def test_the_public_notices_are_pdfs_marked_public_on_every_page(both_editions: Path) -> None:
    public, internal = both_editions / PUBLIC_DIR / "pdf", both_editions / "output" / "pdf"
    assert not list(public.glob("*.docx")) and list(internal.glob("*.docx"))
    for path in sorted(public.glob("*.pdf")):
        pages = [SPACES.sub("", page.extract_text() or "") for page in PdfReader(path).pages]
        assert all(PUBLIC_NOTE in page for page in pages), path.name
    report = next(internal.glob("*考核结果通报.pdf"))
    assert not any(PUBLIC_NOTE in (page.extract_text() or "") for page in PdfReader(report).pages)


def test_an_entry_of_another_kind_is_not_touched(sample: tuple[Content, Results]) -> None:
    """Only model classes listed in edition.py lose fields: an entry not marked internal is copied as it is."""
    _, results = sample
    plain: list[Entry] = [e for e in public_results(results).content.entries() if e.note and not e.internal]
    assert plain == [e for e in results.content.entries() if e.note and not e.internal]


# --- both folders staged and swapped together, in this process with quick renderers ----------------


def small_results() -> Results:
    outcome = run_ok(small_project())
    assert outcome.results is not None
    return outcome.results


def editions(root: Path) -> list[Edition]:
    env = RenderEnv(project_root=root, templates_dir=TOOL_ROOT / "templates", source_date_epoch=None)
    results = small_results()
    return [
        Edition(results, root / "output", env),
        Edition(public_results(results), root / PUBLIC_DIR, replace(env, public=True), "public "),
    ]


def which_edition(results: Results, out_dir: Path, env: RenderEnv, earlier: tuple[str, ...]) -> tuple[str, ...]:
    (out_dir / "edition.txt").write_text("public\n" if env.public else "internal\n", encoding="utf-8")
    return ("edition.txt",)


def stops_the_public_one(results: Results, out_dir: Path, env: RenderEnv, earlier: tuple[str, ...]) -> tuple[str, ...]:
    if env.public:
        raise KeyboardInterrupt
    return ()


def fake_folders(root: Path) -> dict[str, bytes]:
    for name in ("output", PUBLIC_DIR):
        (root / name).mkdir(parents=True)
        (root / name / "old.txt").write_text(f"old {name}\n", encoding="utf-8")
    return {f"{n}/{k}": v for n in ("output", PUBLIC_DIR) for k, v in tree_bytes(root / n).items()}


def test_both_editions_are_swapped_in_under_the_one_lock_of_output(tmp_path: Path) -> None:
    fake_folders(tmp_path)
    written = build_editions(editions(tmp_path), [which_edition])
    assert written == (("edition.txt",), ("edition.txt",))
    assert tree_bytes(tmp_path / "output") == {"edition.txt": b"internal\n"}
    assert tree_bytes(tmp_path / PUBLIC_DIR) == {"edition.txt": b"public\n"}
    assert sorted(p.name for p in tmp_path.iterdir()) == [".output.lock", "output", PUBLIC_DIR]


def test_an_interrupt_in_the_public_edition_leaves_both_folders_as_they_were(tmp_path: Path) -> None:
    before = fake_folders(tmp_path)
    with pytest.raises(KeyboardInterrupt):
        build_editions(editions(tmp_path), [which_edition, stops_the_public_one])
    after = {f"{n}/{k}": v for n in ("output", PUBLIC_DIR) for k, v in tree_bytes(tmp_path / n).items()}
    assert after == before  # output/ was rendered in full, yet is not swapped in alone
    assert sorted(p.name for p in tmp_path.iterdir()) == [".output.lock", "output", PUBLIC_DIR]


def test_what_a_killed_public_build_left_is_cleared_by_the_next(tmp_path: Path) -> None:
    (tmp_path / f".{PUBLIC_DIR}.new-abcd1234").mkdir()
    (tmp_path / f".{PUBLIC_DIR}.old").mkdir()  # killed between its two renames: it comes back, then is replaced
    build_editions(editions(tmp_path), [which_edition])
    assert sorted(p.name for p in tmp_path.iterdir()) == [".output.lock", "output", PUBLIC_DIR]


# --- objections: the objector and the reviewer never reach the public site -------------------------


OBJECTOR, REVIEWER = "异议人丙某", "复核人丁某"


def with_an_objection(results: Results) -> Results:
    review = ObjectionReview(upheld=False, reason="经核实，扣分事实清楚", date=date(2009, 1, 8), by=REVIEWER)
    objection = Objection(
        id="o1", by=OBJECTOR, community="ziqiao", entry="", received=date(2009, 1, 5), says="扣分过重", review=review
    )
    publicity = Publicity(
        path="content/publicity.yaml", start=date(2009, 1, 2), working_days=5, objections=(objection,)
    )
    return replace(results, content=replace(results.content, publicity=publicity))


def test_an_objection_is_shown_in_public_without_the_objector_or_reviewer(
    sample: tuple[Content, Results], tmp_path: Path
) -> None:
    results = with_an_objection(sample[1])
    env = RenderEnv(project_root=tmp_path, templates_dir=TOOL_ROOT / "templates", source_date_epoch=None)
    render_site(results, tmp_path / "internal", env, ())
    render_site(public_results(results), tmp_path / "public", replace(env, public=True), ())
    internal = (tmp_path / "internal" / "site" / "communities" / "ziqiao.html").read_text(encoding="utf-8")
    public = (tmp_path / "public" / "site" / "communities" / "ziqiao.html").read_text(encoding="utf-8")
    assert OBJECTOR in internal and REVIEWER in internal  # the internal edition names both
    assert "扣分过重" in public and 'id="objection-o1"' in public  # the objection and its 复核 stay
    assert OBJECTOR not in public and REVIEWER not in public
    assert scan(tmp_path / "public", {OBJECTOR, REVIEWER}) == {}  # nor any other page, script or download

"""The offline search index: communities (with their people and last-place measures), lines (with
their reviewers), ledger entries and rubric text, as a script file.

The index is plain ``<script src>`` files, so it loads from disk without a server; the
browser matches the query as substrings, which suits Chinese (no word segmentation
needed). Every text comes from sanitised HTML, and ``<`` is escaped, so nothing in it
can act as markup.

It is split so that a city's index stays small enough for a phone
(:func:`search_files`):

- ``assets/search-index.js`` holds the communities, the lines and the rubric
  (``window.KAOHE_SEARCH``), the folding table and the shape of the rest
  (``window.KAOHE_SEARCH_PARTS``): this is all the search page loads at first;
- ``assets/search/e-N.js`` hold the ledger entries, :data:`ENTRIES_PER_PART` each,
  in date order;
- ``assets/search/g-N.js`` hold, for every character and every pair of adjacent
  characters of the entries' folded text, the numbers of the entries that contain
  it (delta-coded in base 36). A query loads the parts of its characters' pairs,
  intersects them, and loads only the entry parts that hold candidates. A pair goes
  to part ``fnv1a(its code points) mod parts``; the browser computes the same.

Two tables made here, at build time, let readers search in their own words:

- ``window.KAOHE_FOLD`` folds traditional and variant characters onto one form
  (臺帳, 台帳 and 台帐 all fold to 台账), from OpenCC's dictionaries and a short
  list of variants OpenCC leaves alone. It holds only the characters that fold
  onto a character of the index, so it stays small. It is a file of its own
  (:data:`FOLD_FILE`), loaded by every page: the filter boxes of the community
  and line pages fold as search does.
- each community and line carries the pinyin of its name, one syllable per
  character (pypinyin), so ``zq`` and ``ziqiao`` find 紫桥社区.
"""

from __future__ import annotations

import importlib.metadata
import json
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import chain
from operator import add, sub
from pathlib import Path

from kaohe.render import vocab
from kaohe.render.site.context import SiteData, line_href
from kaohe.render.site.entries import EntryView, entry_views
from kaohe.render.site.ledger import ledger_of
from kaohe.render.site.ranking import community_href
from kaohe.sealed import keep, read_kept, user_cache_dir

KIND_COMMUNITY = "社区"
KIND_ENTRY = "台帐"
KIND_RUBRIC = "细则"
KIND_LINE = "各线"

# Variant forms that OpenCC's simplified output keeps apart but readers use for one another.
VARIANTS = {"帐": "账"}
# The Han blocks a reader may type from (CJK Unified Ideographs and Extension A).
HAN_BLOCKS = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF))
OPENCC_CONFIGS = ("t2s", "tw2s", "hk2s")


@dataclass(frozen=True)
class Document:
    kind: str
    title: str
    subtitle: str
    text: str  # what the query is matched against (title and subtitle are matched too)
    url: str  # relative to the site root
    pinyin: tuple[str, ...] = ()  # one syllable per character of the title; empty when not a name


def name_pinyin(name: str) -> tuple[str, ...]:
    """``紫桥社区`` → ``('zi', 'qiao', 'she', 'qu')``; characters that are not Han stand for themselves."""
    from pypinyin import Style, lazy_pinyin

    syllables: list[str] = []
    at = 0
    for item in lazy_pinyin(name, style=Style.NORMAL, errors="default"):
        if name.startswith(item, at):  # a run that is not Han comes back as it is written
            syllables += list(item)
            at += len(item)
        else:
            syllables.append(item)
            at += 1
    if at != len(name):
        return ()
    return tuple(s.lower() for s in syllables)


PINYIN_KEPT = 20_000  # names kept in the user's cache of pinyin, the current ones first


def names_pinyin(names: list[str]) -> dict[str, tuple[str, ...]]:
    """:func:`name_pinyin` of each name, kept in the user's cache folder (``~/.cache/kaohe/``).

    Loading pypinyin's dictionaries takes about a second; a name's pinyin never changes for one
    version of it, so a build whose names were all seen before does not import it.
    """
    kept = pinyin_file()
    known = read_pinyin(kept)
    missing = sorted(set(names) - set(known))
    if missing:
        known = {**{name: name_pinyin(name) for name in missing}, **known}
        current = {name: known[name] for name in names}
        rest = [(name, value) for name, value in known.items() if name not in current]
        keep(kept, {**current, **dict(rest[: max(0, PINYIN_KEPT - len(current))])})
    return {name: known[name] for name in names}


def pinyin_file() -> Path:
    return user_cache_dir() / f"pinyin-{importlib.metadata.version('pypinyin')}.json"


def read_pinyin(path: Path) -> dict[str, tuple[str, ...]]:
    """The cache file's names and syllables; anything that is not a mapping of names to lists of words is ignored."""
    loaded = read_kept(path)
    if not isinstance(loaded, dict):
        return {}
    return {
        name: tuple(value)
        for name, value in loaded.items()
        if isinstance(value, list) and all(isinstance(s, str) for s in value)
    }


def measure_words(data: SiteData, community_id: str) -> list[str]:
    categories = {top.id: top.label for top in data.rubric.indicators}
    return [
        f"{vocab.person_label(m)} {vocab.role_label(m.role)} {vocab.scope_label(m.scope, categories)} {vocab.measure_outcome(m, data.results.final)}"
        for m in data.results.measures
        if m.community == community_id
    ]


def community_documents(data: SiteData) -> Iterator[Document]:
    pinyin = names_pinyin([c.name for c in data.results.communities])
    for c in data.results.communities:
        person = c.score.community
        people = " ".join([person.secretary, *sorted(set(person.staff.values()))])
        award = c.granted.name or ""
        tie = vocab.TIE if c.rank in data.tied_ranks else ""
        yield Document(
            KIND_COMMUNITY,
            c.name,
            f"{tie}第{c.rank}名 · 总分{vocab.score(c.total)}" + (f" · {award}" if award else ""),
            " ".join([c.id, *measure_words(data, c.id), people]) + (f" {vocab.VETO}" if c.vetoed else ""),
            community_href(c.id),
            pinyin[c.name],
        )


def entry_document(view: EntryView) -> Document:
    return Document(
        KIND_ENTRY,
        f"{view.community_name} · {view.rule_text}",
        f"{view.date} · {view.line_name} · {view.effect}",
        " ".join([view.note_text, view.evidence_text, view.place, view.cites, view.quantity]),
        f"{community_href(view.community_id)}#{view.anchor}",
    )


def rubric_documents(data: SiteData) -> Iterator[Document]:
    for leaf in data.rubric.leaves():
        rules = " ".join([*(r.text for r in leaf.rules), leaf.full_id, *(r.full_id for r in leaf.rules)])
        yield Document(
            KIND_RUBRIC,
            leaf.label,
            f"{data.place_of(leaf)} · {leaf.points.normalize():f}分 · {data.line_name(leaf.line)}",
            rules,
            f"rubric.html#r-{leaf.full_id}",
        )


def line_documents(data: SiteData) -> Iterator[Document]:
    pinyin = names_pinyin([line.name for line in data.rubric.lines])
    for line in data.rubric.lines:
        ledger = ledger_of(data, line)
        review = ledger.review if ledger else None
        yield Document(
            KIND_LINE,
            line.name,
            " · ".join(part for part in (line.lead, vocab.review_status(review)) if part),
            f"{line.id} {line.reviewer}",
            line_href(line.id),
            pinyin[line.name],
        )


def documents(data: SiteData) -> list[Document]:
    entries = entry_views(data, data.content.entries(), chronological=True)
    return [
        *community_documents(data),
        *line_documents(data),
        *(entry_document(view) for view in entries),
        *rubric_documents(data),
    ]


@cache
def han_folds() -> dict[str, str]:
    """Every Han character that OpenCC's traditional-to-simplified dictionaries change → its simplified form.

    Made once per version of OpenCC and kept in the user's cache folder (``~/.cache/kaohe/``):
    converting every Han character takes about half a second, and the answer never changes.
    """
    kept = folds_file()
    loaded = read_kept(kept)
    if isinstance(loaded, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in loaded.items()):
        return loaded
    folds = converted_folds()
    keep(kept, folds)
    return folds


def folds_file() -> Path:
    stamp = "-".join([importlib.metadata.version("opencc"), *OPENCC_CONFIGS, *(f"{a:x}-{b:x}" for a, b in HAN_BLOCKS)])
    return user_cache_dir() / f"han-folds-{stamp}.json"


def converted_folds() -> dict[str, str]:
    from opencc import OpenCC

    chars = [chr(cp) for low, high in HAN_BLOCKS for cp in range(low, high + 1)]
    source = "\n".join(chars)
    folds: dict[str, str] = {}
    for config in OPENCC_CONFIGS:
        converted = OpenCC(config).convert(source).split("\n")
        for char, simple in zip(chars, converted, strict=True):
            if simple != char and len(simple) == 1:
                folds.setdefault(char, simple)
    return folds


TEXTS_KEPT = 1 << 16  # folded characters, texts and words, and number codes remembered: entries repeat them


@lru_cache(maxsize=TEXTS_KEPT)
def fold_char(char: str) -> str:
    """One character as search compares it: NFKC, lower case, simplified, variants merged."""
    text = unicodedata.normalize("NFKC", char).lower()
    folds = han_folds()
    return "".join(VARIANTS.get(folds.get(c, c), folds.get(c, c)) for c in text)


def fold_table(texts: Iterable[str]) -> dict[str, str]:
    """The folds that matter for these texts: each character that folds onto a character they contain."""
    chars: set[str] = set()
    for text in texts:
        chars.update(text)
    targets = {fold_char(c) for c in chars}
    table = {char: VARIANTS.get(simple, simple) for char, simple in han_folds().items()}
    table.update(VARIANTS)
    return {char: folded for char, folded in sorted(table.items()) if folded in targets and folded != char}


def script_json(value: object) -> str:
    """JSON that cannot open or close a tag inside a page."""
    payload = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


INDEX_FILE = "assets/search-index.js"
FOLD_FILE = "assets/fold.js"  # window.KAOHE_FOLD, for search and for every page's filter boxes
PARTS_DIR = "assets/search"
ENTRIES_PER_PART = 64  # about 16 KB of entries a part: a query loads only the parts with candidates
GRAM_PART_BYTES = 64 * 1024  # the pairs are split into a power of two of parts about this large
FNV_OFFSET, FNV_PRIME, FNV_MASK = 2166136261, 16777619, 0xFFFFFFFF


def search_files(data: SiteData) -> dict[str, bytes]:
    """Every file of the search index by its path below the site root (module docstring)."""
    docs = documents(data)
    fold = fold_table(f"{d.title} {d.subtitle} {d.text}" for d in docs)
    entries = [d for d in docs if d.kind == KIND_ENTRY]
    others = [d for d in docs if d.kind != KIND_ENTRY]
    grams = gram_parts(entries)
    shape = {"entries": len(entries), "entries_per_part": ENTRIES_PER_PART, "gram_parts": len(grams)}
    files = {
        INDEX_FILE: (
            f"window.KAOHE_SEARCH = {script_json([fields_of(d) for d in others])};\n"
            f"window.KAOHE_SEARCH_PARTS = {script_json(shape)};\n"
        ),
        FOLD_FILE: f"window.KAOHE_FOLD = {script_json(fold)};\n",
    }
    for n in range(0, len(entries), ENTRIES_PER_PART):
        part = [fields_of(d) for d in entries[n : n + ENTRIES_PER_PART]]
        files[part_path("e", n // ENTRIES_PER_PART)] = part_script("e", n // ENTRIES_PER_PART, part)
    for n, postings in enumerate(grams):
        files[part_path("g", n)] = part_script("g", n, postings)
    return {path: text.encode("utf-8") for path, text in files.items()}


def fields_of(doc: Document) -> dict[str, object]:
    """The document's fields by name, for JSON (what ``asdict`` gives, without its deep copy of each value)."""
    return vars(doc)


def part_path(kind: str, number: int) -> str:
    return f"{PARTS_DIR}/{kind}-{number}.js"


def part_script(kind: str, number: int, payload: object) -> str:
    return f'window.KAOHE_SEARCH_PART("{kind}", {number}, {script_json(payload)});\n'


def fnv1a(text: str) -> int:
    """32-bit FNV-1a over the code points (``site.js`` computes the same)."""
    value = FNV_OFFSET
    for char in text:
        value = ((value ^ ord(char)) * FNV_PRIME) & FNV_MASK
    return value


class FoldedChars(dict[int, str]):
    """Code point → :func:`fold_char` of it, worked out the first time ``str.translate`` asks."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = fold_char(chr(code))
        return folded


FOLDED_CHARS = FoldedChars()


def fold_text(text: str) -> str:
    """A text as search compares it (``norm`` in ``site.js``), character by character."""
    return text.translate(FOLDED_CHARS)


@lru_cache(maxsize=TEXTS_KEPT)
def grams_of_word(word: str) -> frozenset[str]:
    """Every character and every pair of adjacent characters of one folded word (no space inside)."""
    return frozenset(chain(word, map(add, word, word[1:])))  # each character, then it and the next


def entry_grams(doc: Document) -> set[str]:
    """What a query term of one or two characters can match in an entry: its grams, word by word."""
    grams: set[str] = set()
    for field_text in (doc.title, doc.subtitle, *doc.text.split()):
        for word in fold_text(field_text).split():
            grams |= grams_of_word(word)
    return grams


def gram_parts(entries: list[Document]) -> list[dict[str, str]]:
    """The postings of every gram, split by :func:`fnv1a` into a power of two of parts."""
    postings: defaultdict[str, list[int]] = defaultdict(list)
    for number, doc in enumerate(entries):
        for gram in entry_grams(doc):
            postings[gram].append(number)
    coded = {gram: delta_code(numbers) for gram, numbers in postings.items()}
    size = sum(len(gram) * 3 + len(code) + 6 for gram, code in coded.items())
    count = 1
    while size > count * GRAM_PART_BYTES:
        count *= 2
    parts: list[dict[str, str]] = [{} for _ in range(count)]
    for gram, code in sorted(coded.items()):
        parts[fnv1a(gram) % count][gram] = code
    return parts


def delta_code(numbers: list[int]) -> str:
    """``[3, 5, 40]`` → ``"3,2,z"``: rising numbers as base-36 differences."""
    return ",".join(map(base36, map(sub, numbers, chain((0,), numbers))))  # each minus the one before


BASE36_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


@lru_cache(maxsize=TEXTS_KEPT)
def base36(value: int) -> str:
    """A natural number in base 36 (most differences are small and repeat)."""
    text = ""
    while True:
        value, rest = divmod(value, 36)
        text = BASE36_DIGITS[rest] + text
        if value == 0:
            return text

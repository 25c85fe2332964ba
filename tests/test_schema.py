"""The content schema (kaohe/content/schema.py) is the one list of keys: FORMAT.md, fmt and the loader follow it."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date

import pytest
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from support import TOOL_ROOT, MemorySource

from kaohe.content.canonical import canonical_text
from kaohe.content.load import load_content
from kaohe.content.schema import FILES, SHAPES, ContentFile, Kind, Shape, Value, file_shape, shapes_below
from kaohe.content.yamlnodes import YMap, YNode, YSeq, parse_yaml

FORMAT_MD = TOOL_ROOT / "docs" / "FORMAT.md"
UNKNOWN = "zz-unknown"

# --- FORMAT.md --------------------------------------------------------------------------


def format_sections() -> dict[str, str]:
    """The text of FORMAT.md §2–§6a by the content file each describes (``content/ledgers/x.yaml``)."""
    text = FORMAT_MD.read_text(encoding="utf-8")
    found: dict[str, str] = {}
    for match in re.finditer(r"^## \d+[a-z]?\. `(content/[^`]+)`\n(.*?)(?=^## )", text, re.M | re.S):
        found[re.sub(r"<[^>]+>", "x", match.group(1))] = match.group(2)
    return found


def key_table(section: str) -> dict[str, tuple[str, list[tuple[str, bool]]]]:
    """The rows of a section's key table: the mapping's path → (the row's label, [(key, required)])."""
    rows: dict[str, tuple[str, list[tuple[str, bool]]]] = {}
    tables = re.findall(r"^\| mapping \| keys \|\n\| --- \| --- \|\n((?:\|.*\n)+)", section, re.M)
    assert len(tables) == 1, "one key table per file"
    for label, keys in re.findall(r"^\| ([^|]+) \| ([^|]+) \|$", tables[0], re.M):
        path = "" if label == "top level" else label.split("`")[1]
        rows[path] = (label, [(name, not star) for star, name in re.findall(r"(\*?)`([^`]+)`\*?", keys)])
    return rows


def resolve(root: str, path: str) -> Shape:
    """The shape at ``path`` below the file shape ``root``: ``notice``, ``indicators[].rules[]``, ``a.b.<id>``."""
    shape = SHAPES[root]
    segments = path.split(".") if path else []
    index = 0
    while index < len(segments):
        name = segments[index].removesuffix("[]")
        key = shape.key(name)
        assert key is not None and key.value.shape is not None, (path, name)
        wanted = Kind.LIST if segments[index].endswith("[]") else Kind.MAPPING
        if index + 1 < len(segments) and segments[index + 1].startswith("<"):
            wanted, index = Kind.ID_MAP, index + 1
        assert key.value.kind is wanted, (path, name, key.value.describe())
        shape = SHAPES[key.value.shape]
        index += 1
    return shape


def yaml_examples(section: str) -> Iterator[str]:
    yield from re.findall(r"^```yaml\n(.*?)^```", section, re.M | re.S)


def walk_mappings(node: YNode, shape: Shape) -> Iterator[tuple[YMap, Shape]]:
    """Every mapping in ``node`` with the shape the schema gives it."""
    if isinstance(node, YSeq):  # an example of list items (the ratio leaf of §2)
        for item in node.items:
            yield from walk_mappings(item, shape)
        return
    if not isinstance(node, YMap):
        return
    yield node, shape
    for key, value in node.items:
        spec = shape.key(key.text)
        below = shape.child(key.text)
        if spec is None or below is None:
            continue
        if spec.value.kind is Kind.ID_MAP and isinstance(value, YMap):
            for _id, item in value.items:
                yield from walk_mappings(item, below)
        else:
            yield from walk_mappings(value, below)


def test_format_md_documents_every_content_file() -> None:
    assert sorted(file_shape(path) or "?" for path in format_sections()) == sorted(kind.shape for kind in FILES)


@pytest.mark.parametrize("relpath", list(format_sections()))
def test_format_md_key_tables_are_the_schema(relpath: str) -> None:
    """Each key table row lists its mapping's keys exactly: names, canonical order, required or optional."""
    root = file_shape(relpath)
    assert root is not None
    rows = key_table(format_sections()[relpath])
    documented = {}
    for path, (label, keys) in rows.items():
        shape = resolve(root, path)
        assert keys == [(key.name, key.required) for key in shape.keys], f"FORMAT.md row {label} ≠ schema {shape.name}"
        documented[shape.name] = label
    assert sorted(documented) == sorted(s.name for s in shapes_below(root)), "every mapping of the file has a row"


@pytest.mark.parametrize("relpath", list(format_sections()))
def test_format_md_examples_use_only_schema_keys_in_canonical_order(relpath: str) -> None:
    root = file_shape(relpath)
    assert root is not None
    examples = list(yaml_examples(format_sections()[relpath]))
    assert examples
    for example in examples:
        node, problems = parse_yaml(relpath, example)
        assert node is not None and not problems, example
        shape = SHAPES["indicator"] if isinstance(node, YSeq) else SHAPES[root]
        for mapping, mapping_shape in walk_mappings(node, shape):
            keys = [key.text for key, _value in mapping.items]
            assert set(keys) <= set(mapping_shape.names), (mapping_shape.name, keys)
            assert keys == [k for k in mapping_shape.names if k in keys], f"{mapping_shape.name} keys out of order"


# --- fmt and the loader -----------------------------------------------------------------

SCALARS: dict[Kind, object] = {
    Kind.TEXT: "文本",
    Kind.ID: "x",
    Kind.REF: "x",
    Kind.DECIMAL: 1,
    Kind.WHOLE: 1,
    Kind.BOOL: True,
    Kind.DATE: date(2008, 1, 1),
}


def sample_value(value: Value, path: tuple[str, ...], keep: str) -> object:
    if value.kind.is_scalar:
        return SCALARS[value.kind]
    if value.shape is None:
        item = SCALARS[value.item or Kind.TEXT]
        return [item] if value.kind is Kind.LIST else {"x": item}
    inner = sample_mapping(SHAPES[value.shape], path, keep)
    if value.kind is Kind.LIST:
        seq = CommentedSeq()
        seq.append(inner)
        return seq
    if value.kind is Kind.ID_MAP:
        ids = CommentedMap()
        ids["x"] = inner
        return ids
    return inner


def sample_mapping(shape: Shape, path: tuple[str, ...] = (), keep: str = "all") -> CommentedMap:
    """A mapping with the keys of ``shape`` in reverse canonical order and a value of the right kind for each.

    ``keep``: ``all`` keys, only the ``required`` ones, or ``all+unknown`` (one unknown key added to each mapping).
    A shape below itself (an indicator's children) is written once more, without its own recursion.
    """
    node = CommentedMap()
    for key in reversed(shape.keys):
        if keep == "required" and not key.required:
            continue
        if key.value.shape is not None and key.value.shape in path:
            continue
        node[key.name] = sample_value(key.value, (*path, shape.name), keep)
    if keep == "all+unknown":
        node[UNKNOWN] = "x"
    return node


def sample_file(kind: ContentFile, keep: str = "all") -> tuple[str, str]:
    """A file of ``kind``: its path and its text, every key in reverse canonical order."""
    relpath = kind.path or f"{kind.folder}/x.yaml"
    yaml = YAML(typ="rt")
    yaml.allow_unicode = True
    out = io.StringIO()
    yaml.dump(sample_mapping(SHAPES[kind.shape], keep=keep), out)
    return relpath, out.getvalue()


def test_every_kind_of_file_is_found_by_its_path() -> None:
    for kind in FILES:
        relpath, _text = sample_file(kind)
        assert file_shape(relpath) == kind.shape
    assert file_shape("content/notes.yaml") is None
    assert file_shape("content/ledgers/sub/a.yaml") is None
    assert file_shape("content/ledgers/a.yml") is None


@pytest.mark.parametrize("kind", FILES, ids=[kind.shape for kind in FILES])
def test_fmt_writes_every_mapping_in_schema_order(kind: ContentFile) -> None:
    relpath, text = sample_file(kind)
    formatted = canonical_text(relpath, text)
    node, problems = parse_yaml(relpath, formatted)
    assert node is not None and not problems
    seen: set[str] = set()
    for mapping, shape in walk_mappings(node, SHAPES[kind.shape]):
        keys = [key.text for key, _value in mapping.items]
        assert keys == [k for k in shape.names if k in keys], (shape.name, keys)
        if shape.name not in seen:
            assert keys == list(shape.names), f"the first {shape.name} has every key"
            seen.add(shape.name)
    assert seen == {s.name for s in shapes_below(kind.shape)}


def key_messages(kind: ContentFile, keep: str) -> list[str]:
    relpath, text = sample_file(kind, keep)
    loaded = load_content(MemorySource({relpath: text}))
    return [
        d.message
        for d in loaded.diagnostics
        if d.pos.path == relpath and re.match(r"(unknown|missing) key ", d.message)
    ]


@pytest.mark.parametrize("kind", FILES, ids=[kind.shape for kind in FILES])
def test_the_loader_accepts_every_schema_key_and_no_other(kind: ContentFile) -> None:
    assert key_messages(kind, "all") == []
    unknown = key_messages(kind, "all+unknown")
    mappings = sum(1 for _ in walk_mappings(*_parsed(kind)))
    assert unknown == [m for m in unknown if m.startswith(f"unknown key '{UNKNOWN}' in ")]
    assert len(unknown) == mappings


def _parsed(kind: ContentFile) -> tuple[YNode, Shape]:
    relpath, text = sample_file(kind)
    node, _problems = parse_yaml(relpath, text)
    assert node is not None
    return node, SHAPES[kind.shape]


@pytest.mark.parametrize("kind", FILES, ids=[kind.shape for kind in FILES])
def test_the_loader_requires_exactly_the_schema_required_keys(kind: ContentFile) -> None:
    """With only the required keys nothing is missing; the loader names each required key that is left out."""
    assert not [m for m in key_messages(kind, "required") if re.match(r"missing key '\w+' in ", m)]
    for shape in shapes_below(kind.shape):
        for name in shape.required:
            relpath, text = _without(kind, shape.name, name)
            loaded = load_content(MemorySource({relpath: text}))
            messages = [d.message for d in loaded.diagnostics if d.pos.path == relpath]
            assert any(m.startswith(f"missing key '{name}' in ") for m in messages), (shape.name, name, messages)


def _without(kind: ContentFile, shape: str, name: str) -> tuple[str, str]:
    """A file of ``kind`` with every key, except ``name`` in every mapping of ``shape``."""
    root = sample_mapping(SHAPES[kind.shape])

    def drop(node: object, node_shape: Shape) -> None:
        if not isinstance(node, CommentedMap):
            return
        for key, value in node.items():
            spec, below = node_shape.key(str(key)), node_shape.child(str(key))
            if spec is None or below is None:
                continue
            items = (
                value if spec.value.kind is Kind.LIST else value.values() if spec.value.kind is Kind.ID_MAP else [value]
            )
            for item in items:
                drop(item, below)
        if node_shape.name == shape:
            node.pop(name, None)

    drop(root, SHAPES[kind.shape])
    relpath = kind.path or f"{kind.folder}/x.yaml"
    yaml = YAML(typ="rt")
    yaml.allow_unicode = True
    out = io.StringIO()
    yaml.dump(root, out)
    return relpath, out.getvalue()


def test_the_sample_content_uses_only_schema_keys() -> None:
    """Every mapping of the sample year has keys of its schema shape, in canonical order."""
    for kind in FILES:
        paths = (
            [kind.path]
            if kind.path
            else sorted(p.relative_to(TOOL_ROOT).as_posix() for p in (TOOL_ROOT / str(kind.folder)).glob("*.yaml"))
        )
        for relpath in paths:
            assert relpath is not None
            if not kind.required and not (TOOL_ROOT / relpath).exists():
                continue  # an optional file the sample year does not have (yet)
            node, problems = parse_yaml(relpath, (TOOL_ROOT / relpath).read_text(encoding="utf-8"))
            assert node is not None and not problems
            for mapping, shape in walk_mappings(node, SHAPES[kind.shape]):
                keys = [key.text for key, _value in mapping.items]
                assert keys == [k for k in shape.names if k in keys], (relpath, shape.name, keys)

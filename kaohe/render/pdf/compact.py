"""Compact font subsets in a written PDF: only the glyphs it uses, numbered 0…n.

WeasyPrint subsets every font but keeps the font's glyph numbering, so a subset of
300 characters of a 60,000-glyph CJK font still holds 60,000 glyph slots, with their
metrics, offsets and charset: fonts made 94–97 % of every PDF. :func:`compact_pdf` runs
on the written file (after :mod:`.finish` erased the justification gaps) and renumbers
every embedded ``Type0`` font with ``Identity-H`` encoding:

- the glyphs used keep their order and get the numbers 1…n (0 stays ``.notdef``);
- the font program keeps only them (subset again with HarfBuzz, which WeasyPrint uses too;
  or, for a font :mod:`.subsetting` subset so while WeasyPrint wrote it, as it stands, with
  the numbering it was given); a CID-keyed CFF gets the identity charset, so a viewer that
  maps CIDs through the charset and one that takes them as glyph ids see the same glyph;
- the text-showing operators of every content stream, the widths (``W``) and the
  ``ToUnicode`` map follow the new numbers.

Each glyph keeps its width, so nothing moves on the page, and text extracts as before.
A font this module does not understand (another encoding, a missing-glyph CMap, a font
program HarfBuzz cannot subset) is left as WeasyPrint wrote it. The file is saved with
object streams and a content-derived ``/ID``, so the same PDF in gives the same bytes out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
import uharfbuzz as hb  # type: ignore[import-untyped]

ObjGen = tuple[int, int]
SHOW_OPERATORS = {"Tj", "TJ", "'", '"'}
SUBSET_FLAGS = (
    hb.SubsetFlags.DESUBROUTINIZE
    | hb.SubsetFlags.NOTDEF_OUTLINE
    | hb.SubsetFlags.CFF_IDENTITY_CHARSET
    | hb.SubsetFlags.NO_LAYOUT_CLOSURE
)
DROPPED_TABLES = ("VORG", "vhea", "vmtx", "GDEF", "GSUB", "GPOS", "BASE", "JSTF", "DSIG", "SVG ")  # no use in a PDF
CMAP_ENTRIES = 100  # bfchar entries a ToUnicode block may hold
HEX_PAIR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>")
BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.DOTALL)
BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.DOTALL)
FONT_LINE = rb"/(?P<name>[^\s/\[\]()<>{}%]+) [-+0-9.eE]+ Tf"  # a font set as WeasyPrint sets it…
SHOW_LINE = rb"\[(?:<[0-9A-Fa-f]*>|[-+0-9.eE]+)*\] TJ"  # …and text shown as it shows it
PLAIN_EVENT = re.compile(
    rb"^(?:(?P<save>q)|(?P<restore>Q)|(?P<font>" + FONT_LINE + rb")|(?P<show>" + SHOW_LINE + rb"))$", re.MULTILINE
)
PLAIN_FONT_OR_SHOW = re.compile(rb"^(?:" + FONT_LINE + rb"|" + SHOW_LINE + rb")$", re.MULTILINE)  # counted, not walked
SHOWING = (b"Tj", b"TJ", b"Tf", b"'", b'"')  # counted anywhere in a stream: a name or string holding one only errs safe
INLINE_IMAGE = re.compile(rb"^BI\b", re.MULTILINE)
PLAIN_HEX = re.compile(rb"<([0-9A-Fa-f]*)>")
RANGE_LINE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])")


@dataclass
class ContentHolder:
    """A page or a form XObject: its parsed content stream and the fonts its resources name."""

    owner: pikepdf.Object
    is_page: bool
    fonts: dict[str, ObjGen]
    instructions: list[pikepdf.ContentStreamInstruction | pikepdf.ContentStreamInlineImage] = field(
        default_factory=list
    )
    lines: bytes | None = None  # the stream as WeasyPrint writes it, one operator a line (:func:`plain_lines`)


def compact_pdf(
    path: Path, numberings: Mapping[str, Mapping[int, int]] | None = None, text_renumbered: bool = False
) -> None:
    """Renumber and shrink the fonts of the PDF at ``path`` in place (deterministic bytes).

    ``numberings``: the fonts already subset and renumbered as WeasyPrint wrote them
    (:mod:`.subsetting`), by PDF name; their widths and maps are renumbered to match, and their
    text too unless ``text_renumbered`` says it shows the new numbers already (:mod:`.finish`).
    """
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        compact_fonts(pdf, numberings or {}, text_renumbered)
        pdf.save(
            path,
            deterministic_id=True,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
            compress_streams=True,
            fix_metadata_version=False,  # the XMP packet stays byte for byte as archival.py wrote it
        )


def compact_fonts(pdf: pikepdf.Pdf, numberings: Mapping[str, Mapping[int, int]], text_renumbered: bool = False) -> None:
    """Renumber the glyphs of every font that can be, everywhere they are shown (``text_renumbered``: see :func:`compact_pdf`)."""
    holders = list(content_holders(pdf))
    shown = shown_fonts(pdf, holders)
    if text_renumbered:
        odd = sorted(
            pdf_name(font) for font in shown.values() if pdf_name(font) in numberings and not is_renumberable(font)
        )
        if odd:
            raise ValueError(f"{odd[0]}: its text was renumbered, but its font cannot be")
    fonts = {objgen: font for objgen, font in shown.items() if is_renumberable(font)}
    listed = {objgen for objgen, font in fonts.items() if pdf_name(font) in numberings}
    old_text = set(fonts) - listed if text_renumbered else set(fonts)  # fonts whose text shows the old numbers
    used: dict[ObjGen, set[int]] = {objgen: set() for objgen in fonts}
    if old_text:
        for holder in holders:
            read_text(holder)
            # a font subset while written lists every glyph it shows in its widths (WeasyPrint's W): only
            # the others need the text read for the glyphs they show
            for objgen, codes in shown_codes(holder) if len(listed) < len(fonts) else ():
                if objgen in used and objgen not in listed:
                    used[objgen].update(codes)
    mappings: dict[ObjGen, dict[int, int]] = {}
    streams = StreamWriter(pdf, shared_maps(fonts.values()))
    for objgen, font in fonts.items():
        mapping = renumber_font(streams, font, used[objgen], numberings.get(pdf_name(font)))
        if mapping is not None and objgen in old_text:
            mappings[objgen] = mapping
    renumberers = {objgen: HexRenumberer(mapping) for objgen, mapping in mappings.items()}
    for holder in holders if mappings else ():
        rewrite_holder(streams, holder, mappings, renumberers)


def read_text(holder: ContentHolder) -> None:
    """The holder's content stream, as plain lines or else parsed (:func:`plain_lines`)."""
    holder.lines = plain_lines(holder)
    if holder.lines is None:
        holder.instructions = list(pikepdf.parse_content_stream(holder.owner))


class StreamWriter:
    """Gives a dictionary's stream new data: in place, unless the stream is ``shared`` or was written already.

    Writing an existing stream is cheap; making a new one makes qpdf look at every object of the file
    first (some 14 ms for a score sheet, measured with pikepdf 10.18). A stream that several fonts
    read (``shared``: a ToUnicode map or CIDSet two fonts point to) is never written in place, so each
    font reads the original and gets a stream of its own; one reached twice otherwise (a page's content
    stream another page shows too, read before any is written) is written in place once, then replaced.
    """

    def __init__(self, pdf: pikepdf.Pdf, shared: set[ObjGen] | None = None) -> None:
        self.pdf = pdf
        self.written: set[ObjGen] = set(shared or ())

    def put(self, owner: pikepdf.Object, key: str, data: bytes) -> None:
        stream = owner.get(key)
        if isinstance(stream, pikepdf.Stream) and stream.is_indirect and stream.objgen not in self.written:
            self.written.add(stream.objgen)
            stream.write(data)
        else:
            owner[key] = self.pdf.make_stream(data)


def shared_maps(fonts: Iterable[pikepdf.Dictionary]) -> set[ObjGen]:
    """The ToUnicode maps and CIDSets that more than one of ``fonts`` points to."""
    seen: set[ObjGen] = set()
    shared: set[ObjGen] = set()
    for font in fonts:
        descriptor = font.DescendantFonts[0].get("/FontDescriptor")
        for stream in (font.get("/ToUnicode"), descriptor.get("/CIDSet") if descriptor is not None else None):
            if isinstance(stream, pikepdf.Stream) and stream.is_indirect:
                (shared if stream.objgen in seen else seen).add(stream.objgen)
    return shared


class HexRenumberer:
    """Renumbers the glyph strings (``<hex>``) of one font, each distinct string worked out once."""

    def __init__(self, mapping: dict[int, int]) -> None:
        self.mapping = mapping
        self.done: dict[bytes, bytes] = {}

    def __call__(self, digits: re.Match[bytes]) -> bytes:
        whole = digits.group()
        new = self.done.get(whole)
        if new is None:
            glyphs = renumbered(bytes.fromhex(digits.group(1).decode()), self.mapping)
            new = self.done[whole] = b"<" + glyphs.hex().encode() + b">"
        return new


# --- where glyphs are shown -------------------------------------------------------------------


def content_holders(pdf: pikepdf.Pdf) -> Iterator[ContentHolder]:
    """Every page and every form XObject and tiling pattern reachable from one, each once."""
    seen: set[ObjGen] = set()
    for page in pdf.pages:
        resources = page.obj.get("/Resources", pikepdf.Dictionary())
        yield ContentHolder(page.obj, True, font_names(resources))
        yield from form_holders(resources, seen)


def form_holders(resources: pikepdf.Object, seen: set[ObjGen]) -> Iterator[ContentHolder]:
    """The form XObjects and tiling patterns (an SVG background is drawn as one) the resources name, and theirs."""
    forms = [
        x for x in dict_values(resources, "/XObject") if isinstance(x, pikepdf.Stream) and x.get("/Subtype") == "/Form"
    ]
    tiles = [
        p for p in dict_values(resources, "/Pattern") if isinstance(p, pikepdf.Stream) and p.get("/PatternType") == 1
    ]
    for stream in [*forms, *tiles]:
        if stream.objgen in seen:
            continue
        seen.add(stream.objgen)
        inner = stream.get("/Resources", resources)
        yield ContentHolder(stream, False, font_names(inner))
        yield from form_holders(inner, seen)


def dict_values(resources: pikepdf.Object, key: str) -> list[pikepdf.Object]:
    entry = resources.get(key) if isinstance(resources, pikepdf.Dictionary) else None
    return list(entry.values()) if isinstance(entry, pikepdf.Dictionary) else []


def font_names(resources: pikepdf.Object) -> dict[str, ObjGen]:
    entry = resources.get("/Font") if isinstance(resources, pikepdf.Dictionary) else None
    if not isinstance(entry, pikepdf.Dictionary):
        return {}
    return {str(name): font.objgen for name, font in entry.items()}


def shown_fonts(pdf: pikepdf.Pdf, holders: list[ContentHolder]) -> dict[ObjGen, pikepdf.Dictionary]:
    """The Type0 fonts the holders' resources name (indirect objects only: only they can be shared and renumbered)."""
    found: dict[ObjGen, pikepdf.Dictionary] = {}
    for objgen in sorted({objgen for holder in holders for objgen in holder.fonts.values()}):
        if objgen == (0, 0):
            continue
        font = pdf.get_object(objgen)
        if isinstance(font, pikepdf.Dictionary) and font.get("/Type") == "/Font" and font.get("/Subtype") == "/Type0":
            found[objgen] = font
    return found


def is_renumberable(font: pikepdf.Dictionary) -> bool:
    """A Type0 font shown with 2-byte glyph ids (Identity-H, CIDToGIDMap Identity) and an embedded program."""
    if font.get("/Encoding") != "/Identity-H" or len(font.get("/DescendantFonts", [])) != 1:
        return False
    cid_font = font.DescendantFonts[0]
    if cid_font.get("/CIDToGIDMap", pikepdf.Name.Identity) != "/Identity":
        return False
    return font_file(cid_font) is not None


def font_file(cid_font: pikepdf.Object) -> pikepdf.Stream | None:
    descriptor = cid_font.get("/FontDescriptor")
    if descriptor is None:
        return None
    stream = descriptor.get("/FontFile2")
    if isinstance(stream, pikepdf.Stream):
        return stream
    stream = descriptor.get("/FontFile3")
    return stream if isinstance(stream, pikepdf.Stream) and stream.get("/Subtype") == "/OpenType" else None


def plain_lines(holder: ContentHolder) -> bytes | None:
    """The content stream when it is written as WeasyPrint writes it; else ``None``.

    Plain means: one operator a line, text shown only as ``[<hex>number…] TJ``, fonts set as
    ``/Name size Tf``, and no inline image. Such a stream is renumbered by regular expressions,
    several times faster than through pikepdf's parser; any other stream goes through the parser.
    """
    contents = holder.owner.get("/Contents") if holder.is_page else holder.owner
    if not isinstance(contents, pikepdf.Stream):
        return None
    data: bytes = contents.read_bytes()
    if INLINE_IMAGE.search(data):
        return None
    plain = len(PLAIN_FONT_OR_SHOW.findall(data))
    anywhere = sum(data.count(token) for token in SHOWING)  # every Tf and TJ must be one of those lines
    return data if plain == anywhere else None


def plain_shown(holder: ContentHolder) -> Iterator[tuple[re.Match[bytes], ObjGen]]:
    """Each ``TJ`` line of a plain stream and the font it shows with (a ``Q`` restores that of its ``q``)."""
    assert holder.lines is not None
    stack: list[ObjGen | None] = []
    current: ObjGen | None = None
    for event in PLAIN_EVENT.finditer(holder.lines):
        kind = event.lastgroup
        if kind == "save":
            stack.append(current)
        elif kind == "restore" and stack:
            current = stack.pop()
        elif kind == "font":
            current = holder.fonts.get("/" + event.group("name").decode("latin-1"))
        elif kind == "show" and current is not None:
            yield event, current


def line_codes(line: bytes) -> list[int]:
    return [code for hex_digits in PLAIN_HEX.findall(line) for code in glyph_ids(bytes.fromhex(hex_digits.decode()))]


def shown_codes(holder: ContentHolder) -> Iterator[tuple[ObjGen, list[int]]]:
    """For each text-showing operator, the font it shows with and its glyph ids."""
    if holder.lines is not None:
        for line, font in plain_shown(holder):
            yield font, line_codes(line.group())
        return
    for font, strings in shown_strings(holder):
        yield font, [code for string in strings for code in glyph_ids(bytes(string))]


def shown_strings(holder: ContentHolder) -> Iterator[tuple[ObjGen, list[pikepdf.String]]]:
    stack: list[ObjGen | None] = []
    current: ObjGen | None = None
    for instruction in holder.instructions:
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            continue
        operator = str(instruction.operator)
        if operator == "q":
            stack.append(current)
        elif operator == "Q" and stack:
            current = stack.pop()
        elif operator == "Tf" and instruction.operands:
            current = holder.fonts.get(str(instruction.operands[0]))
        elif operator in SHOW_OPERATORS and current is not None and instruction.operands:
            yield current, strings_of(instruction.operands[-1])


def strings_of(operand: pikepdf.Object) -> list[pikepdf.String]:
    if isinstance(operand, pikepdf.Array):
        return [item for item in operand if isinstance(item, pikepdf.String)]
    return [operand] if isinstance(operand, pikepdf.String) else []


def glyph_ids(data: bytes) -> list[int]:
    return [int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data) - 1, 2)]


def renumbered(data: bytes, mapping: dict[int, int]) -> bytes:
    try:
        return b"".join(mapping[code].to_bytes(2, "big") for code in glyph_ids(data))
    except KeyError as missing:  # a font subset while written that does not list a glyph it shows
        raise ValueError(f"glyph {missing} is shown but was not kept in the font's subset") from None


def rewrite_holder(
    streams: StreamWriter,
    holder: ContentHolder,
    mappings: dict[ObjGen, dict[int, int]],
    renumberers: dict[ObjGen, HexRenumberer],
) -> None:
    """Write the holder's content stream back with every glyph id renumbered."""
    if not any(objgen in mappings for objgen in holder.fonts.values()):
        return
    if holder.lines is not None:
        data = rewritten_lines(holder, renumberers)
    else:
        data = rewritten_instructions(holder, mappings)
    if holder.is_page:
        streams.put(holder.owner, "/Contents", data)
    else:
        holder.owner.write(data)


def rewritten_lines(holder: ContentHolder, renumberers: dict[ObjGen, HexRenumberer]) -> bytes:
    """A plain stream with each ``TJ`` line's glyph strings renumbered for the font it shows with."""
    assert holder.lines is not None
    pieces: list[bytes] = []
    at = 0
    for line, font in plain_shown(holder):
        renumberer = renumberers.get(font)
        if renumberer is not None:
            pieces += [holder.lines[at : line.start()], PLAIN_HEX.sub(renumberer, line.group())]
            at = line.end()
    return b"".join([*pieces, holder.lines[at:]])


def rewritten_instructions(holder: ContentHolder, mappings: dict[ObjGen, dict[int, int]]) -> bytes:
    stack: list[ObjGen | None] = []
    current: ObjGen | None = None
    out: list[pikepdf.ContentStreamInstruction | pikepdf.ContentStreamInlineImage] = []
    for instruction in holder.instructions:
        if isinstance(instruction, pikepdf.ContentStreamInstruction):
            operator = str(instruction.operator)
            if operator == "q":
                stack.append(current)
            elif operator == "Q" and stack:
                current = stack.pop()
            elif operator == "Tf" and instruction.operands:
                current = holder.fonts.get(str(instruction.operands[0]))
            elif operator in SHOW_OPERATORS and current in mappings and instruction.operands:
                instruction = renumber_instruction(instruction, mappings[current])
        out.append(instruction)
    data: bytes = pikepdf.unparse_content_stream(out)
    return data


def renumber_instruction(
    instruction: pikepdf.ContentStreamInstruction, mapping: dict[int, int]
) -> pikepdf.ContentStreamInstruction:
    operands = list(instruction.operands)
    last = operands[-1]
    if isinstance(last, pikepdf.Array):
        items = [pikepdf.String(renumbered(bytes(i), mapping)) if isinstance(i, pikepdf.String) else i for i in last]
        operands[-1] = pikepdf.Array(items)
    elif isinstance(last, pikepdf.String):
        operands[-1] = pikepdf.String(renumbered(bytes(last), mapping))
    return pikepdf.ContentStreamInstruction(operands, instruction.operator)


# --- the font ---------------------------------------------------------------------------------


def pdf_name(font: pikepdf.Dictionary) -> str:
    """The font's ``/BaseFont`` without its slash: ``ABCDEF+FandolFang``."""
    return str(font.get("/BaseFont", "")).removeprefix("/")


def renumber_font(
    streams: StreamWriter, font: pikepdf.Dictionary, shown: set[int], numbering: Mapping[int, int] | None = None
) -> dict[int, int] | None:
    """Shrink one font to the glyphs shown or listed; the old → new glyph ids, or ``None`` if left alone.

    With a ``numbering``, the program is already shrunk and renumbered so (:mod:`.subsetting`).
    """
    cid_font = font.DescendantFonts[0]
    stream = font_file(cid_font)
    assert stream is not None  # is_renumberable
    widths = parse_widths(cid_font.get("/W", pikepdf.Array()))
    kept = sorted({0} | shown | set(widths))
    if numbering is not None:
        mapping = numbered_already(numbering, kept, pdf_name(font))
    else:
        subset = subset_program(stream.read_bytes(), kept)
        if subset is None:
            return None  # not a font program HarfBuzz can subset: WeasyPrint's is kept
        program, mapping = subset
        stream.write(program)
        if "/Length1" in stream:
            stream.Length1 = len(program)
    cid_font.W = widths_array({mapping[cid]: width for cid, width in widths.items()})
    if "/ToUnicode" in font:
        streams.put(font, "/ToUnicode", to_unicode_cmap(parse_to_unicode(font.ToUnicode.read_bytes()), mapping))
    descriptor = cid_font.FontDescriptor
    if "/CIDSet" in descriptor:
        streams.put(descriptor, "/CIDSet", cid_set(len(set(mapping.values()))))
    return mapping


def numbered_already(numbering: Mapping[int, int], kept: list[int], name: str) -> dict[int, int]:
    """The numbering of a font subset while it was written, for the glyphs the PDF shows and lists."""
    lost = [gid for gid in kept if gid not in numbering]
    if lost:
        raise ValueError(f"{name}: glyphs {lost[:5]} are shown but were not kept in the font's subset")
    return {gid: numbering[gid] for gid in kept}


def subset_program(
    data: bytes, kept: list[int], index: int = 0, hinting: bool = True
) -> tuple[bytes, dict[int, int]] | None:
    """The font program with only the ``kept`` glyph ids (and their components), and where each went.

    HarfBuzz numbers the glyphs it keeps in their old order; a CID-keyed CFF gets the identity
    charset. ``index``: the font's place in a collection (``.ttc``); ``hinting``: keep its hints.
    ``None`` when HarfBuzz cannot read or subset the program.
    """
    return subset_face(hb.Face(data, index), kept, hinting)


def subset_face(face: hb.Face, kept: list[int], hinting: bool = True) -> tuple[bytes, dict[int, int]] | None:
    """:func:`subset_program` of a HarfBuzz face already made (one face serves many subsets)."""
    subset_input = hb.SubsetInput()
    subset_input.glyph_set.update(kept)
    subset_input.flags = SUBSET_FLAGS if hinting else SUBSET_FLAGS | hb.SubsetFlags.NO_HINTING
    for tag in DROPPED_TABLES:
        subset_input.drop_table_tag_set.add(int.from_bytes(tag.encode("ascii"), "big"))
    try:
        plan = hb.SubsetPlan(face, subset_input)
        program = plan.execute().blob.data
    except RuntimeError:  # "Subsetting failed"
        return None
    moved = plan.old_to_new_glyph_mapping
    if not program or any(gid not in moved for gid in kept):
        return None
    return bytes(program), {gid: moved[gid] for gid in kept}


# --- widths, ToUnicode, CIDSet ----------------------------------------------------------------


def parse_widths(array: pikepdf.Object) -> dict[int, pikepdf.Object]:
    """A CIDFont ``W`` array (``c [w1 w2 …]`` and ``c_first c_last w``) as glyph id → width."""
    items = list(array)
    widths: dict[int, pikepdf.Object] = {}
    i = 0
    while i < len(items):
        first = int(items[i])
        if isinstance(items[i + 1], pikepdf.Array):
            for offset, width in enumerate(items[i + 1]):
                widths[first + offset] = width
            i += 2
        else:
            for cid in range(first, int(items[i + 1]) + 1):
                widths[cid] = items[i + 2]
            i += 3
    return widths


def widths_array(widths: dict[int, pikepdf.Object]) -> pikepdf.Array:
    """``W`` with one ``c [w…]`` entry for each run of consecutive glyph ids."""
    out: list[object] = []
    run: list[pikepdf.Object] = []
    previous = -2
    for cid in sorted(widths):
        if cid != previous + 1:
            if run:
                out.append(pikepdf.Array(run))
            out.append(cid)
            run = []
        run.append(widths[cid])
        previous = cid
    if run:
        out.append(pikepdf.Array(run))
    return pikepdf.Array(out)


def parse_to_unicode(data: bytes) -> dict[int, bytes]:
    """Glyph id → UTF-16BE text from a ToUnicode CMap's ``bfchar`` and ``bfrange`` blocks."""
    mapping: dict[int, bytes] = {}
    for block in BFCHAR.findall(data):
        for code, text in HEX_PAIR.findall(block):
            mapping[int(code, 16)] = bytes.fromhex(text.decode())
    for block in BFRANGE.findall(data):
        for low, high, target in RANGE_LINE.findall(block):
            mapping.update(range_entries(int(low, 16), int(high, 16), target))
    return mapping


def range_entries(low: int, high: int, target: bytes) -> dict[int, bytes]:
    if target.startswith(b"["):
        texts = [bytes.fromhex(t.decode()) for t in re.findall(rb"<([0-9A-Fa-f]*)>", target)]
        return dict(zip(range(low, high + 1), texts, strict=False))
    start = bytes.fromhex(target.strip(b"<>").decode())
    number = int.from_bytes(start, "big") if start else 0
    return {code: (number + code - low).to_bytes(max(len(start), 2), "big") for code in range(low, high + 1)}


def to_unicode_cmap(texts: dict[int, bytes], mapping: dict[int, int]) -> bytes:
    """The ToUnicode CMap for the renumbered glyphs."""
    entries = sorted((mapping[code], text) for code, text in texts.items() if code in mapping)
    lines = [
        b"/CIDInit /ProcSet findresource begin",
        b"12 dict begin",
        b"begincmap",
        b"/CIDSystemInfo",
        b"<< /Registry (Adobe)",
        b"/Ordering (UCS)",
        b"/Supplement 0",
        b">> def",
        b"/CMapName /Adobe-Identity-UCS def",
        b"/CMapType 2 def",
        b"1 begincodespacerange",
        b"<0000> <ffff>",
        b"endcodespacerange",
    ]
    for start in range(0, len(entries), CMAP_ENTRIES):
        chunk = entries[start : start + CMAP_ENTRIES]
        lines.append(f"{len(chunk)} beginbfchar".encode())
        lines.extend(f"<{code:04x}> <{text.hex()}>".encode() for code, text in chunk)
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines)


def cid_set(count: int) -> bytes:
    """A CIDSet with the bits of glyph ids 0…count-1 set."""
    bits = "1" * count + "0" * (-count % 8)
    return int(bits, 2).to_bytes(len(bits) // 8, "big") if bits else b""

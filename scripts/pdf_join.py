"""Joining an edition's front matter to its body (used by ``make_pdf.py``).

The body (the chapters) is printed first, its footers numbered from 1; its bookmarks say on
which page each chapter starts. The front matter (cover and contents) is then printed with
those numbers and put in front of the body by an *incremental update* (PDF 1.7, 7.5.6): the
body's bytes are kept as Chromium wrote them and the front pages, a new page tree root, a new
catalog (page labels: i, ii, … then 1, 2, … as the footers) and a "Contents" bookmark are
appended after them. So the body's bookmarks, named destinations, links between chapters and
structure tree (the tagged PDF) are untouched and still point at the same pages, and joining
costs a second or two where rewriting the whole file with pypdf took tens of seconds. The
contents' links, printed as ``CHAPTER_LINK`` addresses, are pointed at their chapter's first
page. The dates are fixed in place so that the same commit prints the same file.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Sequence
from typing import Any

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
    StreamObject,
    TextStringObject,
)

FIXED_DATE = "D:20000101000000Z"  # the PDF's creation and modification date, for every build
Mark = tuple[int, float, float]  # a chapter's first page in the body (index from 0), left, top

logging.getLogger("pypdf").setLevel(logging.ERROR)  # Chromium's trailer size: harmless


def _title(text: str) -> str:
    return " ".join(str(text).split())


def chapter_starts(reader: PdfReader, headings: Sequence[str]) -> list[Any]:
    """The bookmark of each chapter: the first top-level bookmark titled by its heading.

    Chromium writes one top-level bookmark per ``<h1>``, in the order of the document; a
    chapter whose heading is not found stops the print (a page without ``<h1>`` or two chapters
    swapped would otherwise number the contents wrongly).
    """
    top = [item for item in reader.outline if not isinstance(item, list)]
    found, at = [], 0
    for heading in headings:
        while at < len(top) and _title(top[at].title) != _title(heading):
            at += 1
        if at == len(top):
            raise SystemExit(f"make_pdf: no bookmark for the chapter {heading!r} in the body")
        found.append(top[at])
        at += 1
    return found


def body_marks(body: bytes, chapters: dict[str, str]) -> dict[str, Mark]:
    """Where each chapter starts in the body, by slug: (page index from 0, left, top).

    ``chapters`` maps each chapter's slug to its heading, in the order of the book; the page
    number printed in the body's footer is the index plus one.
    """
    reader = PdfReader(io.BytesIO(body))
    found = chapter_starts(reader, list(chapters.values()))
    return {
        slug: (reader.get_destination_page_number(m), float(m.get("/Left") or 0),
               float(m.get("/Top") or 0))
        for slug, m in zip(chapters, found, strict=True)
    }  # fmt: skip


def fixed_dates(pdf: bytes, reader: PdfReader) -> bytes:
    """``pdf`` with the dates of its document information set to ``FIXED_DATE``, in place.

    The new date is shorter than Chromium's (``D:20261203160515+00'00'``) and padded with
    spaces after the string, so that no byte offset of the file moves.

    Examples:
        >>> from pypdf import PdfWriter
        >>> w = PdfWriter()
        >>> _ = w.add_blank_page(10, 10)
        >>> w.add_metadata({"/CreationDate": "D:20261203160515+00'00'"})
        >>> out = io.BytesIO()
        >>> _ = w.write(out)
        >>> fixed = fixed_dates(out.getvalue(), PdfReader(out))
        >>> len(fixed) == len(out.getvalue())  # no offset moved
        True
        >>> PdfReader(io.BytesIO(fixed)).metadata["/CreationDate"]
        'D:20000101000000Z'
    """
    info = reader.trailer.raw_get("/Info")
    start = reader.xref[info.generation][info.idnum]
    end = pdf.index(b"endobj", start)

    def fix(m: re.Match[bytes]) -> bytes:
        new = m[1] + f"({FIXED_DATE})".encode()
        return new + b" " * (len(m[0]) - len(new))

    patched = re.sub(rb"(/(?:CreationDate|ModDate)\s*)\([^)]*\)", fix, pdf[start:end])
    return pdf[:start] + patched + pdf[end:]


class _Update:
    """The objects of an incremental update: changed body objects and copied front objects."""

    def __init__(self, size: int, struct_offset: int | None = None) -> None:
        self.size = size
        self.objects: dict[int, PdfObject] = {}
        self._copied: dict[int, IndirectObject] = {}
        # The front's keys into its parent tree, moved past the body's (None: dropped).
        self.struct_offset = struct_offset

    def add(self, obj: PdfObject, number: int | None = None) -> IndirectObject:
        if number is None:
            number, self.size = self.size, self.size + 1
        self.objects[number] = obj
        return IndirectObject(number, 0, None)  # type: ignore[arg-type]

    def copy(self, obj: Any, parent: IndirectObject) -> Any:
        """A deep copy of a front object, its references renumbered after the body's."""
        if isinstance(obj, IndirectObject):
            if obj.idnum not in self._copied:
                self._copied[obj.idnum] = ref = self.add(NumberObject(0))
                self.objects[ref.idnum] = self.copy(obj.get_object(), parent)
            return self._copied[obj.idnum]
        if isinstance(obj, DictionaryObject):
            out = DictionaryObject()
            if isinstance(obj, StreamObject):
                out = StreamObject()
                out._data = obj._data  # still encoded: its /Filter is copied below
            for key in obj:
                if key == "/Parent" and obj.get("/Type") == "/Page":
                    out[NameObject(key)] = parent
                elif key in ("/StructParents", "/StructParent"):
                    if self.struct_offset is not None:
                        out[NameObject(key)] = NumberObject(int(obj[key]) + self.struct_offset)
                else:
                    out[NameObject(key)] = self.copy(obj.raw_get(key), parent)
            return out
        if isinstance(obj, ArrayObject):
            return ArrayObject(self.copy(item, parent) for item in obj)
        return obj

    def write(self, body: bytes, reader: PdfReader, root: IndirectObject) -> bytes:
        """``body`` followed by the update: the objects, a cross-reference section, a trailer."""
        out = io.BytesIO()
        out.write(body if body.endswith(b"\n") else body + b"\n")
        offsets = {}
        for number in sorted(self.objects):
            offsets[number] = out.tell()
            out.write(f"{number} 0 obj\n".encode())
            self.objects[number].write_to_stream(out)
            out.write(b"\nendobj\n")
        xref = out.tell()
        out.write(b"xref\n")
        numbers = sorted(offsets)
        runs: list[list[int]] = []
        for n in numbers:
            if runs and runs[-1][-1] == n - 1:
                runs[-1].append(n)
            else:
                runs.append([n])
        for run in runs:
            out.write(f"{run[0]} {len(run)}\n".encode())
            out.write(b"".join(f"{offsets[n]:010d} 00000 n\r\n".encode() for n in run))
        prev = int(re.findall(rb"startxref\s+(\d+)", body[-1024:])[-1])
        info = reader.trailer.raw_get("/Info")
        out.write(
            f"trailer\n<< /Size {self.size} /Root {root.idnum} 0 R /Info {info.idnum} "
            f"{info.generation} R /Prev {prev} >>\nstartxref\n{xref}\n%%EOF\n".encode()
        )
        return out.getvalue()


def _merge_structure(
    update: _Update, tree_ref: IndirectObject, front_tree: Any, pages_ref: IndirectObject
) -> None:
    """Put the front's structure tree (Chromium tags it too) in front of the body's.

    The body's structure tree root gets the front's top element before its own, and its parent
    tree the front's entries, their keys moved past the body's (``update.struct_offset``, also
    added to the copied front pages' ``/StructParents`` and links' ``/StructParent``): so the
    cover and the contents are read, in order, before the chapters.
    """
    offset = update.struct_offset or 0
    tree = DictionaryObject(tree_ref.get_object())
    kids = tree.raw_get("/K")
    kids = list(kids) if isinstance(kids, ArrayObject) else [kids]
    front_kids = front_tree.raw_get("/K")
    front_kids = list(front_kids) if isinstance(front_kids, ArrayObject) else [front_kids]
    tree[NameObject("/K")] = ArrayObject([*(update.copy(k, pages_ref) for k in front_kids), *kids])
    parents_ref = tree.raw_get("/ParentTree")
    parents = DictionaryObject(parents_ref.get_object())
    if "/Kids" in parents or "/Kids" in front_tree["/ParentTree"]:
        raise SystemExit("make_pdf: a parent tree with /Kids: only a flat /Nums is joined")
    nums = list(parents.get_object()["/Nums"])  # key, value, key, value, …
    front_nums = list(front_tree["/ParentTree"]["/Nums"])
    raw = front_tree["/ParentTree"].raw_get("/Nums")
    raw = raw.get_object() if isinstance(raw, IndirectObject) else raw
    for at in range(0, len(front_nums), 2):
        nums += [NumberObject(int(front_nums[at]) + offset), update.copy(raw[at + 1], pages_ref)]
    parents[NameObject("/Nums")] = ArrayObject(nums)
    if isinstance(parents_ref, IndirectObject):
        update.add(parents, parents_ref.idnum)
    else:
        tree[NameObject("/ParentTree")] = parents
    next_key = int(front_tree.get("/ParentTreeNextKey", len(front_nums) // 2))
    tree[NameObject("/ParentTreeNextKey")] = NumberObject(offset + next_key)
    update.add(tree, tree_ref.idnum)


def join(front: bytes, body: bytes, marks: dict[str, Mark], link: str, contents: str) -> bytes:
    """The PDF of ``front`` followed by ``body``: ``body``'s bytes and an incremental update.

    ``marks`` says where each chapter starts in ``body`` (:func:`body_marks`), ``link`` is the
    address prefix of the contents' links, ``contents`` the title of the contents' bookmark.
    """
    reader = PdfReader(io.BytesIO(body))
    if b"xref" not in body[-64 * 1024 :] or reader.trailer.get("/Encrypt") is not None:
        raise SystemExit("make_pdf: the body's PDF has no plain cross-reference table to extend")
    update = _Update(int(reader.trailer["/Size"]))
    catalog = reader.trailer["/Root"]
    pages_ref = catalog.raw_get("/Pages")
    body_pages = [page.indirect_reference for page in reader.pages]
    front_reader = PdfReader(io.BytesIO(front))
    tree_ref = catalog.raw_get("/StructTreeRoot")
    front_tree = front_reader.trailer["/Root"].get("/StructTreeRoot")
    if isinstance(tree_ref, IndirectObject) and front_tree is not None:
        update.struct_offset = int(tree_ref.get_object().get("/ParentTreeNextKey", 0))
        # The front's elements hang from the body's root: its own root is never copied.
        update._copied[front_reader.trailer["/Root"].raw_get("/StructTreeRoot").idnum] = tree_ref
    front_pages = [update.copy(p.indirect_reference, pages_ref) for p in front_reader.pages]
    if update.struct_offset is not None:
        _merge_structure(update, tree_ref, front_tree, pages_ref)
    pointed = 0
    for ref in front_pages:
        for annot_ref in update.objects[ref.idnum].get("/Annots") or []:
            is_ref = isinstance(annot_ref, IndirectObject)
            annot = update.objects[annot_ref.idnum] if is_ref else annot_ref
            uri = str((annot.get("/A") or {}).get("/URI", ""))
            if uri.startswith(link):
                index, left, top = marks[uri[len(link) :]]
                annot[NameObject("/Dest")] = ArrayObject(
                    [body_pages[index], NameObject("/XYZ"), FloatObject(left), FloatObject(top),
                     NumberObject(0)]
                )  # fmt: skip
                del annot["/A"]
                pointed += 1
    if pointed < len(marks):
        raise SystemExit(f"make_pdf: {pointed} contents links for {len(marks)} chapters")
    tree = DictionaryObject(catalog["/Pages"])
    tree[NameObject("/Kids")] = ArrayObject([*front_pages, *tree["/Kids"]])
    tree[NameObject("/Count")] = NumberObject(int(tree["/Count"]) + len(front_pages))
    update.add(tree, pages_ref.idnum)
    new_catalog = DictionaryObject(catalog)
    n = len(front_pages)
    new_catalog[NameObject("/PageLabels")] = DictionaryObject(
        {NameObject("/Nums"): ArrayObject([
            NumberObject(0), DictionaryObject({NameObject("/S"): NameObject("/r")}),
            NumberObject(n), DictionaryObject({NameObject("/S"): NameObject("/D"),
                                               NameObject("/St"): NumberObject(1)}),
        ])}
    )  # fmt: skip
    outlines_ref = catalog.raw_get("/Outlines")
    if isinstance(outlines_ref, IndirectObject):
        outlines = DictionaryObject(outlines_ref.get_object())
        first_ref = outlines.raw_get("/First")
        item = DictionaryObject({
            NameObject("/Title"): TextStringObject(contents), NameObject("/Parent"): outlines_ref,
            NameObject("/Dest"): ArrayObject([front_pages[min(1, n - 1)], NameObject("/Fit")]),
            NameObject("/Next"): first_ref,
        })  # fmt: skip
        item_ref = update.add(item)
        first = DictionaryObject(first_ref.get_object())
        first[NameObject("/Prev")] = item_ref
        update.add(first, first_ref.idnum)
        outlines[NameObject("/First")] = item_ref
        outlines[NameObject("/Count")] = NumberObject(int(outlines.get("/Count", 0)) + 1)
        update.add(outlines, outlines_ref.idnum)
    root_ref = update.add(new_catalog, reader.trailer.raw_get("/Root").idnum)
    return update.write(fixed_dates(body, reader), reader, root_ref)

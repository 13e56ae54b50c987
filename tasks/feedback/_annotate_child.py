"""Child process that writes the annotated copy of one untrusted workbook under a memory limit.

Run as a script (`python -I _annotate_child.py MEMORY_MB`), never imported by the pipeline: openpyxl
loads every cell of a merged range as an object (a 27 KB file with `A1:XFD1048576` takes gigabytes),
so the load happens here, where RLIMIT_AS ends it, and the parent only waits with a timeout. It imports
nothing but the standard library and openpyxl. The request is one JSON object on stdin:

    {"source": path, "partial": path to write, "author": ..., "ours": [fill colours of our marks],
     "strip": characters to drop from a comment the user wrote, "cells": [
        {"sheet": ..., "cell": "F12", "colour": "FFC7CE", "rank": 0, "text": comment text}, ...]}

The answer is one JSON object on stdout: {"written": true} or {"error": "..."}.
"""

import io
import json
import resource
import sys
import warnings
import zipfile

DOC_PROPS = ("docProps/core.xml", "docProps/app.xml", "docProps/custom.xml")
MAX_TEXT = 32_767


def limit_memory(memory_mb):
    cap = memory_mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def without_doc_props(source):
    """The package minus its document properties, in memory: what is left of a file whose docProps are malformed."""
    out = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in original.infolist():
            if info.filename not in DOC_PROPS:
                copy.writestr(info, original.read(info))
    out.seek(0)
    return out


def load(openpyxl, source):
    """The workbook for editing; if openpyxl cannot read it, once more without the (optional) docProps."""
    with warnings.catch_warnings():  # unsupported extensions (e.g. LibreOffice's) are dropped with a warning
        warnings.simplefilter("ignore")
        try:
            return openpyxl.load_workbook(source, keep_vba=False, keep_links=True, rich_text=True)
        except MemoryError:
            raise
        except Exception:  # e.g. a core.xml that is not XML, or a date openpyxl cannot parse
            return openpyxl.load_workbook(without_doc_props(source), keep_vba=False, keep_links=True, rich_text=True)


def clear_stale(book, author, ours, PatternFill):
    """Drop our marks from an earlier annotated copy that the centre fixed and sent back (a likely habit)."""
    for sheet in book.worksheets:
        for cell in list(sheet._cells.values()):  # only cells that exist; iter_rows would create every empty one
            if getattr(cell, "comment", None) is None or cell.comment.author != author:
                continue
            cell.comment = None
            if cell.fill.fill_type == "solid" and cell.fill.start_color.rgb in ours:
                cell.fill = PatternFill(fill_type=None)


def anchor(sheet, coordinate, MergedCell):
    """The cell that can carry a comment: a cell inside a merged range hands over to the range's top-left."""
    if not isinstance(sheet[coordinate], MergedCell):
        return coordinate
    for merged in sheet.merged_cells.ranges:
        if coordinate in merged:
            return merged.start_cell.coordinate
    return coordinate


def marks(book, cells, MergedCell):
    """(sheet, anchor) → (best rank, colour, texts): cells of one merged range become one mark."""
    found = {}
    for cell in cells:
        if cell["sheet"] not in book.sheetnames:
            continue
        sheet = book[cell["sheet"]]
        key = (cell["sheet"], anchor(sheet, cell["cell"], MergedCell))
        rank, colour, texts = found.get(key, (cell["rank"], cell["colour"], []))
        if cell["rank"] < rank:
            rank, colour = cell["rank"], cell["colour"]
        found[key] = (rank, colour, [*texts, cell["text"]])
    return found


def mark(cell, colour, texts, request, Comment, PatternFill):
    """Fill with the worst severity's colour and comment; a comment the user wrote there is kept below ours."""
    cell.fill = PatternFill(fill_type="solid", start_color=colour, end_color=colour)
    previous = cell.comment.text if cell.comment is not None else None
    if previous:
        texts = [*texts, previous.translate({ord(c): None for c in request["strip"]})]
    text = "\n\n".join(texts)
    text = text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"
    lines = text.count("\n") + 1 + len(text) // 60
    cell.comment = Comment(text, request["author"], height=min(600, 20 + 15 * lines), width=360)


def annotate(request):
    import openpyxl
    from openpyxl.cell.cell import MergedCell
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    book = load(openpyxl, request["source"])
    clear_stale(book, request["author"], set(request["ours"]), PatternFill)
    for (sheet, coordinate), (_, colour, texts) in marks(book, request["cells"], MergedCell).items():
        mark(book[sheet][coordinate], colour, texts, request, Comment, PatternFill)
    book.save(request["partial"])


def main():
    limit_memory(int(sys.argv[1]))
    try:
        annotate(json.loads(sys.stdin.buffer.read()))
        answer = {"written": True}
    except MemoryError:
        answer = {"error": "memory"}
    except Exception as error:  # every failure is an answer: the copy is optional, the feedback is not
        answer = {"error": f"{type(error).__name__}: {error}"[:300]}
    sys.stdout.write(json.dumps(answer))
    sys.stdout.flush()


if __name__ == "__main__":
    main()

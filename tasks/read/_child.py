"""Child process that parses workbooks with python-calamine under a memory limit.

Run as a script (`python -I _child.py MEMORY_MB`), never imported by the pipeline: it must load
nothing but the standard library and python_calamine. Requests arrive as JSON lines on stdin
({"path": ...}); each answer is a 4-byte big-endian length and a JSON body on stdout. JSON, not
pickle, so that a child subverted by a hostile file cannot run code in the parent.
"""

import datetime
import json
import os
import resource
import sys

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def limit_memory(memory_mb):
    """Cap the address space; no core files when calamine aborts on an impossible allocation."""
    cap = memory_mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def encode_cell(value):
    """json's `default` hook: only dates and durations reach it, as {tag: text}; plain cells stay in C."""
    if isinstance(value, datetime.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"date": value.isoformat()}
    if isinstance(value, datetime.time):
        return {"time": value.isoformat()}
    if isinstance(value, datetime.timedelta):
        return {"timedelta": value.total_seconds()}
    raise TypeError(f"unexpected cell type {type(value).__name__}")


def trimmed(rows):
    """Drop trailing fully-empty rows: a styled or emptied cell far down must not yield a million blank rows."""
    end = len(rows)
    while end and all(cell == "" for cell in rows[end - 1]):
        end -= 1
    return rows[:end]


def read(path, calamine):
    """Every worksheet, in workbook order; chart and dialog sheets have no cells and are left out."""
    # From the content, not the name: calamine picks its parser by extension in from_path.
    with open(path, "rb") as handle:
        book = calamine.CalamineWorkbook.from_filelike(handle)
    sheets = []
    for meta in book.sheets_metadata:
        if meta.typ != calamine.SheetTypeEnum.WorkSheet:
            continue
        rows = trimmed(book.get_sheet_by_name(meta.name).to_python(skip_empty_area=False))
        visible = meta.visible == calamine.SheetVisibleEnum.Visible
        sheets.append({"name": meta.name, "visible": visible, "rows": rows})
    return {"sheets": sheets}


def encrypted_package(path):
    """An OLE2 file holding an EncryptedPackage stream: calamine's content sniffing does not know it."""
    with open(path, "rb") as handle:
        data = handle.read()
    return data.startswith(OLE_MAGIC) and "EncryptedPackage".encode("utf-16-le") in data


def answer(request, calamine):
    try:
        return read(request["path"], calamine)
    except calamine.PasswordError as error:
        return {"error": "password", "detail": str(error)[:200]}
    except calamine.CalamineError as error:
        if encrypted_package(request["path"]):
            return {"error": "password", "detail": str(error)[:200]}
        return {"error": type(error).__name__, "detail": str(error)[:200]}
    except MemoryError:
        return {"error": "memory", "detail": ""}
    except Exception as error:  # every parser failure is a finding about the file, reported as a value
        return {"error": type(error).__name__, "detail": str(error)[:200]}


def send(body):
    data = json.dumps(body, ensure_ascii=False, default=encode_cell).encode("utf-8")
    sys.stdout.buffer.write(len(data).to_bytes(4, "big") + data)
    sys.stdout.buffer.flush()


def main():
    limit_memory(int(sys.argv[1]))
    import python_calamine as calamine

    send({"ready": True})
    for line in sys.stdin:
        try:
            body = answer(json.loads(line), calamine)
            send(body)
        except MemoryError:
            send({"error": "memory", "detail": ""})
            body = {"error": "memory"}
        if body.get("error") == "memory":
            os._exit(3)  # a heap that hit the limit is not trusted for the next file


if __name__ == "__main__":
    main()

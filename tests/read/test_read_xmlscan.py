"""The sheet extent scanner: the fast regex screen and the exact walk must agree with calamine's counting."""

from __future__ import annotations

import pytest

from tasks.read.xmlscan import ExtentScan, beyond_pattern, column_number, prolog_issue

LIMITS = [(200_000, 200), (20, 26), (9, 27), (100, 16_384)]
REFS = [b"A1", b"Z20", b"AA9", b"GR200000", b"GS1", b"HA1", b"ZZ1", b"AAA1", b"XFD1048576", b"A200001", b"A1000000"]
REFS += [b"A10", b"A21", b"A99", b"AB100", b"A101", b"A0000001"]


@pytest.mark.parametrize(("max_rows", "max_columns"), LIMITS)
def test_beyond_pattern_matches_exactly_the_refs_past_the_limits(max_rows: int, max_columns: int) -> None:
    pattern = beyond_pattern(max_rows, max_columns)
    for ref in REFS:
        letters = ref.rstrip(b"0123456789")
        past = int(ref[len(letters) :]) > max_rows or column_number(letters) > max_columns
        leading_zero_digits = len(ref) - len(letters) > len(str(max_rows))  # over-long: a hint, walked exactly
        assert bool(pattern.search(b'<c r="' + ref + b'">')) == (past or leading_zero_digits), ref


def scan(xml: bytes, max_rows: int = 20, max_columns: int = 5, pieces: int = 1) -> tuple[int, int] | str | None:
    scanner = ExtentScan(max_rows, max_columns)
    step = max(1, len(xml) // pieces)
    for start in range(0, len(xml), step):
        outside = scanner.feed(xml[start : start + step])
        if outside:
            return outside
    return None


@pytest.mark.parametrize("pieces", [1, 3, 17])
def test_position_carries_across_pieces(pieces: int) -> None:
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (n, n) for n in range(1, 19))
    assert scan(rows + b"<row/><row/><row><c><v>1</v></c></row>", pieces=pieces) == (21, 1)
    assert scan(rows + b'<row r="19"><c r="E19"><v>1</v></c><c><v>2</v></c></row>', pieces=pieces) == (19, 6)


@pytest.mark.parametrize(
    ("xml", "expected"),
    [
        (b'<c s="1" r="F2"><v>1</v></c>', (2, 6)),  # r not first: exact walk
        (b'<x:row r="30"><x:c r="A30"><x:v>1</x:v></x:c></x:row>', (30, 1)),  # prefixed tags
        (b'<row r="1048576"><c r="XFD1048576" s="3"/></row>', None),  # empty styled cell: harmless
        (b'<row r="15"><c r="E15" t="s"><v>0</v></c></row>', None),
        (b'<c r="A' + b"9" * 40 + b'"><v>1</v></c>', (10**9, 1)),
    ],
)
def test_exact_cases(xml: bytes, expected: tuple[int, int] | None) -> None:
    assert scan(xml) == expected


def test_endless_tag_is_unsafe() -> None:
    assert isinstance(scan(b'<c r="A1" x="' + b"y" * 70_000), str)


@pytest.mark.parametrize(
    ("head", "complete", "found"),
    [
        ('<?xml version="1.0"?><worksheet/>', True, None),
        ('\ufeff<?xml version="1.0"?>\n<!-- note --><!doctype x><r/>', True, "<!DOCTYPE>"),
        ("<?xml?>" + " " * 100, False, "XML prolog longer than 64 KB"),
    ],
)
def test_prolog(head: str, complete: bool, found: str | None) -> None:
    assert prolog_issue(head, complete) == found

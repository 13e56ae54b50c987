"""Vectorised cell parsers: what python-calamine returns → typed pandas Series plus a `bad` mask.

Decisions (the validators and the feedback texts rely on them):

- Blank is None, NaN/NA/NaT, or text made only of whitespace, NBSP, zero-width or bidi control characters.
  A blank is never `bad`; whether it is allowed is the `required` check's business.
- Numbers typed as text: space-like thousands separators (space, NBSP, narrow NBSP, thin space,
  figure space) in groups of three; `1,234,567.89` (comma thousands, dot decimal) and
  `1.234.567,89` (dot thousands, comma decimal: Kazakh/Russian Excel locales) are accepted.
  One separator followed by exactly three digits (`1,234`, `1.234`) is read as a DECIMAL
  separator (1.234): in the ru/kk locales the comma is the decimal mark, so this is what the
  user most likely meant, and in integer columns the result is flagged rather than silently
  made a thousand times larger. `1,234,56`, `12abc`, units and currency signs are bad.
  A Unicode minus or dash (`−5`, `–5`) counts as a minus sign.
- A trailing `%` divides by 100, as Excel does when `12,5%` is typed into a cell.
- `True`/`False` cells are never numbers; dates, times and infinities are never numbers.
- Dates: real date cells; Excel serial numbers 1..2958465 (1900 system, with Excel's phantom
  29.02.1900 = serial 60 refused); text `dd.mm.yyyy`, `dd/mm/yyyy`, `dd-mm-yyyy` (day first,
  never US month first), `yyyy-mm-dd` (also with `.` or `/`), an optional time part and a
  Russian `г.` suffix. Two-digit years follow Python's `%y`: 00–68 → 20xx, 69–99 → 19xx.
  Years before 1900 and impossible dates (31.02.2026) are bad; a time part is dropped.
- Bidi controls and zero-width characters (council.invisible) are removed anywhere in a text cell
  before any parser sees it: they reorder or hide what a reader sees, and the loaded data and the
  pack must hold what the screen showed (`1\u200b234` is 1234). The quirk layer warns about them.
- Codes: trimmed, zero-width characters removed, upper-cased, and Cyrillic letters that look
  exactly like Latin ones (А, В, Е, К, М, Н, О, Р, С, Т, Х) folded to Latin: users switch
  keyboard layouts mid-word, and every code in `schemas/` is Latin.

Speed: text goes through pyarrow compute kernels (RE2), one pass per pattern; 1M cells of any
one kind parse in well under a second. Non-text cells in a text column are rendered one by one.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from council.invisible import BIDI_CONTROLS, INVISIBLE_RE2

# Unicode whitespace (what str.isspace() accepts) plus zero-width characters users paste from
# Word and web pages; both are invisible in a cell.
_ZERO_WIDTH = "\u180e\u200b\u200c\u200d\u2060\ufeff"
_INVISIBLE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000" + _ZERO_WIDTH + BIDI_CONTROLS
)
_GROUP_SPACES = " \u00a0\u202f\u2009\u2007"
_MINUS_SIGNS = "\u2212\u2012\u2013\u2014\ufe63\uff0d"  # Word's and Excel's "smart" minus and dashes
_HOMOGLYPHS = str.maketrans("АВЕКМНОРСТХ", "ABEKMHOPCTX")

# RE2 pattern (pyarrow), after group spaces became " ": plain digits with an optional decimal
# part and exponent, or groups of three split by spaces, by commas (dot decimal) or by dots
# (comma decimal). Which separator is the decimal one is decided afterwards by counting.
_NUMBER = (
    r"^[+-]?(?:[0-9]*[.,]?[0-9]+(?:[eE][+-]?[0-9]+)?"
    r"|[0-9]{1,3}(?: [0-9]{3})+(?:[.,][0-9]+)?"
    r"|[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?"
    r"|[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?)$"
)
_TIME = r"(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?\s*(?:г\.?)?$"
_DAY_FIRST = r"^(?P<d>[0-9]{1,2})(?P<s1>[./-])(?P<m>[0-9]{1,2})(?P<s2>[./-])(?P<y>[0-9]{4}|[0-9]{2})" + _TIME
_YEAR_FIRST = r"^(?P<y>[0-9]{4})(?P<s1>[./-])(?P<m>[0-9]{1,2})(?P<s2>[./-])(?P<d>[0-9]{1,2})" + _TIME

# The two spellings almost every date column uses, with the (start, stop) of year, month, day.
_FIXED_DATES = (
    (r"^[0-9]{2}\.[0-9]{2}\.[0-9]{4}$", ((6, 10), (3, 5), (0, 2))),
    (r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", ((0, 4), (5, 7), (8, 10))),
)
_EXCEL_MAX_SERIAL = 2958465  # 31.12.9999
_FAST_KINDS = {
    "string": "text",
    "floating": "number",
    "integer": "number",
    "mixed-integer-float": "number",
    "date": "date",
    "datetime": "date",
}


def _kind_of(kind: type) -> str:
    """The parser's word for one Python type (bool before int: True is an int in Python)."""
    if kind in (type(None), type(pd.NA), type(pd.NaT)):  # NaT's class is a datetime subclass
        return "blank"
    for base, word in ((bool | np.bool_, "bool"), (str, "text"), (dt.time, "time"), (dt.date, "date")):
        if issubclass(kind, base):
            return word
    return "number" if issubclass(kind, int | float | np.integer | np.floating) else "other"


def _kinds(values: pd.Series) -> np.ndarray:
    """One word per cell (text, number, bool, date, time, blank, other), by Python type."""
    objects = values.to_numpy(dtype=object)
    fast = _FAST_KINDS.get(pd.api.types.infer_dtype(objects, skipna=True))
    if fast is not None:  # one type plus missing values: skip the per-cell type lookup
        return np.where(pd.isna(objects), "blank", fast)
    codes, types = pd.factorize(np.frompyfunc(type, 1, 1)(objects))
    kinds = np.array([_kind_of(t) for t in types] + ["blank"], dtype=object)[codes].astype(str)
    return np.where((kinds == "number") & pd.isna(objects), "blank", kinds)


def _utf8(values: pd.Series, mask: np.ndarray) -> pa.Array:
    """The text cells as an Arrow string array (null elsewhere), hidden characters removed, invisible ones trimmed."""
    objects = np.where(mask, values.to_numpy(dtype=object), None)
    try:
        array = pa.array(objects, type=pa.string(), from_pandas=True)
    except (UnicodeEncodeError, pa.ArrowException):  # a lone surrogate cannot be UTF-8
        cleaned = [v.encode("utf-8", "replace").decode("utf-8") if isinstance(v, str) else None for v in objects]
        array = pa.array(cleaned, type=pa.string())
    if pc.all(pc.string_is_ascii(array)).as_py() is not False:  # the fast kernel knows ASCII spaces only
        return pc.ascii_trim_whitespace(array)
    return pc.utf8_trim(_without_hidden(array), characters=_INVISIBLE)


def _cells(values: pd.Series) -> tuple[np.ndarray, pa.Array, np.ndarray]:
    """(kinds, trimmed text, blank mask): the one classification every parser starts from."""
    kinds = _kinds(values)
    text = _utf8(values, kinds == "text")
    empty = pc.fill_null(pc.equal(text, ""), False).to_numpy(zero_copy_only=False)
    return kinds, text, (kinds == "blank") | empty


def is_blank(values: pd.Series) -> pd.Series:
    """True where a cell is empty for a human: None, NaN, or only invisible characters."""
    return pd.Series(_cells(values)[2], index=values.index, dtype=bool)


def _floats(numbers: np.ndarray) -> np.ndarray:
    """Number cells → float64; an int beyond float range (not from Excel, but possible) → inf."""
    try:
        return pd.to_numeric(pd.Series(numbers, dtype=object), errors="coerce").to_numpy(dtype="float64")
    except OverflowError:
        return np.array([float(n) if abs(n) < 2**1023 else math.inf for n in numbers], dtype="float64")


def _to_numpy(array: pa.Array) -> np.ndarray:
    return array.to_numpy(zero_copy_only=False)


def _replace_each(text: pa.Array, chars: str, new: str) -> pa.Array:
    """Replace each of `chars` by `new` with literal replaces (an RE2 replace is several times slower)."""
    for char in chars:
        text = pc.replace_substring(text, char, new)
    return text


def _drop_group_marks(digits: pa.Array) -> pa.Array:
    """Remove the comma or dot that separates thousands (it occurs twice, or once before the other)."""
    commas, dots = _to_numpy(pc.count_substring(digits, ",")), _to_numpy(pc.count_substring(digits, "."))
    both = (commas == 1) & (dots == 1)
    comma_first = np.zeros(len(digits), dtype=bool)
    if both.any():
        comma_first = _to_numpy(pc.find_substring(digits, ",")) < _to_numpy(pc.find_substring(digits, "."))
    for mark, grouping in ((",", (commas >= 2) | (both & comma_first)), (".", (dots >= 2) | (both & ~comma_first))):
        if grouping.any():
            digits = pc.if_else(pa.array(grouping), pc.replace_substring(digits, mark, ""), digits)
    return pc.replace_substring(digits, ",", ".")


def _text_to_number(text: pa.Array) -> np.ndarray:
    """Trimmed text → float64, NaN where it is not a number in any accepted spelling."""
    if not pc.all(pc.string_is_ascii(text)).as_py():
        text = _replace_each(_replace_each(text, _MINUS_SIGNS, "-"), _GROUP_SPACES[1:], " ")
    percent = _to_numpy(pc.fill_null(pc.ends_with(text, "%"), False))
    if percent.any():
        text = pc.utf8_rtrim(pc.utf8_rtrim(text, "%"), " ")
    valid = pc.fill_null(pc.match_substring_regex(text, _NUMBER), False)
    canonical = pc.if_else(valid, text, pa.scalar(None, pa.string()))
    canonical = _drop_group_marks(pc.replace_substring(canonical, " ", ""))
    numbers = _to_numpy(pc.cast(canonical, pa.float64()))
    return np.where(percent, numbers / 100, numbers)


def parse_number(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Cells → (float64 with NaN for blank or bad, `bad` mask for non-blank non-numbers)."""
    kinds, text, blank = _cells(values)
    out = np.full(len(values), np.nan)
    numeric = kinds == "number"
    if numeric.any():
        out[numeric] = _floats(values.to_numpy(dtype=object)[numeric])
    if (kinds == "text").any():
        out = np.where(kinds == "text", _text_to_number(text), out)
    with np.errstate(invalid="ignore", over="ignore"):
        out = np.where(np.isfinite(out), out, np.nan)
    return pd.Series(out, index=values.index), pd.Series(~blank & np.isnan(out), index=values.index)


def parse_integer(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Cells → (Int64, `bad`): a number that is whole (3.0 is fine, 3.5 is bad)."""
    numbers, bad = parse_number(values)
    whole = (numbers == np.floor(numbers)) & (numbers.abs() < 2**63)
    kept = numbers.where(whole).astype("Int64")
    return kept, bad | (numbers.notna() & ~whole)


def _ymd_to_dates(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Integer parts → datetime64[s], NaT where the date does not exist (31.02, month 13)."""
    leap = (y % 4 == 0) & ((y % 100 != 0) | (y % 400 == 0))
    month_days = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
    ok = (y >= 1900) & (y <= 9999) & (m >= 1) & (m <= 12)
    ok &= (d >= 1) & (d <= month_days[np.where(ok, m, 0)] + (leap & (m == 2)))
    months = (np.where(ok, y, 1970) - 1970).astype("datetime64[Y]").astype("datetime64[M]") + (np.where(ok, m, 1) - 1)
    dates = months.astype("datetime64[D]") + (np.where(ok, d, 1) - 1)
    return np.where(ok, dates, np.datetime64("NaT")).astype("datetime64[s]")


def _date_parts(text: pa.Array, pattern: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(year, month, day, two-digit-year) as int arrays, 0 where `pattern` does not match."""
    parts = pc.extract_regex(text, pattern)
    same_sep = _to_numpy(pc.fill_null(pc.equal(pc.struct_field(parts, "s1"), pc.struct_field(parts, "s2")), False))

    def number(name: str) -> np.ndarray:
        return np.where(same_sep, _to_numpy(pc.fill_null(pc.cast(pc.struct_field(parts, name), pa.int64()), 0)), 0)

    short = _to_numpy(pc.fill_null(pc.equal(pc.utf8_length(pc.struct_field(parts, "y")), 2), False))
    return number("y"), number("m"), number("d"), short


def _spelled_dates(text: pa.Array) -> np.ndarray:
    """Any accepted spelling → datetime64[s] (RE2 group extraction: slow, so used for the rare ones)."""
    y, m, d, short = _date_parts(text, _DAY_FIRST)
    if (y == 0).any():
        y2, m2, d2, _ = _date_parts(text, _YEAR_FIRST)
        y, m, d = np.where(y == 0, y2, y), np.where(y == 0, m2, m), np.where(y == 0, d2, d)
    y = np.where(short, y + np.where(y <= 68, 2000, 1900), y)
    return _ymd_to_dates(y, m, d)


def _text_to_date(text: pa.Array) -> np.ndarray:
    """Trimmed text → datetime64[s], NaT otherwise; the two usual spellings are cut by position."""
    out = np.full(len(text), np.datetime64("NaT"), dtype="datetime64[s]")
    todo = _to_numpy(pc.is_valid(text))
    for pattern, spans in _FIXED_DATES:
        hit = np.flatnonzero(todo & _to_numpy(pc.fill_null(pc.match_substring_regex(text, pattern), False)))
        if len(hit):
            rows = text.take(pa.array(hit))
            y, m, d = (_to_numpy(pc.cast(pc.utf8_slice_codeunits(rows, a, b), pa.int64())) for a, b in spans)
            out[hit], todo[hit] = _ymd_to_dates(y, m, d), False
    if todo.any():
        rest = np.flatnonzero(todo)
        out[rest] = _spelled_dates(text.take(pa.array(rest)))
    return out


def _serial_to_date(serial: np.ndarray) -> np.ndarray:
    """Excel 1900-system serial numbers → datetime64[s]; NaT outside 1..2958465 and for 60."""
    whole = np.floor(serial.astype("float64"))
    # Excel counts a 29.02.1900 that never existed: serials below 60 start one day later.
    ok = (whole >= 1) & (whole <= _EXCEL_MAX_SERIAL) & (whole != 60)
    offset = np.where(ok, whole, 0).astype("int64") + np.where(whole < 60, 1, 0)
    dates = np.datetime64("1899-12-30", "s") + offset.astype("timedelta64[D]")
    return np.where(ok, dates, np.datetime64("NaT"))


def _cells_to_date(cells: np.ndarray) -> np.ndarray:
    """Real date/datetime cells → datetime64[s] (time of day dropped)."""
    stamps = pd.to_datetime(pd.Series(cells, dtype=object), errors="coerce")
    return stamps.dt.floor("D").to_numpy().astype("datetime64[s]")


def parse_date(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Cells → (datetime64[s] with NaT for blank or bad, `bad` mask)."""
    kinds, text, blank = _cells(values)
    objects = values.to_numpy(dtype=object)
    out = np.full(len(values), np.datetime64("NaT"), dtype="datetime64[s]")
    if (dates := kinds == "date").any():
        out[dates] = _cells_to_date(objects[dates])
    if (serials := kinds == "number").any():
        out[serials] = _serial_to_date(_floats(objects[serials]))
    if (texts := (kinds == "text") & ~blank).any():
        out = np.where(texts, _text_to_date(text), out)
    return pd.Series(out, index=values.index), pd.Series(~blank & np.isnat(out), index=values.index)


def _render(value: object) -> str:
    """A non-text cell as the user would type it: 10203400123.0 → '10203400123', dates ISO."""
    if isinstance(value, bool | np.bool_):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float | np.floating):
        return str(int(value)) if math.isfinite(value) and float(value).is_integer() else repr(float(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def parse_text(values: pd.Series) -> pd.Series:
    """Cells → string Series, invisible characters trimmed at both ends and hidden ones removed, blanks as NA."""
    kinds, text, blank = _cells(values)
    text = pc.if_else(pa.array(blank), pa.scalar(None, pa.string()), text)
    other = (kinds != "text") & ~blank
    if other.any():
        # Non-text cells in a text column are rare (a BIN typed as a number): a per-cell map is fine.
        merged = text.to_numpy(zero_copy_only=False)
        merged[other] = [_render(v) for v in values.to_numpy(dtype=object)[other]]
        text = pa.array(merged, type=pa.string())
    return pd.Series(pd.arrays.ArrowStringArray(text), index=values.index)


def _without_hidden(text: pa.Array) -> pa.Array:
    """Bidi controls and zero-width characters removed anywhere in the text, so every parser sees what a reader
    sees on screen (`1\u200b234` is 1234); one RE2 search first, because almost no column holds any."""
    if not pc.any(pc.match_substring_regex(text, INVISIBLE_RE2)).as_py():
        return text
    return pc.replace_substring_regex(text, INVISIBLE_RE2, "")


def parse_code(values: pd.Series) -> pd.Series:
    """Cells → upper-case codes (users type `medtech `, paste zero-width spaces, switch layouts)."""
    text = parse_text(values)
    if text.str.contains(f"[{_ZERO_WIDTH}]", regex=True).any():
        text = text.str.replace(f"[{_ZERO_WIDTH}]", "", regex=True)
    text = text.str.upper()
    odd = text.str.contains("[АВЕКМНОРСТХ]", regex=True).fillna(False).to_numpy(dtype=bool)
    if odd.any():
        text[odd] = [code.translate(_HOMOGLYPHS) for code in text[odd]]
    return text

"""Reading an uploaded CSV file within fixed bounds, before anything is made of its values.

Every limit is checked on the cheapest representation first: the byte count and the magic
numbers of binary formats on the raw bytes, line lengths with one regular-expression scan of
the text (so a 1 MB single line never reaches the ``csv`` module), then the records one at a
time, each at most ``MAX_RECORD_LINES`` lines long (so an unclosed quote cannot swallow the
file, nor reach the module's 131,072-character field limit), keeping at most a fixed number of
fields of each. A ``csv.Error`` becomes a message naming the row. What is wrong goes to
``core.exchange.problems.Problems``, raised once as an ``UploadError``.

Row numbers are the 1-based line numbers a text editor shows; ``\\r\\n`` and ``\\r`` count as one
line break each.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

from core.exchange.echo import shown
from core.exchange.problems import Problems, fail

__all__ = [
    "DELIMITERS",
    "MAX_BYTES",
    "MAX_FIELD_CHARS",
    "MAX_LINE_CHARS",
    "Record",
    "choose_delimiter",
    "decode_upload",
    "parse_number",
    "read_records",
]

MAX_BYTES = 1_000_000
MAX_LINE_CHARS = 1_000  # two numbers and a label need a few dozen
MAX_FIELD_CHARS = 200
MAX_RECORD_LINES = 50  # a quoted value may hold line breaks, but not many
MAX_FIELDS_KEPT = 4  # x1, x2, label, split: a wider row is an error, and its count is enough
DELIMITERS = ",;\t"
_SAMPLE_LINES = 20
# Possessive quantifiers (++, *+, ?+): no backtracking, so a 200-digit cell that ends in a letter
# costs 200 steps, not 200² (a file of such cells took 14 s with plain ones).
_NUMBER = re.compile(r"[+-]?+(?:\d++\.?+\d*+|\.\d++)(?:[eE][+-]?+\d++)?+", re.ASCII)
_DECIMAL_COMMA = re.compile(r"[+-]?+\d++,\d++(?:[eE][+-]?+\d++)?+", re.ASCII)
# Anchored at line starts, so each is one pass over the text; unanchored, a regex engine
# retries from every character of every line (a megabyte of blank lines took 26 s).
_LONG_LINE = re.compile(f"^[^\n]{{{MAX_LINE_CHARS + 1}}}", re.MULTILINE)
_NON_BLANK_LINE = re.compile(r"^[^\S\n]*+\S[^\n]*+", re.MULTILINE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MAGIC = {  # what a binary file most likely is, by its first bytes
    b"PK\x03\x04": "a zip file (an Excel workbook?)",
    b"\xd0\xcf\x11\xe0": "an old Office file (an Excel .xls workbook?)",
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"\x1f\x8b": "a gzip archive",
}


def parse_number(text: str, decimal_comma: bool) -> float | None:
    """The number ``text`` spells (possibly ±inf on overflow), or None if it is not one."""
    if _NUMBER.fullmatch(text):
        return float(text)
    if decimal_comma and _DECIMAL_COMMA.fullmatch(text):
        return float(text.replace(",", "."))
    return None


def _row_of(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def _check_bytes(data: bytes) -> None:
    size = len(data)
    if size == 0:
        raise fail("the file is empty (0 bytes)")
    if size > MAX_BYTES:
        raise fail(
            f"the file is {size:,} bytes ({size / 1e6:.1f} MB); the limit is {MAX_BYTES:,} bytes"
        )
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise fail(f"this is {what}, not CSV text; save it as CSV (UTF-8)")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise fail("the file is UTF-16 text, not UTF-8: save it again as a UTF-8 CSV file")


def decode_upload(data: bytes | str) -> str:
    """Check the size and content type, decode UTF-8 (BOM optional), unify line breaks.

    Raises ``UploadError`` for an empty, oversized or binary file, another encoding, a control
    character, or a line longer than ``MAX_LINE_CHARS``.
    """
    data = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    _check_bytes(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        row = data.count(b"\n", 0, error.start) + 1
        raise fail(
            f"the file is not UTF-8 text: byte 0x{data[error.start]:02X} in row {row} is not "
            "valid UTF-8; save it as a UTF-8 CSV file"
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    control = _CONTROL.search(text)
    if control:
        code, row = ord(control.group()), _row_of(text, control.start())
        what = "a NUL byte" if code == 0 else f"the control character 0x{code:02X}"
        raise fail(f"row {row} contains {what}: this is a binary file, not CSV text")
    long_line = _LONG_LINE.search(text)
    if long_line:
        end = text.find("\n", long_line.start())
        length = (len(text) if end < 0 else end) - long_line.start()
        raise fail(
            f"row {_row_of(text, long_line.start())} is {length:,} characters long; a row of two "
            f"numbers and a label fits in {MAX_LINE_CHARS:,}"
        )
    return text


def _sample(text: str) -> list[str]:
    """The first non-blank lines (each already at most ``MAX_LINE_CHARS`` long)."""
    lines = []
    for match in _NON_BLANK_LINE.finditer(text):
        lines.append(match.group())
        if len(lines) == _SAMPLE_LINES:
            break
    return lines


def _split(lines: list[str], delimiter: str) -> Iterator[list[str]]:
    reader = csv.reader(lines, delimiter=delimiter, skipinitialspace=True)
    try:
        yield from reader
    except csv.Error:  # a quote left open in the sample: the full read reports it
        return


def choose_delimiter(text: str) -> str:
    """Comma, semicolon or tab: the one that reads the most sample lines as data rows.

    A data row has 3-4 fields starting with two numbers; with ``;`` or tab ``1,5`` counts as the
    number 1.5 (decimal comma), so ``1,5;2,5;a`` is semicolon separated. Ties go to the one that
    gives the most lines of 3-4 fields, then to the comma.
    """
    lines = _sample(text)

    def score(delimiter: str) -> tuple[int, int]:
        rows = [[f.strip() for f in fields] for fields in _split(lines, delimiter)]
        shaped = [fields for fields in rows if len(fields) in (3, 4)]
        decimal_comma = delimiter != ","
        numeric = sum(
            all(parse_number(f, decimal_comma) is not None for f in fields[:2]) for fields in shaped
        )
        return numeric, len(shaped)

    return max(DELIMITERS, key=score)  # max keeps the first of a tie


@dataclass(frozen=True)
class Record:
    """One non-blank CSV record: its first row, how many fields, the first few (stripped)."""

    row: int
    n_fields: int
    fields: tuple[str, ...]


def _csv_problem(error: csv.Error, row: int) -> str:
    message = str(error)
    if "field larger than field limit" in message:  # cannot happen within MAX_RECORD_LINES
        return f'row {row}: a quote (") opens a value of more than 131,072 characters'
    if "unexpected end of data" in message:
        return f'row {row}: a quote (") opens a value that is never closed before the file ends'
    return f"row {row}: the CSV cannot be read ({message})"


def _swallowed(row: int, end_row: int) -> str:
    """A quoted value that holds line breaks and delimiters: whole rows inside one value."""
    return (
        f'row {row}: a quote (") opens a value that holds rows {row + 1}–{end_row} as well; is a '
        "quote missing or misplaced?"
    )


class _RecordTooLong(Exception):
    pass


class _Lines:
    """Feeds the ``csv`` reader line by line, so that no record can span more than
    ``MAX_RECORD_LINES`` lines (a quote left open would otherwise swallow the rest of the file
    into one value), and remembers where the current record starts."""

    def __init__(self, text: str) -> None:
        self.text, self.offset, self.number = text, 0, 0
        self.record_row, self.record_offset = 1, 0

    def __iter__(self) -> Iterator[str]:
        for line in io.StringIO(self.text, newline=""):
            self.number += 1
            if self.number - self.record_row >= MAX_RECORD_LINES:
                raise _RecordTooLong
            self.offset += len(line)  # now where the next line starts
            yield line

    def next_record(self, row: int) -> None:
        self.record_row, self.record_offset = row, self.offset


def read_records(
    text: str, delimiter: str, max_records: int, problems: Problems
) -> tuple[list[Record], int]:
    """The first ``max_records`` non-blank records and how many there are in all.

    Fields longer than ``MAX_FIELD_CHARS`` are added to ``problems`` (and kept cut); a record
    the ``csv`` module cannot read, or one that runs on for more than ``MAX_RECORD_LINES``
    lines, stops the reading with an ``UploadError``.
    """
    lines = _Lines(text)
    reader = csv.reader(lines, delimiter=delimiter, skipinitialspace=True)
    records, count, last, spans_lines = [], 0, (1, 0), False
    try:
        for fields in reader:
            if any(not f.isspace() and f for f in fields):
                count += 1
                if count <= max_records:
                    records.append(_record(lines.record_row, fields, problems))
            last = (lines.record_row, lines.record_offset)
            spans_lines = reader.line_num > lines.record_row
            if spans_lines and any("\n" in f and delimiter in f for f in fields):
                problems.add(_swallowed(lines.record_row, reader.line_num))
            lines.next_record(reader.line_num + 1)
    except _RecordTooLong:
        raise fail(
            f'row {lines.record_row}: a quote (") opens a value that runs on for more than '
            f"{MAX_RECORD_LINES} lines; is its closing quote missing?"
        ) from None
    except csv.Error as error:
        raise fail(_csv_problem(error, lines.record_row)) from None
    if spans_lines and _ends_inside_quotes(text[last[1] :], delimiter):
        raise fail(_csv_problem(csv.Error("unexpected end of data"), last[0]))
    return records, count


def _ends_inside_quotes(last_record: str, delimiter: str) -> bool:
    """Whether the file's last record (given as text) ends inside a quoted value.

    The lenient reader (it accepts ``"dog" , cat``) closes such a quote silently at the end of
    the file, so an unmatched ``"`` would swallow every later row into one value; the strict
    reader says so. Only a last record that spans lines can be affected.
    """
    tail = io.StringIO(last_record, newline="")
    reader = csv.reader(tail, delimiter=delimiter, skipinitialspace=True, strict=True)
    try:
        for _ in reader:
            pass
    except csv.Error as error:
        return "unexpected end of data" in str(error)
    return False


def _record(row: int, fields: list[str], problems: Problems) -> Record:
    kept = []
    for column, value in enumerate(fields[:MAX_FIELDS_KEPT], start=1):
        value = value.strip()
        if len(value) > MAX_FIELD_CHARS:
            problems.add(
                f"row {row}, column {column}: {shown(value)} is too long; a value may have at "
                f"most {MAX_FIELD_CHARS} characters"
            )
            value = value[:MAX_FIELD_CHARS]
        kept.append(value)
    return Record(row, len(fields), tuple(kept))

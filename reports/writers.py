"""Streaming file writers: rows in, one file out, memory flat.

Values arrive in Python types by column kind (aware datetimes, or naive ones
already in local time; dates, ints, Decimals, bools, str, None) and are typed
here, so every report looks the same in Excel pt-BR: dates as real Excel dates in
America/Sao_Paulo, numbers as numbers, booleans as Sim/Não.
"""

import csv
import io
import re
from collections.abc import Callable, Iterable
from contextlib import suppress
from datetime import date, datetime
from decimal import Decimal
from math import isfinite
from zoneinfo import ZoneInfo

from django.conf import settings
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import tostring

from reports.registry import Column

DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm:ss"
DECIMAL_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.0%"
MONTH_FORMAT = "mm/yyyy"
YES, NO = "Sim", "Não"
# Excel caps a sheet at 1,048,576 rows (one is the header).
XLSX_MAX_ROWS = 1_048_575

ProgressCallback = Callable[[int], None]


class TooManyRows(Exception):
    """The report does not fit one Excel sheet."""


def _local_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


# --- xlsx ---------------------------------------------------------------------------
# openpyxl builds and serialises an element per cell (most of a report's time with
# its pure-Python XML writer); here each column has a writer that turns a value into
# the cell's XML text. Everything around the rows (styles, column widths, frozen
# pane, autofilter, the zip package) is still openpyxl's.
_EPOCH = datetime(1899, 12, 30)  # Excel's day 0 (1900 date system)
_LEAP_BUG_END = datetime(1900, 3, 1)  # before it Excel counts a fictitious 29/02/1900
_NUMBERS = (int, float, Decimal)
CellWriter = Callable[[object, str], str]  # (value, row number) → <c> XML, "" when empty
# What XML 1.0 cannot hold: openpyxl's ILLEGAL_CHARACTERS_RE (control characters) plus
# U+FFFE/U+FFFF and lone surrogates. With one of these in a cell the sheet is not
# well-formed: LibreOffice stops reading it there (the later rows and every cell style
# are lost); a surrogate cannot even be encoded, failing the whole report.
_NOT_XML_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _inline_text(value: str) -> str:
    """What follows `<c r=… s=…` for a string: always an inline string, so a value
    starting with "=" is never a formula (spreadsheet injection)."""
    if len(value) > 32767:  # Excel's limit per cell; openpyxl truncates too
        value = value[:32767]
    if _NOT_XML_RE.search(value):  # control characters pasted from e-mails, U+FFFE…
        value = _NOT_XML_RE.sub("", value)
    if not value:
        return ""
    if "&" in value or "<" in value or ">" in value:
        value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    space = ' xml:space="preserve"' if value[0].isspace() or value[-1].isspace() else ""
    return f' t="inlineStr"><is><t{space}>{value}</t></is></c>'


def _number(value) -> str:
    """What follows `<c r=… s=…` for a number (16 significant digits, as openpyxl);
    "" for NaN/inf."""
    if not isinstance(value, int):
        value = float(value)
        if not isfinite(value):
            return ""
    return f' t="n"><v>{value:.16g}</v></c>'


def _serial(moment: datetime) -> float:
    """A naive datetime as an Excel serial (days since 1899-12-30), to the second."""
    if moment < _LEAP_BUG_END:
        return to_excel(moment.replace(microsecond=0))
    delta = moment - _EPOCH
    return delta.days + delta.seconds / 86400


def _cell(ref: str, style: str, tail: str) -> str:
    return f'<c r="{ref}"{style}{tail}' if tail else ""


class _Cells:
    """The sheet's cell writers: one per column, typing values by the column's kind
    (aware datetimes → São Paulo local time, bool → Sim/Não); a value of another
    type is written by its own type, as openpyxl would."""

    def __init__(self, ws, columns: tuple[Column, ...]):
        self.tz = _local_tz()
        self.styles = {
            fmt: _style_attr(ws, number_format=fmt)
            for fmt in (DATE_FORMAT, DATETIME_FORMAT, DECIMAL_FORMAT, PERCENT_FORMAT, MONTH_FORMAT)
        }
        self.header_style = _style_attr(
            ws,
            font=Font(bold=True, color="FFFFFF"),
            fill=PatternFill("solid", fgColor="00995D"),
            alignment=Alignment(vertical="center", wrap_text=True),
        )
        self.letters = [get_column_letter(i) for i in range(1, len(columns) + 1)]
        self.writers = [
            self._writer(letter, c.kind) for letter, c in zip(self.letters, columns, strict=True)
        ]

    def header(self, titles) -> str:
        cells = (
            _cell(f"{letter}1", self.header_style, _inline_text(str(title)))
            for letter, title in zip(self.letters, titles, strict=False)
        )
        return f'<row r="1">{"".join(cells)}</row>'

    def row(self, values, row_idx: int) -> str:
        row = str(row_idx)
        writers = zip(self.writers, values, strict=False)
        return f'<row r="{row}">{"".join([write(value, row) for write, value in writers if value is not None])}</row>'

    def _local(self, moment: datetime) -> datetime:
        return (
            moment.astimezone(self.tz).replace(tzinfo=None) if moment.tzinfo is not None else moment
        )

    def _any(self, ref: str, style: str, value) -> str:
        if isinstance(value, str):
            return _cell(ref, style, _inline_text(value))
        if isinstance(value, bool):
            return _cell(ref, style, f' t="b"><v>{int(value)}</v></c>')
        if isinstance(value, _NUMBERS):
            return _cell(ref, style, _number(value))
        if isinstance(value, datetime):
            return _cell(
                ref, style or self.styles[DATETIME_FORMAT], _number(_serial(self._local(value)))
            )
        if isinstance(value, date):
            moment = datetime(value.year, value.month, value.day)
            return _cell(ref, style or self.styles[DATE_FORMAT], _number(_serial(moment)))
        return _cell(ref, style, _inline_text(str(value)))  # e.g. a lazy translation

    def _writer(self, letter: str, kind: str) -> CellWriter:
        fallback = self._any
        if kind == "text":

            def write(value, row):
                if type(value) is str:
                    tail = _inline_text(value)
                    return f'<c r="{letter}{row}"{tail}' if tail else ""
                return fallback(letter + row, "", value)
        elif kind in ("int", "decimal", "percent"):
            style = {"decimal": DECIMAL_FORMAT, "percent": PERCENT_FORMAT}.get(kind)
            style = self.styles[style] if style else ""

            def write(value, row):
                if type(value) is int:
                    return f'<c r="{letter}{row}"{style} t="n"><v>{value:.16g}</v></c>'
                return fallback(letter + row, style, value)
        elif kind == "datetime":
            style, local = self.styles[DATETIME_FORMAT], self._local

            def write(value, row):
                if type(value) is datetime:
                    serial = _serial(local(value))
                    return f'<c r="{letter}{row}"{style} t="n"><v>{serial:.16g}</v></c>'
                return fallback(letter + row, style, value)
        elif kind in ("date", "month"):
            style = self.styles[MONTH_FORMAT if kind == "month" else DATE_FORMAT]
            local = self._local

            def write(value, row):
                if isinstance(value, datetime):  # a moment: its local day
                    value = local(value).date()
                if type(value) is date:
                    serial = _serial(datetime(value.year, value.month, value.day))
                    return f'<c r="{letter}{row}"{style} t="n"><v>{serial:.16g}</v></c>'
                return fallback(letter + row, style, value)
        else:  # bool
            yes, no = _inline_text(YES), _inline_text(NO)

            def write(value, row):
                if type(value) is bool:
                    return f'<c r="{letter}{row}"{yes if value else no}'
                return fallback(letter + row, "", value)

        return write


def _style_attr(ws, **style) -> str:
    """The ` s="N"` attribute of a cell styled so (registered in the workbook)."""
    cell = WriteOnlyCell(ws)
    for name, value in style.items():
        setattr(cell, name, value)
    return f' s="{cell.style_id}"' if cell.style_id else ""


class _SheetStream(WorksheetWriter):
    """openpyxl's sheet writer over a plain text file: the elements openpyxl sends
    (columns, views, autofilter…) are serialised one by one; _Sheet writes the rows."""

    def get_stream(self):
        with open(self.out, "w", encoding="utf-8") as out:
            out.write(
                f'<?xml version="1.0" encoding="utf-8"?>\n<worksheet xmlns="{SHEET_MAIN_NS}">'
            )
            try:
                while True:
                    element = yield
                    if element is True:  # the rows' turn: hand over the file
                        yield out
                    elif element is not None:
                        out.write(tostring(element, encoding="unicode"))
            except GeneratorExit:
                pass
            out.write("</worksheet>")

    def write_rows(self):  # a sheet closed before any row was appended
        self.xf.send(True).write("<sheetData/>")
        self.xf.send(None)


class _Sheet(WriteOnlyWorksheet):
    """A write-only sheet whose rows go to the file as text (`_cells`): the first
    appended row is the styled header, the others are data."""

    _cells: _Cells

    def _get_writer(self):
        if self._writer is None:
            self._writer = _SheetStream(self)
            self._writer.write_top()

    def _write_rows(self):
        out = self._writer.xf.send(True)
        out.write("<sheetData>")
        try:
            out.write(self._cells.header((yield)))
            row_idx, row_xml = 2, self._cells.row
            while True:
                out.write(row_xml((yield), row_idx))
                row_idx += 1
        except GeneratorExit:
            pass
        out.write("</sheetData>")
        self._writer.xf.send(None)


def write_xlsx(
    fh,
    *,
    title: str,
    columns: tuple[Column, ...],
    rows: Iterable[tuple],
    on_progress: ProgressCallback | None = None,
    every: int = 2000,
) -> int:
    """Write an .xlsx to the binary file `fh`; returns the number of data rows."""
    wb = Workbook(write_only=True)
    ws = _Sheet(parent=wb, title=_sheet_title(title))
    wb._add_sheet(ws)
    for index, column in enumerate(columns, 1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.freeze_panes = "A2"
    ws._cells = _Cells(ws, columns)
    count = 0
    append = ws.append
    try:
        append([column.header for column in columns])
        for row in rows:
            count += 1
            if count > XLSX_MAX_ROWS:
                raise TooManyRows
            append(row)
            if on_progress is not None and count % every == 0:
                on_progress(count)
    except BaseException:
        _abandon(ws)
        raise
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
    wb.save(fh)
    return count


def _abandon(ws) -> None:
    """A build that failed mid-way: end openpyxl's sheet stream and delete its temp
    file now; otherwise the worker keeps the file until it exits."""
    writer = ws._writer
    with suppress(Exception):
        ws.close()
    if writer is not None:
        with suppress(Exception):
            writer.cleanup()


def _sheet_title(title: str) -> str:
    bad = "[]:*?/\\"
    cleaned = "".join("-" if ch in bad else ch for ch in title).strip() or "Relatório"
    return cleaned[:31]


def _csv_converters(columns: tuple[Column, ...]) -> list[Callable]:
    tz = _local_tz()

    def text(value):
        if value is None:
            return ""
        value = value if isinstance(value, str) else str(value)
        # Excel evaluates cells starting with these as formulas (CSV injection).
        if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
            return "'" + value
        return value

    def integer(value):
        return "" if value is None else str(value)

    def decimal(value):
        return "" if value is None else str(value).replace(".", ",")

    def day(value):
        if value is None:
            return ""
        if isinstance(value, datetime) and value.tzinfo:
            value = value.astimezone(tz)
        return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"

    def moment(value):
        if value is None:
            return ""
        if not isinstance(value, datetime):
            return day(value)
        if value.tzinfo:
            value = value.astimezone(tz)
        return (
            f"{value.day:02d}/{value.month:02d}/{value.year:04d} "
            f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}"
        )

    def boolean(value):
        if value is None:
            return ""
        return YES if value else NO

    def percent(value):
        return "" if value is None else f"{float(value) * 100:.1f}%".replace(".", ",")

    def month(value):
        if value is None:
            return ""
        return f"{value.month:02d}/{value.year:04d}"

    by_kind = {
        "text": text,
        "int": integer,
        "decimal": decimal,
        "percent": percent,
        "date": day,
        "month": month,
        "datetime": moment,
        "bool": boolean,
    }
    return [by_kind[column.kind] for column in columns]


def write_csv(
    fh,
    *,
    columns: tuple[Column, ...],
    rows: Iterable[tuple],
    on_progress: ProgressCallback | None = None,
    every: int = 2000,
    title: str = "",
) -> int:
    """CSV for Excel pt-BR: UTF-8 with BOM, ';' separator, decimal comma."""
    text = io.TextIOWrapper(fh, encoding="utf-8-sig", newline="")
    try:
        writer = csv.writer(text, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        writer.writerow([column.header for column in columns])
        pairs = list(enumerate(_csv_converters(columns)))
        count = 0
        writerow = writer.writerow
        for row in rows:
            count += 1
            writerow([convert(row[i]) for i, convert in pairs])
            if on_progress is not None and count % every == 0:
                on_progress(count)
        text.flush()
    finally:
        text.detach()
    return count


WRITERS = {"xlsx": write_xlsx, "csv": write_csv}

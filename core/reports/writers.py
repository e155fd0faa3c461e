"""Streaming file writers: rows in, one file out, memory flat.

Values arrive in Python types by column kind (aware datetimes, dates, ints,
Decimals, bools, str, None) and are typed here once, so every report looks the
same in Excel pt-BR: dates as real Excel dates in America/Sao_Paulo, numbers as
numbers, booleans as Sim/Não.
"""

import csv
import io
from collections.abc import Callable, Iterable
from contextlib import suppress
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from core.reports.registry import Column

DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm:ss"
DECIMAL_FORMAT = "#,##0.00"
YES, NO = "Sim", "Não"
# Excel caps a sheet at 1,048,576 rows (one is the header).
XLSX_MAX_ROWS = 1_048_575

ProgressCallback = Callable[[int], None]


class TooManyRows(Exception):
    """The report does not fit one Excel sheet."""


def _local_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


class _TypedSheet(WriteOnlyWorksheet):
    """A write-only sheet with one prepared cell per column.

    openpyxl's own row conversion tries to bind every value into a fresh plain
    cell and, for a styled cell, takes an exception per value and builds a new
    cell; with 14 columns over a million rows that is most of the time. Here each
    column's cell carries its number format once and is rebound per row: the
    writer serialises a row while it is appended, so reuse is safe.
    """

    _column_cells: list

    def _values_to_row(self, values, row_idx):
        cells = self._column_cells
        for col_idx, value in enumerate(values, 1):
            if value is None:
                continue
            if isinstance(value, Cell):  # the styled header
                value.column, value.row = col_idx, row_idx
                yield value
                continue
            cell = cells[col_idx - 1]
            try:
                cell.value = value
            except IllegalCharacterError:
                # openpyxl refuses control characters; users paste them from e-mails.
                cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
            except ValueError:  # not a type Excel knows (e.g. a lazy translation): as text
                cell.value = ILLEGAL_CHARACTERS_RE.sub("", str(value))
            if cell.data_type == "f":  # "=…" would become a formula (spreadsheet injection)
                cell.data_type = "s"
            cell.row = row_idx
            yield cell


_NUMBER_FORMATS = {"date": DATE_FORMAT, "datetime": DATETIME_FORMAT, "decimal": DECIMAL_FORMAT}


def _xlsx_converters(columns: tuple[Column, ...]) -> list[Callable | None]:
    """Per column, what turns a raw value into what Excel gets (None: as is)."""
    tz = _local_tz()

    def day(value):
        if isinstance(value, datetime):
            return (value.astimezone(tz) if value.tzinfo else value).date()
        return value

    def moment(value):
        if isinstance(value, datetime):
            if value.tzinfo is not None:
                return value.astimezone(tz).replace(tzinfo=None, microsecond=0)
            return value
        if isinstance(value, date):
            return datetime(value.year, value.month, value.day)
        return value

    def boolean(value):
        if value is None:
            return None
        return YES if value else NO

    by_kind = {"text": None, "int": None, "decimal": None, "date": day, "datetime": moment, "bool": boolean}
    return [by_kind[column.kind] for column in columns]


def write_xlsx(
    fh, *, title: str, columns: tuple[Column, ...], rows: Iterable[tuple],
    on_progress: ProgressCallback | None = None, every: int = 2000,
) -> int:
    """Write an .xlsx to the binary file `fh`; returns the number of data rows."""
    wb = Workbook(write_only=True)
    ws = _TypedSheet(parent=wb, title=_sheet_title(title))
    wb._add_sheet(ws)
    column_cells = []
    for index, column in enumerate(columns, 1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
        cell = WriteOnlyCell(ws)
        cell.column = index
        if column.kind in _NUMBER_FORMATS:
            cell.number_format = _NUMBER_FORMATS[column.kind]
        column_cells.append(cell)
    ws._column_cells = column_cells
    ws.freeze_panes = "A2"
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="00995D")
    header = []
    for column in columns:
        cell = WriteOnlyCell(ws, value=column.header)
        cell.font, cell.fill = header_font, header_fill
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        header.append(cell)
    ws.append(header)

    typed = [(i, convert) for i, convert in enumerate(_xlsx_converters(columns)) if convert is not None]
    count = 0
    append = ws.append
    try:
        for row in rows:
            count += 1
            if count > XLSX_MAX_ROWS:
                raise TooManyRows
            if typed:
                values = list(row)
                for i, convert in typed:
                    values[i] = convert(values[i])
                append(values)
            else:
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
    bad = '[]:*?/\\'
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
        return (f"{value.day:02d}/{value.month:02d}/{value.year:04d} "
                f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}")

    def boolean(value):
        if value is None:
            return ""
        return YES if value else NO

    by_kind = {"text": text, "int": integer, "decimal": decimal, "date": day,
               "datetime": moment, "bool": boolean}
    return [by_kind[column.kind] for column in columns]


def write_csv(
    fh, *, columns: tuple[Column, ...], rows: Iterable[tuple],
    on_progress: ProgressCallback | None = None, every: int = 2000, title: str = "",
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

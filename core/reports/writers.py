"""Streaming file writers: rows in, one file out, memory flat.

Values arrive in Python types by column kind (aware datetimes, dates, ints,
Decimals, bools, str, None) and are typed here once, so every report looks the
same in Excel pt-BR: dates as real Excel dates in America/Sao_Paulo, numbers as
numbers, booleans as Sim/Não.
"""

import csv
import io
from collections.abc import Callable, Iterable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

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


def _clean_text(value) -> str:
    text = value if isinstance(value, str) else str(value)
    # openpyxl refuses control characters mid-file; users paste them from e-mails.
    if ILLEGAL_CHARACTERS_RE.search(text):
        text = ILLEGAL_CHARACTERS_RE.sub("", text)
    return text


def _xlsx_converters(ws, columns: tuple[Column, ...]) -> list[Callable]:
    """One function per column turning a raw value into what ws.append takes.

    Styled columns reuse one WriteOnlyCell each: write-only mode serialises a
    row during append, so the same cell object can carry the next row's value
    without a per-cell style lookup.
    """
    tz = _local_tz()

    def shared(number_format: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(ws)
        cell.number_format = number_format
        return cell

    def text(value):
        if value is None:
            return None
        value = _clean_text(value)
        if value.startswith("="):
            # A cell starting with "=" would become a formula (spreadsheet injection).
            cell = WriteOnlyCell(ws)
            cell.value = value
            cell.data_type = "s"
            return cell
        return value

    def number(value):
        return value

    def make_date():
        cell = shared(DATE_FORMAT)

        def convert(value):
            if value is None:
                return None
            if isinstance(value, datetime):
                value = (value.astimezone(tz) if value.tzinfo else value).date()
            cell.value = value
            return cell

        return convert

    def make_datetime():
        cell = shared(DATETIME_FORMAT)

        def convert(value):
            if value is None:
                return None
            if isinstance(value, datetime):
                if value.tzinfo is not None:
                    value = value.astimezone(tz).replace(tzinfo=None, microsecond=0)
            elif isinstance(value, date):
                value = datetime(value.year, value.month, value.day)
            cell.value = value
            return cell

        return convert

    def make_decimal():
        cell = shared(DECIMAL_FORMAT)

        def convert(value):
            if value is None:
                return None
            cell.value = value
            return cell

        return convert

    def boolean(value):
        if value is None:
            return None
        return YES if value else NO

    factories = {
        "text": lambda: text,
        "int": lambda: number,
        "decimal": make_decimal,
        "date": make_date,
        "datetime": make_datetime,
        "bool": lambda: boolean,
    }
    return [factories[column.kind]() for column in columns]


def write_xlsx(
    fh, *, title: str, columns: tuple[Column, ...], rows: Iterable[tuple],
    on_progress: ProgressCallback | None = None, every: int = 2000,
) -> int:
    """Write an .xlsx to the binary file `fh`; returns the number of data rows."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=_sheet_title(title))
    for index, column in enumerate(columns, 1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
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

    converters = _xlsx_converters(ws, columns)
    pairs = list(enumerate(converters))
    count = 0
    append = ws.append
    for row in rows:
        count += 1
        if count > XLSX_MAX_ROWS:
            raise TooManyRows
        append([convert(row[i]) for i, convert in pairs])
        if on_progress is not None and count % every == 0:
            on_progress(count)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
    wb.save(fh)
    return count


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

"""Read contract files (CSV or XLSX) into rows for services.contracts_load.

Columns (header row, any order, case and accents ignored): cd_unimed, documento,
nr_contrato, dt_inicio, ativo — see docs/leads.md.
"""

import csv
import io
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from core.errors import InvalidInput

COLUMNS = ("cd_unimed", "documento", "nr_contrato", "dt_inicio", "ativo")
ALIASES = {
    "unimed": "cd_unimed",
    "codigo_unimed": "cd_unimed",
    "cpf_cnpj": "documento",
    "cnpj": "documento",
    "cpf": "documento",
    "cnpj_cpf": "documento",
    "contrato": "nr_contrato",
    "numero_contrato": "nr_contrato",
    "numero_do_contrato": "nr_contrato",
    "inicio": "dt_inicio",
    "vigente_desde": "dt_inicio",
    "data_inicio": "dt_inicio",
    "situacao": "ativo",
}
REQUIRED = ("documento", "nr_contrato")


@dataclass(frozen=True)
class Table:
    """The columns a file must/may have, and other names accepted for them."""

    columns: tuple[str, ...]
    required: tuple[str, ...]
    aliases: dict[str, str] = field(default_factory=dict)


CONTRACTS = Table(COLUMNS, REQUIRED, ALIASES)


def _header(name: object, table: Table) -> str:
    text = unicodedata.normalize("NFKD", str(name or "")).encode("ascii", "ignore").decode()
    key = "_".join(text.strip().lower().replace("-", " ").split())
    return table.aliases.get(key, key)


def _check_header(header: list[str], table: Table) -> list[str]:
    names = [_header(h, table) for h in header]
    missing = [c for c in table.required if c not in names]
    if missing:
        raise InvalidInput(
            _("Cabeçalho sem a(s) coluna(s): %(faltando)s. Colunas aceitas: %(colunas)s.")
            % {"faltando": ", ".join(missing), "colunas": ", ".join(table.columns)}
        )
    return names


def _csv_rows(data: bytes, table: Table) -> Iterator[tuple[int, dict]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252")  # Excel's "CSV" in Brazil
    first = text.splitlines()[0] if text else ""
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader, None)
    if not header:
        raise InvalidInput(_("Arquivo vazio."))
    names = _check_header(header, table)
    for line, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        yield line, dict(zip(names, (v.strip() for v in values), strict=False))


def _xlsx_rows(path: Path, table: Table) -> Iterator[tuple[int, dict]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise InvalidInput(
            _("Planilha XLSX ilegível: %(__name__)s.") % {"__name__": exc.__class__.__name__}
        ) from None
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None)
        if not header:
            raise InvalidInput(_("Planilha vazia."))
        names = _check_header(list(header), table)
        for line, values in enumerate(rows, start=2):
            if not any(v not in (None, "") for v in values):
                continue
            row = {}
            for name, value in zip(names, values, strict=False):
                row[name] = value.strip() if isinstance(value, str) else value
            if isinstance(row.get("cd_unimed"), int | float):
                row["cd_unimed"] = f"{int(row['cd_unimed']):04d}"
            yield line, row
    finally:
        book.close()


def read_contract_rows(path: str | Path) -> Iterator[tuple[int, dict]]:
    """(line number in the file, row) for each non-empty data line."""
    return read_table(path, CONTRACTS)


def read_table(path: str | Path, table: Table) -> Iterator[tuple[int, dict]]:
    """(line number in the file, row) for each non-empty data line of a CSV or XLSX
    file with `table`'s columns (header row, any order, case and accents ignored)."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(_("Arquivo não encontrado: %(path)s.") % {"path": path})
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _xlsx_rows(path, table)
    if suffix in (".csv", ".txt"):
        return _csv_rows(path.read_bytes(), table)
    raise InvalidInput(_("Formato não suportado: use .csv ou .xlsx."))

"""The two retention files (CSV or XLSX, see docs/retencao.md), read by leads' table
reader: overdue bills and contract indicators."""

from collections.abc import Iterator
from pathlib import Path

from leads.importers import Table, read_table

_COMMON_ALIASES = {
    "unimed": "cd_unimed",
    "codigo_unimed": "cd_unimed",
    "cpf_cnpj": "documento",
    "cpf": "documento",
    "cnpj": "documento",
    "contrato": "nr_contrato",
    "numero_contrato": "nr_contrato",
    "cliente": "nome",
}
TABLES = {
    "faturas": Table(
        columns=(
            "cd_unimed",
            "documento",
            "nr_contrato",
            "fatura",
            "vencimento",
            "valor",
            "dias_atraso",
            "nome",
        ),
        required=("documento", "nr_contrato", "fatura", "vencimento", "valor", "dias_atraso"),
        aliases={
            **_COMMON_ALIASES,
            "numero_fatura": "fatura",
            "titulo": "fatura",
            "dt_vencimento": "vencimento",
            "valor_fatura": "valor",
            "dias_em_atraso": "dias_atraso",
            "atraso": "dias_atraso",
        },
    ),
    "indicadores": Table(
        columns=(
            "cd_unimed",
            "documento",
            "nr_contrato",
            "nome",
            "vidas",
            "faixas_etarias",
            "sinistralidade",
            "meses_contrato",
            "mensalidade",
        ),
        required=("documento", "nr_contrato"),
        aliases={
            **_COMMON_ALIASES,
            "faixas": "faixas_etarias",
            "faixa_etaria": "faixas_etarias",
            "sinistralidade_%": "sinistralidade",
            "meses_de_contrato": "meses_contrato",
            "valor_mensal": "mensalidade",
        },
    ),
}


def read_rows(kind: str, path: str | Path) -> Iterator[tuple[int, dict]]:
    """(line number, row) of each non-empty data line of a `kind` file."""
    return read_table(path, TABLES[kind])

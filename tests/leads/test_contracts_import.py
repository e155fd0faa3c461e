from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from leads.models import ActiveContract
from leads.services import lead_intake


def run(*args) -> str:
    out = StringIO()
    call_command("contracts_import", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_csv_semicolon_with_per_line_report(tmp_path, areas, intake_kwargs):
    path = tmp_path / "contratos.csv"
    path.write_text(
        "CD_UNIMED;Documento;Nr_Contrato;Dt_Início;Ativo\n"
        "0137;11.222.333/0001-81;EMP-1;01/03/2024;S\n"
        "0137;11.222.333/0001-82;EMP-2;01/03/2024;S\n"
        "\n"
        "9999;12.ABC.345/01DE-35;EMP-3;;S\n"
        "0025;12.abc.345/01de-35;EMP-4;2025-01-31;N\n"
        "0137;529.982.247-25;PF-9;xx;S\n",
        encoding="cp1252",
    )
    output = run(str(path))
    assert "linha 2: criado — Contrato EMP-1 criado." in output
    assert "linha 3: erro — documento: CNPJ inválido: dígito verificador não confere." in output
    assert "linha 5: erro — cd_unimed: Unimed 9999 não encontrada." in output
    assert "linha 6: criado" in output
    assert "linha 7: erro — dt_inicio: Data inválida: use DD/MM/AAAA." in output
    assert "5 linha(s): 2 criada(s), 0 atualizada(s), 3 com erro." in output
    contract = ActiveContract.objects.get(contract_number="EMP-4")
    assert (contract.unimed.code, contract.document, contract.active) == (
        "0025",
        "12ABC34501DE35",
        False,
    )
    # Re-import is idempotent and updates.
    path.write_text("documento,nr_contrato,ativo\n11222333000181,EMP-1,nao\n", encoding="utf-8")
    assert "1 atualizada(s)" in run(str(path), "--unimed", "137")
    assert not ActiveContract.objects.get(contract_number="EMP-1").active
    lead, _ = lead_intake(**intake_kwargs())
    assert not lead.is_existing_client  # EMP-1 is now inactive


@pytest.mark.django_db
def test_xlsx_and_unimed_option_restricts_lines(tmp_path, areas, intake_kwargs):
    book = Workbook()
    sheet = book.active
    sheet.append(["documento", "nr_contrato", "dt_inicio", "cd_unimed"])
    sheet.append(["11222333000181", "X-1", None, 137])
    sheet.append(["12ABC34501DE35", "X-2", None, "0025"])
    path = tmp_path / "contratos.xlsx"
    book.save(path)
    output = run(str(path), "--unimed", "0137")
    assert "linha 2: criado" in output
    assert (
        "linha 3: erro — Linha da Unimed 0025: só é possível carregar contratos da Unimed 0137."
        in output
    )
    lead, _ = lead_intake(**intake_kwargs())
    assert lead.is_existing_client


@pytest.mark.django_db
def test_unusable_files_are_clear_errors(tmp_path, areas):
    with pytest.raises(CommandError, match="Arquivo não encontrado"):
        run(str(tmp_path / "nada.csv"))
    bad = tmp_path / "x.csv"
    bad.write_text("cpf;numero\n1;2\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Cabeçalho sem a\\(s\\) coluna\\(s\\): nr_contrato"):
        run(str(bad))
    fake = tmp_path / "x.xlsx"
    fake.write_text("não é planilha", encoding="utf-8")
    with pytest.raises(CommandError, match="Planilha XLSX ilegível"):
        run(str(fake))
    pdf = tmp_path / "x.pdf"
    pdf.write_text("x", encoding="utf-8")
    with pytest.raises(CommandError, match="Formato não suportado"):
        run(str(pdf))
    with pytest.raises(CommandError, match="Unimed 4242"):
        run(str(bad), "--unimed", "4242")

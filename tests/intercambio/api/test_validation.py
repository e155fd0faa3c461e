"""Every bad value gets a pt-BR error addressed to its field, and nothing is stored."""

import pytest

from intercambio.models import InboundMessage, RiskSharing, RiskSharingHistory
from tests.intercambio.conftest import URL, post


def _set(body: dict, path: str, value) -> None:
    *parents, leaf = path.split(".")
    node = body
    for key in parents:
        node = node[int(key)] if key.isdigit() else node[key]
    if value is _DROP:
        node.pop(leaf)
    else:
        node[leaf] = value


_DROP = object()

CASES = [
    # (path in the message, bad value, field the error names, part of the message)
    ("dadosPessoa.cpf", "31316709087", "dadosPessoa.cpf", "dígito verificador"),
    ("dadosPessoa.cpf", "111.111.111-11", "dadosPessoa.cpf", "CPF inválido"),
    ("dadosPessoa.cpf", "3131670908", "dadosPessoa.cpf", "11 dígitos"),
    ("dadosPessoa.cns", "172189187480003", "dadosPessoa.cns", "dígito verificador"),
    ("dadosPessoa.cns", "372189187480002", "dadosPessoa.cns", "começar com"),
    (
        "dadosEmpresaContratante.tipoEmpresa.cnpj",
        "61554828000187",
        "dadosEmpresaContratante.tipoEmpresa.cnpj",
        "dígito verificador",
    ),
    (
        "dadosEmpresaContratante.tipoEmpresa.cnpj",
        "12ABC34501DE34",
        "dadosEmpresaContratante.tipoEmpresa.cnpj",
        "dígito verificador",
    ),
    (
        "dadosBeneficiario.carteirinhaBeneficiario",
        "0055202411117302",
        "dadosBeneficiario.carteirinhaBeneficiario",
        "17 dígitos",
    ),
    (
        "dadosBeneficiario.carteirinhaBeneficiario",
        552024111173021,
        "dadosBeneficiario.carteirinhaBeneficiario",
        "17 dígitos",
    ),
    (
        "dadosBeneficiario.carteirinhaBeneficiarioTitular",
        "01372024111173021",
        "dadosBeneficiario.carteirinhaBeneficiarioTitular",
        "mesma Unimed",
    ),
    (
        "dadosBeneficiario.dataInicioCompartilhamentoRisco",
        "12/11/2024",
        "dadosBeneficiario.dataInicioCompartilhamentoRisco",
        "AAAA-MM-DD",
    ),
    (
        "dadosBeneficiario.dataInicioCompartilhamentoRisco",
        "2024-02-30",
        "dadosBeneficiario.dataInicioCompartilhamentoRisco",
        "AAAA-MM-DD",
    ),
    (
        "dadosBeneficiario.dataInicioCompartilhamentoRisco",
        "1970-01-01",
        "dadosBeneficiario.dataInicioCompartilhamentoRisco",
        "nascimento",
    ),
    ("dadosPessoa.dataNascimento", "2999-01-01", "dadosPessoa.dataNascimento", "futuro"),
    (
        "dadosBeneficiario.tipoCompartilhamentoRisco",
        "X",
        "dadosBeneficiario.tipoCompartilhamentoRisco",
        "P (repasse) ou C",
    ),
    (
        "dadosBeneficiario.tipoCompartilhamentoRisco",
        _DROP,
        "dadosBeneficiario.tipoCompartilhamentoRisco",
        "obrigatório",
    ),
    ("dadosPlano.tipoContratacao", 9, "dadosPlano.tipoContratacao", "use um destes códigos"),
    ("dadosPessoa.genero", "X", "dadosPessoa.genero", "M ou F"),
    ("dadosPessoa.codigoEstadoCivil", "Q", "dadosPessoa.codigoEstadoCivil", "Estado civil"),
    ("dadosBeneficiario.indicadorNato", "false", "dadosBeneficiario.indicadorNato", "booleano"),
    ("dadosBeneficiario.indicadorCompUB", 0, "dadosBeneficiario.indicadorCompUB", "booleano"),
    ("cabecalho.dataGeracao", "2024-11-12T17:30:21", "cabecalho.dataGeracao", "fuso"),
    ("cabecalho.dataGeracao", "2024-11-12", "cabecalho.dataGeracao", "ISO 8601"),
    ("cabecalho.codigoVersaoPTU", "10a", "cabecalho.codigoVersaoPTU", "dígitos"),
    (
        "cabecalho.codigoControleTransacao",
        _DROP,
        "cabecalho.codigoControleTransacao",
        "obrigatório",
    ),
    ("cabecalho.codigoControleTransacao", "12AB", "cabecalho.codigoControleTransacao", "dígitos"),
    (
        "cabecalho.unimed.codigoUnimedDestino",
        12345,
        "cabecalho.unimed.codigoUnimedDestino",
        "4 dígitos",
    ),
    (
        "cabecalho.unimed.codigoUnimedDestino",
        4321,
        "cabecalho.unimed.codigoUnimedDestino",
        "não está cadastrada",
    ),
    (
        "cabecalho.unimed.codigoUnimedDestino",
        55,
        "cabecalho.unimed.codigoUnimedDestino",
        "própria Unimed da carteirinha",
    ),
    (
        "dadosEmpresaContratante.endereco.codigoMunicipio",
        355030,
        "dadosEmpresaContratante.endereco.codigoMunicipio",
        "7 dígitos",
    ),
    (
        "dadosEmpresaContratante.endereco.codigoMunicipio",
        3550399,
        "dadosEmpresaContratante.endereco.codigoMunicipio",
        "IBGE",
    ),
    (
        "dadosEmpresaContratante.endereco.cep",
        "0100100",
        "dadosEmpresaContratante.endereco.cep",
        "CEP",
    ),
    (
        "dadosPessoa.nomeCompletoBeneficiario",
        "DALILA 2",
        "dadosPessoa.nomeCompletoBeneficiario",
        "letras",
    ),
    (
        "dadosPessoa.nomeCompletoBeneficiario",
        "A" * 71,
        "dadosPessoa.nomeCompletoBeneficiario",
        "70",
    ),
    ("dadosPessoa.rg.uf", "XX", "dadosPessoa.rg.uf", "UF"),
    (
        "dadosPessoa.complementosCadastrais.telefones.1.numero",
        887654321,
        "dadosPessoa.complementosCadastrais.telefones.1.numero",
        "começar com 9",
    ),
    (
        "dadosPessoa.complementosCadastrais.telefones.0.ddd",
        10,
        "dadosPessoa.complementosCadastrais.telefones.0.ddd",
        "DDD",
    ),
    (
        "dadosPessoa.complementosCadastrais.emails.0.email",
        "dalila@",
        "dadosPessoa.complementosCadastrais.emails.0.email",
        "E-mail",
    ),
    (
        "dadosPessoa.complementosCadastrais.enderecos.0.cep",
        "9401620",
        "dadosPessoa.complementosCadastrais.enderecos.0.cep",
        "CEP",
    ),
]


@pytest.mark.parametrize(
    ("path", "value", "field", "fragment"), CASES, ids=[f"{c[0]}={c[1]!r}"[:60] for c in CASES]
)
def test_bad_value_is_a_field_addressed_400(origin_api, repasse, path, value, field, fragment):
    _set(repasse, path, value)
    response = post(origin_api, repasse)
    assert response.status_code == 400, response.json()
    body = response.json()
    assert body["codigo"] == "dados_invalidos"
    assert field in body["campos"], body["campos"]
    assert any(fragment in m for m in body["campos"][field]), body["campos"][field]
    assert {"campo": field, "mensagem": body["campos"][field][0]} in body["erros"]
    assert not InboundMessage.objects.exists() and not RiskSharing.objects.exists()
    assert not RiskSharingHistory.objects.exists()


def test_all_errors_come_back_together(origin_api, repasse):
    repasse["dadosPessoa"]["cpf"] = "12345678910"
    repasse["dadosPessoa"]["cns"] = "172189187480003"
    repasse["dadosEmpresaContratante"]["tipoEmpresa"]["cnpj"] = "11222333000182"
    body = post(origin_api, repasse).json()
    assert {e["campo"] for e in body["erros"]} == {
        "dadosPessoa.cpf",
        "dadosPessoa.cns",
        "dadosEmpresaContratante.tipoEmpresa.cnpj",
    }


def test_alphanumeric_cnpj_is_accepted(origin_api, repasse):
    repasse["dadosEmpresaContratante"]["tipoEmpresa"]["cnpj"] = "12.ABC.345/01DE-35"
    assert post(origin_api, repasse).status_code == 201


@pytest.mark.parametrize("raw", ['{"cabecalho": ', "não é json", '{"a": 1,}', "\xff\xfe"])
def test_malformed_json_is_a_400_json_error(origin_api, raw):
    response = origin_api.generic(
        "POST", URL, raw.encode("latin-1", "replace"), content_type="application/json"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["codigo"] == "json_invalido" and body["erros"][0]["mensagem"] == body["mensagem"]


@pytest.mark.parametrize("raw", ["[]", '"texto"', "null", "42"])
def test_a_json_that_is_not_an_object_is_a_400(origin_api, raw):
    response = origin_api.generic("POST", URL, raw, content_type="application/json")
    assert response.status_code == 400 and response.json()["codigo"] == "dados_invalidos"


def test_another_content_type_is_a_415_json_error(origin_api):
    response = origin_api.generic(
        "POST", URL, "cabecalho=1", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 415 and response.json()["codigo"] == "tipo_de_conteudo_invalido"

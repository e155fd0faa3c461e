"""core.labels: every audit action the code writes has a pt-BR label, every status of
every model has a badge colour, and what has no label still reads as words."""

import ast
import re
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.utils import timezone

from core import labels

ROOT = Path(__file__).resolve().parents[2]
# Every app of ours (a folder with apps.py: a new app is read without editing this test)
# and the project package.
SOURCE_DIRS = (*sorted(path.parent.name for path in ROOT.glob("*/apps.py")), "gpu_project")


def _fstring_expansions() -> dict[str, list[str]]:
    """The values an f-string action is built from, taken from the code's own data: a new
    f-string action fails the scan until it is listed here."""
    from intercambio.services import SITUATION_MESSAGES
    from reports.models import ReportJob
    from retencao.services.feeds import LOADERS

    return {
        "f'relatorio.{to}'": [f"relatorio.{s}" for s in ReportJob.Status.values],
        "f'retencao.importacao_{kind}'": [f"retencao.importacao_{k}" for k in LOADERS],
        "f'compartilhamento_risco.{situation}'": [
            f"compartilhamento_risco.{s}" for s in SITUATION_MESSAGES
        ],
    }


def _trees():
    for folder in SOURCE_DIRS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path, ast.parse(path.read_text(encoding="utf-8"))


def _called(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def _action_kw(call: ast.Call):
    return next((k.value for k in call.keywords if k.arg == "action"), None)


def _functions(tree):
    return [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]


def _params(fn) -> set[str]:
    args = fn.args
    return {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)}


def _writers(trees) -> set[str]:
    """audit_record and every function that passes its own `action` parameter on to a
    writer (audit_cooperado, audit_view…), found until nothing new turns up."""
    writers, grown = {"audit_record"}, True
    while grown:
        grown = False
        for _path, tree in trees:
            for fn in _functions(tree):
                if fn.name in writers or "action" not in _params(fn):
                    continue
                for call in (n for n in ast.walk(fn) if isinstance(n, ast.Call)):
                    value = _action_kw(call)
                    if (
                        _called(call) in writers
                        and isinstance(value, ast.Name)
                        and value.id == "action"
                    ):
                        writers.add(fn.name)
                        grown = True
                        break
    return writers


def _values(node, fn, writers, expansions, where) -> set[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _values(node.body, fn, writers, expansions, where) | _values(
            node.orelse, fn, writers, expansions, where
        )
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left = _values(node.left, fn, writers, expansions, where)
        right = _values(node.right, fn, writers, expansions, where)
        return {a + b for a in left for b in right}
    if isinstance(node, ast.JoinedStr):
        source = ast.unparse(node)
        assert source in expansions, f"{where}: ação montada em f-string sem expansão: {source}"
        return set(expansions[source])
    if isinstance(node, ast.Name) and fn is not None:
        if node.id in _params(fn):
            assert fn.name in writers, f"{where}: ação vem do parâmetro {node.id} de {fn.name}"
            return set()  # the writer's callers are scanned
        assigned = [
            a.value
            for a in ast.walk(fn)
            if isinstance(a, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == node.id for t in a.targets)
        ]
        assert assigned, f"{where}: não sei de onde vem a ação {node.id}"
        return set().union(*(_values(v, fn, writers, expansions, where) for v in assigned))
    raise AssertionError(f"{where}: ação que o teste não sabe ler: {ast.unparse(node)}")


def audit_actions_in_code() -> set[str]:
    trees = list(_trees())
    writers = _writers(trees)
    expansions = _fstring_expansions()
    found: set[str] = set()
    for path, tree in trees:
        owner = {}
        for fn in _functions(tree):  # breadth first: an inner function comes later, and wins
            for node in ast.walk(fn):
                owner[node] = fn
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
            value = _action_kw(call)
            if value is None or _called(call) not in writers:
                continue
            where = f"{path.relative_to(ROOT)}:{call.lineno}"
            found |= _values(value, owner.get(call), writers, expansions, where)
    return found


def test_the_scan_finds_the_actions_it_should():
    actions = audit_actions_in_code()
    # Literal, conditional, built by a wrapper's caller, f-string and concatenation.
    for action in (
        "cooperado.emails_alterados",
        "cooperado.bloqueado",
        "cooperado.desbloqueado",
        "equipe.ativado",
        "cooperados.busca",
        "relatorio.done",
        "retencao.importacao_faturas",
        "compartilhamento_risco.recusado",
        "compartilhamento_risco.inclusao",
    ):
        assert action in actions
    assert len(actions) > 70


def test_every_audit_action_in_the_code_has_a_label():
    missing = sorted(a for a in audit_actions_in_code() if a not in labels.ACTION_LABELS)
    assert missing == [], f"ações de auditoria sem rótulo em core/labels: {missing}"


def test_labels_are_portuguese_sentences_not_codes():
    for code, label in labels.ACTION_LABELS.items():
        assert label and label[0].isupper() and "_" not in label and "." not in label, code


def _project_models():
    for model in apps.get_models():
        if model._meta.app_label in SOURCE_DIRS:
            yield model


def test_every_status_of_every_model_has_a_badge_colour():
    missing = []
    checked = 0
    for model in _project_models():
        for field in model._meta.get_fields():
            if field.name not in ("status", "situation") or not getattr(field, "choices", None):
                continue
            family = labels.STATUS_MODELS.get(model._meta.label_lower)
            if family is None:
                missing.append(f"{model._meta.label_lower}: sem família em STATUS_MODELS")
                continue
            for value, _label in field.choices:
                checked += 1
                if value not in labels.STATUS_BADGES[family]:
                    missing.append(f"{model._meta.label_lower}.{field.name}={value}")
    assert missing == [] and checked >= 50


def test_a_status_badge_reads_its_label_and_colour():
    from protocols.models import Protocol, Status

    html = labels.model_status_badge(Protocol(status=Status.RESPONDIDO))
    assert html == (
        '<span class="badge text-bg-success" data-situacao="respondido">Respondido</span>'
    )


def test_unknown_codes_still_read_as_words():
    assert labels.action_label("algo.novo_evento") == "Algo: novo evento"
    assert labels.field_label("campo_sem_rotulo") == "Campo sem rotulo"
    assert labels.actor_label("tarefa:limpeza_geral") == "Tarefa agendada (limpeza geral)"
    assert labels.result_label("linha_estranha") == "Linha estranha"


@pytest.mark.django_db
def test_values_booleans_empty_and_choices():
    assert labels.value_label(True) == "Sim" and labels.value_label(False) == "Não"
    assert labels.value_label(None) == labels.value_label("") == "(vazio)"
    assert labels.value_label("admin", "block_reason", "cooperado") == "Bloqueado pelo gestor"
    assert labels.value_label("particular", "login_email_source", "cooperado") == (
        "E-mail particular"
    )
    assert labels.field_label("email_private", "cooperado") == "E-mail particular"
    assert labels.audit_changes(
        {"alteracoes": {"must_change_password": [False, True], "block_reason": ["", "admin"]}},
        "cooperado",
    ) == [
        ("Troca de senha obrigatória", "Não", "Sim"),
        ("Motivo do bloqueio", "(vazio)", "Bloqueado pelo gestor"),
    ]
    # A search's filters, on a target that is not a model: the app's models answer.
    assert labels.labelled_items({"situation": "bloqueado"}, "cooperados.busca") == [
        ("Situação", "Bloqueado")
    ]


def test_actors():
    assert labels.actor_label("system") == "Sistema"
    assert labels.actor_label("portal") == "Portal"
    assert labels.actor_label("svc:abc123") == "Conta de serviço abc123"
    assert labels.actor_label("tarefa:reservas_expirar") == (
        "Tarefa agendada (expiração das reservas de mercado)"
    )
    assert labels.actor_label("gestor.0137") == "gestor.0137"


@pytest.mark.parametrize(
    ("error", "status", "reason"),
    [
        ("ConnectionRefusedError: [Errno 111] Connection refused", None, "conexão recusada"),
        (
            "ConnectionError: HTTPConnectionPool(host='x', port=80): Max retries exceeded "
            "(Caused by NewConnectionError('[Errno 111] Connection refused'))",
            None,
            "conexão recusada",
        ),
        ("gaierror: [Errno -2] Name or service not known", None, "não foi encontrado (DNS)"),
        (
            "SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed",
            None,
            "certificado ou TLS",
        ),
        (
            "Prazo de 10 s esgotado antes do fim da resposta; tentativa encerrada.",
            None,
            "tempo esgotado",
        ),
        ("TimeoutError: timed out", None, "tempo esgotado"),
        (
            "Recusado: o endpoint resolveu para um endereço interno (10.0.0.5).",
            None,
            "proteção de rede",
        ),
        (
            "Unimed 0137 não está integrada ou não tem endpoint e segredo.",
            None,
            "não está integrada",
        ),
        ("RemoteDisconnected: Remote end closed connection", None, "a conexão"),
        ("HTTP 500", 500, "respondeu com erro (HTTP 500)"),
        ("HTTP 503", 503, "indisponível (HTTP 503)"),
        ("HTTP 410: o endpoint não existe mais (Gone)", 410, "não existe (HTTP 410)"),
        ("HTTP 401: recusa definitiva do destino", 401, "assinatura ou o acesso (HTTP 401)"),
        ("HTTP 422: recusa definitiva do destino", 422, "recusou a mensagem (HTTP 422)"),
        ("HTTP 301: redirecionamento para x não seguido", 301, "redirecionamento HTTP 301"),
        ("OSError: something odd", None, "falha de comunicação"),
    ],
)
def test_delivery_failures_in_words(error, status, reason):
    sentence = labels.delivery_failure_reason(error, status)
    assert reason in sentence
    assert not re.search(r"Error|Errno|Connection|HTTPConnectionPool", sentence)


def test_delivery_summary_says_when_it_tries_again(settings):
    soon = timezone.now() + timedelta(minutes=5)
    delivery = SimpleNamespace(
        status="pending",
        attempts=2,
        next_attempt_at=soon,
        last_error="ConnectionRefusedError: [Errno 111] Connection refused",
        last_http_status=None,
        delivered_at=None,
    )
    text = labels.delivery_summary(delivery)
    assert text.startswith("Falha na entrega: a Unimed de destino não respondeu (conexão recusada)")
    assert f"nova tentativa às {timezone.localtime(soon):%H:%M}" in text
    delivery.status = "dead"
    assert "as tentativas acabaram (2 tentativas)" in labels.delivery_summary(delivery)

"""Protocol page: data, timeline, audit, and every action through the services."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import AuditEvent
from protocols.models import EventKind, Protocol, Status

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%panel\n"


def page(number: str) -> str:
    return f"/painel/protocolos/{number}/"


def act(number: str, action: str) -> str:
    return f"/painel/protocolos/{number}/acao/{action}/"


def test_page_shows_requester_timeline_and_records_the_view(client_for, contingency_protocol):
    protocol = contingency_protocol()
    client, user = client_for("0137")
    response = client.get(page(protocol.number))
    body = response.content.decode()
    assert response.status_code == 200
    for text in (
        protocol.number,
        "Maria da Silva",
        "529.982.247-25",
        "0137 — Unimed Teste 0137",
        "Protocolo aberto",
        protocol.due_date.strftime("%d/%m/%Y"),
        "Copiar número",
    ):
        assert text in body
    assert AuditEvent.objects.filter(
        action="protocolo.visualizado", user=user, target_id=str(protocol.pk)
    ).exists()
    offered = [name for name, _title, _form in response.context["forms"]]
    assert offered == ["answer", "note", "forward", "cancel", "reclassify", "recompute_deadline"]


def test_answer_kind_is_a_fieldset_of_labelled_radios(client_for, contingency_protocol):
    """The radio group is a fieldset with a legend and one labelled .form-check per option
    (its wrapper must not take the 1em radio box class, which made the labels overflow)."""
    protocol = contingency_protocol()
    client, _ = client_for("0137")
    body = client.get(page(protocol.number)).content.decode()
    assert '<legend class="form-label fs-6">Tipo de resposta' in body
    assert 'class="form-check-input"><div>' not in body and 'for=""' not in body
    for value, label in (
        ("0", "Conclusiva (encerra o prazo)"),
        ("1", "Parcial — em análise (o prazo continua)"),
    ):
        assert (
            f'<label class="form-check-label" for="id_answer-conclusive_{value}">{label}</label>'
            in body
        )


def test_conclusive_answer_changes_status_and_timeline(client_for, contingency_protocol):
    protocol = contingency_protocol()
    client, _ = client_for("0137")
    response = client.post(
        act(protocol.number, "answer"),
        {
            "answer-conclusive": "1",
            "answer-message": "Exame autorizado.",
            "answer-attachments": [SimpleUploadedFile("guia.pdf", PDF)],
        },
    )
    assert response.status_code == 302 and response["Location"] == page(protocol.number)
    protocol.refresh_from_db()
    assert protocol.status == Status.RESPONDIDO and protocol.answered_at is not None
    body = client.get(page(protocol.number)).content.decode()
    assert "Resposta conclusiva" in body and "Exame autorizado." in body and "guia.pdf" in body
    assert "Resposta registrada." in body


def test_partial_answer_keeps_the_deadline_running(client_for, contingency_protocol):
    protocol = contingency_protocol()
    client, _ = client_for("0137")
    client.post(
        act(protocol.number, "answer"),
        {"answer-conclusive": "0", "answer-message": "Em auditoria."},
    )
    protocol.refresh_from_db()
    assert protocol.status == Status.EM_ANALISE and protocol.answered_at is None


def test_note_forward_cancel(client_for, contingency_protocol):
    protocol = contingency_protocol()
    client, _ = client_for("0137")
    assert (
        client.post(act(protocol.number, "note"), {"note-message": "Ligar amanhã."}).status_code
        == 302
    )
    assert (
        client.post(
            act(protocol.number, "forward"),
            {
                "forward-to_unimed_code": "0025",
                "forward-reason": "Execução na Unimed de atendimento.",
            },
        ).status_code
        == 302
    )
    protocol.refresh_from_db()
    assert protocol.status == Status.ENCAMINHADO and protocol.responsible_unimed.code == "0025"
    # 0137 no longer responsible: it cannot answer any more, and the page does not offer it.
    offered = [n for n, _t, _f in client.get(page(protocol.number)).context["forms"]]
    assert "answer" not in offered
    assert (
        client.post(
            act(protocol.number, "answer"), {"answer-conclusive": "1", "answer-message": "x"}
        ).status_code
        == 403
    )
    new_owner, _ = client_for("0025")
    assert (
        new_owner.post(
            act(protocol.number, "cancel"), {"cancel-reason": "Solicitante desistiu do pedido."}
        ).status_code
        == 302
    )
    protocol.refresh_from_db()
    assert (
        protocol.status == Status.CANCELADO
        and protocol.cancel_reason == "Solicitante desistiu do pedido."
    )
    kinds = list(protocol.events.values_list("kind", flat=True))
    assert kinds == [
        EventKind.ABERTO,
        EventKind.NOTA_INTERNA,
        EventKind.ENCAMINHADO,
        EventKind.CANCELADO,
    ]


def test_close_and_reopen(client_for, contingency_protocol):
    protocol = contingency_protocol()
    responsible, _ = client_for("0137")
    origin, _ = client_for("0666")
    responsible.post(
        act(protocol.number, "answer"), {"answer-conclusive": "1", "answer-message": "Feito."}
    )
    assert origin.post(act(protocol.number, "close"), {"close-message": ""}).status_code == 302
    protocol.refresh_from_db()
    assert protocol.status == Status.ENCERRADO
    assert (
        origin.post(
            act(protocol.number, "reopen"), {"reopen-reason": "Beneficiário contestou."}
        ).status_code
        == 302
    )
    protocol.refresh_from_db()
    assert protocol.status == Status.REABERTO and protocol.reopen_count == 1


def test_complement_by_the_origin(client_for, contingency_protocol):
    protocol = contingency_protocol()
    origin, _ = client_for("0666")
    offered = [n for n, _t, _f in origin.get(page(protocol.number)).context["forms"]]
    assert offered == ["note", "complement", "cancel"]
    origin.post(
        act(protocol.number, "complement"), {"complement-message": "Segue o pedido médico."}
    )
    assert protocol.events.filter(kind=EventKind.COMPLEMENTO).exists()


def test_errors_keep_what_was_typed(client_for, contingency_protocol):
    protocol = contingency_protocol()
    client, _ = client_for("0137")
    response = client.post(act(protocol.number, "cancel"), {"cancel-reason": "curt"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Informe o motivo do cancelamento." in body and "curt</textarea>" in body
    response = client.post(
        act(protocol.number, "forward"),
        {"forward-to_unimed_code": "9999", "forward-reason": "Motivo bem explicado."},
    )
    assert response.status_code == 400 and "Motivo bem explicado." in response.content.decode()
    protocol.refresh_from_db()
    assert protocol.status == Status.ABERTO


def test_a_transition_refused_by_the_service_is_shown(client_for, contingency_protocol):
    protocol = contingency_protocol()
    client, _ = client_for("0137")
    client.post(
        act(protocol.number, "answer"), {"answer-conclusive": "1", "answer-message": "Feito."}
    )
    # The answered protocol offers no answer any more; posting it anyway is refused.
    assert (
        client.post(
            act(protocol.number, "answer"), {"answer-conclusive": "1", "answer-message": "De novo."}
        ).status_code
        == 403
    )
    assert client.post(act(protocol.number, "bogus"), {}).status_code == 403
    assert Protocol.objects.get(pk=protocol.pk).event_count == 2


def test_serving_unimed_reads_but_cannot_answer(client_for, contingency_protocol):
    protocol = contingency_protocol()
    serving, _ = client_for("0025")
    assert serving.get(page(protocol.number)).status_code == 200
    assert (
        serving.post(
            act(protocol.number, "answer"),
            {"answer-conclusive": "1", "answer-message": "Não devia."},
        ).status_code
        == 403
    )
    assert (
        serving.post(
            act(protocol.number, "cancel"), {"cancel-reason": "Não devia cancelar."}
        ).status_code
        == 403
    )


def test_unmapped_category_is_flagged_filtered_and_reclassified_by_the_supervisor(
    network, client_for, api_for
):
    """A Unimed's system sent category 18 (outside the catalog): the responsible Unimed's
    supervisor finds it with the filter, sees why, and reclassifies it (flag cleared,
    deadline from the chosen category)."""
    import copy

    from gpu_api.examples import REQUESTS

    message = copy.deepcopy(REQUESTS["solicitarProtocolo"])
    message["solicitar_protocolo"].update(
        {"tp_manifestacao": "7", "tp_categoria_manifestacao": [18], "cd_uni_atendimento": None}
    )
    message["cabecalho_transacao"]["cd_uni_origem"] = network["0025"].code
    response = api_for(network["0025"]).post(
        "/api/v1/gpu/solicitarProtocolo", message, format="json"
    )
    assert response.status_code == 201, response.json()
    number = response.json()["resposta_solicitar_protocolo"]["nr_protocolo"]
    client, _user = client_for("0137", "supervisor")
    listed = client.get("/painel/protocolos/", {"catalogo": "nao_mapeada"})
    assert number in listed.content.decode()
    shown = client.get(page(number))
    assert "Categoria não mapeada" in shown.content.decode()
    done = client.post(
        act(number, "reclassify"),
        {
            "reclassify-manifestation_type": "R",
            "reclassify-category": "2",
            "reclassify-reason": "Pedido de exame: assistencial.",
        },
    )
    assert done.status_code == 302, done.content.decode()[:500]
    protocol = Protocol.objects.get(number=number)
    assert (
        not protocol.catalog_unmapped
        and protocol.category.code == 2
        and protocol.deadline_days == 5
    )
    assert (
        number
        not in client.get("/painel/protocolos/", {"catalogo": "nao_mapeada"}).content.decode()
    )


def test_recompute_deadline_applies_a_changed_rule(client_for, contingency_protocol):
    """The catalog is data: after the category's rule changes, the responsible Unimed
    recalculates an open protocol's deadline from its same start."""
    from protocols.models import Category

    protocol = contingency_protocol()
    before = protocol.due_date
    Category.objects.filter(pk=protocol.category_id).update(
        deadline_rule="dias_uteis", deadline_days=20
    )
    client, _user = client_for("0137", "supervisor")
    done = client.post(
        act(protocol.number, "recompute_deadline"),
        {"recompute_deadline-reason": "Regra da categoria mudou."},
    )
    assert done.status_code == 302
    protocol.refresh_from_db()
    assert protocol.deadline_days == 20 and protocol.due_date > before
    assert protocol.events.filter(kind=EventKind.PRAZO_RECALCULADO).count() == 1


def test_previous_number_renders_the_same_whether_it_exists_or_not(
    client_for, contingency_protocol
):
    """Issue #16: `nr_protocolo_anterior` was a link only when the number existed somewhere
    in the network — an existence oracle for protocols of other Unimeds."""
    import re

    from protocols.services import protocol_open
    from tests.protocols.conftest import beneficiary_data
    from unimeds.actors import portal_actor

    foreign = protocol_open(
        actor=portal_actor(), **beneficiary_data(card="0025 0000000000001")
    )  # 0137: no party
    client, _ = client_for("0137")
    shown = []
    for number in (foreign.number, "3" * 20):
        protocol = contingency_protocol(previous_number=number)
        page = client.get(f"/painel/protocolos/{protocol.number}/").content.decode()
        anterior = re.search(r"<dt class=\"col-5\">Anterior</dt>(.*?)</dd>", page).group(1)
        shown.append(anterior.replace(number, "N"))
    assert shown[0] == shown[1] and "<a " not in shown[0]
    own = contingency_protocol()
    page = client.get(
        f"/painel/protocolos/{contingency_protocol(previous_number=own.number).number}/"
    ).content.decode()
    assert (
        f'href="/painel/protocolos/{own.number}/"' in page
    )  # a protocol the actor sees stays a link


def test_conclusive_answer_and_cancel_ask_for_confirmation(client_for, contingency_protocol):
    """#18: a conclusive answer e-mails the requester at once and a cancellation is final:
    both buttons confirm first (static/js/gpu.js data-confirm; the answer only when
    conclusive)."""
    protocol = contingency_protocol()
    client, _ = client_for("0137")
    body = client.get(f"/painel/protocolos/{protocol.number}/").content.decode()
    assert 'data-confirm="Enviar a resposta conclusiva?' in body
    assert 'data-confirm-if="conclusive=1"' in body
    assert f'data-confirm="Cancelar o protocolo {protocol.number}?' in body

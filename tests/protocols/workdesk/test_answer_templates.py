"""Answer templates: the variables' allowlist when saving, a plain substitution when
rendering (no template engine), supervisors manage them, each Unimed sees its own."""

import pytest
from django.urls import reverse

from core.errors import Forbidden, InvalidInput, NotFound
from protocols.models import AnswerTemplate
from protocols.services import answer_template_render
from protocols.workdesk.services import answer_template_save
from unimeds.actors import actor_for_user

pytestmark = pytest.mark.django_db


def test_unknown_variable_is_refused_with_the_allowed_list(staff_actor):
    supervisor = staff_actor("0137", "supervisor")
    with pytest.raises(InvalidInput) as caught:
        answer_template_save(actor=supervisor, title="Exame", body="Olá {{nome}}, CPF {{ cpf }}.")
    message = caught.value.fields["body"][0]
    assert message.startswith("Variável desconhecida: {{cpf}}.")
    assert "{{nome}}" in message and "{{prazo}}" in message
    assert not AnswerTemplate.objects.exists()


@pytest.mark.parametrize(
    "body",
    ["{{ request.user }}", "{{nome|upper}}", "{{settings.SECRET_KEY}}", "Olá {{nome", "fim }}"],
)
def test_anything_but_a_listed_name_between_braces_is_refused(staff_actor, body):
    with pytest.raises(InvalidInput):
        answer_template_save(actor=staff_actor("0137", "supervisor"), title="T", body=body)


def test_render_fills_the_protocol_and_keeps_other_text_literal(staff_actor, open_protocol):
    supervisor = staff_actor("0137", "supervisor")
    template = answer_template_save(
        actor=supervisor,
        title="Autorização",
        body="{{primeiro_nome}}, o protocolo {{numero}} vence em {{prazo}}. {% debug %} <b>ok</b>",
    )
    protocol = open_protocol()
    text = answer_template_render(
        actor=staff_actor("0137", "atendente"), template_id=template.pk, protocol=protocol
    )
    assert text == (
        f"Maria, o protocolo {protocol.number} vence em "
        f"{protocol.due_date:%d/%m/%Y}. {{% debug %}} <b>ok</b>"
    )


def test_only_supervisors_manage_templates(staff_actor, client_for):
    with pytest.raises(Forbidden):
        answer_template_save(actor=staff_actor("0137", "atendente"), title="T", body="Olá.")
    client, _user = client_for("0137", "atendente")
    assert client.get(reverse("protocols:answer_templates")).status_code == 403


def test_another_unimeds_template_or_protocol_is_not_found(staff_actor, open_protocol):
    template = answer_template_save(
        actor=staff_actor("0137", "supervisor"), title="T", body="Olá {{nome}}."
    )
    protocol = open_protocol()
    with pytest.raises(NotFound):  # the template belongs to 0137
        answer_template_render(
            actor=staff_actor("0025", "supervisor"), template_id=template.pk, protocol=protocol
        )
    own = answer_template_save(
        actor=staff_actor("0666", "supervisor"), title="T", body="Olá {{nome}}."
    )
    with pytest.raises(NotFound):  # 0666 is no party to the portal protocol of 0137's card
        answer_template_render(
            actor=staff_actor("0666", "atendente"), template_id=own.pk, protocol=protocol
        )


def test_panel_page_shows_the_error_and_keeps_the_text(client_for):
    client, _user = client_for("0137", "supervisor")
    body = "Prezado {{nome}}, seu {{protocolo}} foi analisado."
    response = client.post(
        reverse("protocols:answer_templates"), {"title": "Análise", "body": body, "is_active": "on"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Variável desconhecida: {{protocolo}}" in page
    assert "seu {{protocolo}} foi analisado" in page  # nothing typed is lost
    response = client.post(
        reverse("protocols:answer_templates"),
        {"title": "Análise", "body": "Prezado {{nome}}.", "is_active": "on"},
    )
    assert response.status_code == 302
    assert AnswerTemplate.objects.get().title == "Análise"


def test_the_answer_form_fill_returns_the_filled_text_box(client_for, contingency_protocol):
    supervisor_client, supervisor = client_for("0137", "supervisor")
    template = answer_template_save(
        actor=actor_for_user(supervisor), title="T", body="Olá {{nome}} <script>x</script>"
    )
    protocol = contingency_protocol()
    client, _user = client_for("0137", "atendente")
    page = client.get(reverse("protocols:detail", args=[protocol.number])).content.decode()
    assert 'id="id_answer-modelo"' in page and ">T</option>" in page
    url = reverse("protocols:answer_template_fill", args=[protocol.number])
    response = client.get(url, {"modelo": template.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="answer-message"' in html and 'id="id_answer-message"' in html
    assert "Olá Maria da Silva &lt;script&gt;x&lt;/script&gt;" in html
    assert client.get(url, {"modelo": "abc"}).status_code == 404

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from cooperados.models import BlockReason, Cooperado, Situation
from cooperados.services import a400_import
from core.errors import Forbidden, InvalidInput
from core.models import AuditEvent
from unimeds.actors import actor_for_user, system_actor

FILE = """401;0137;20260115;1.0
402;I;100;Ana Souza;12345SC;12345;SC;529.982.247-25;PRESTADOR;ana@unimed.example.com.br
402;I;101;Bruno Lima;22222SP;22222;SP;;PRESTADOR;
402;I;102;Linha Ruim;x;;;;PRESTADOR;
402;A;100;Ana Souza Repetida;12345SC;12345;SC;;PRESTADOR;
409;4
"""


def run(content: str, actor=None):
    return a400_import(actor=actor or system_actor(), content=content.encode(), filename="a400.txt")


def test_report_lists_created_updated_unchanged_rejected_with_line_numbers(unimed):
    report = run(FILE)
    assert report.counts == {"criado": 2, "atualizado": 0, "sem_alteracao": 0, "rejeitado": 2}
    assert [(r.line_no, r.status) for r in report.lines] == [
        (2, "criado"),
        (3, "criado"),
        (4, "rejeitado"),
        (5, "rejeitado"),
    ]
    assert "login" in report.lines[2].detail.lower()
    assert "repetido" in report.lines[3].detail and "linha 2" in report.lines[3].detail
    ana = Cooperado.objects.get(unimed=unimed, provider_code="100")
    assert (ana.login, ana.crm, ana.cpf, ana.login_email) == (
        "12345SC",
        "12345/SC",
        "52998224725",
        "ana@unimed.example.com.br",
    )
    assert ana.password == ""  # never sets passwords

    again = run(FILE)  # idempotent
    assert again.counts == {"criado": 0, "atualizado": 0, "sem_alteracao": 2, "rejeitado": 2}
    assert Cooperado.objects.filter(unimed=unimed).count() == 2


def test_import_overwrites_a_login_changed_elsewhere_and_keeps_password_and_emails(
    unimed, make_coop
):
    coop = make_coop(unimed, provider_code="100", login="ALTERADO", email_private="p@example.com")
    old_hash = coop.password
    report = run(
        "401;0137;20260115;1\n402;A;100;Ana Souza;12345SC;12345;SC;;PRESTADOR;outro@example.com\n"
    )
    assert report.lines[0].status == "atualizado" and "login" in report.lines[0].detail
    coop.refresh_from_db()
    assert coop.login == "12345SC"
    assert coop.password == old_hash
    assert coop.email_unimed != "outro@example.com"  # the gestor's e-mail stays
    event = AuditEvent.objects.get(action="cooperado.atualizado_pelo_a400", target_id=str(coop.pk))
    assert event.data["alteracoes"]["login"] == ["ALTERADO", "12345SC"]


def test_exclusion_blocks_and_reinclusion_unblocks(unimed, make_coop):
    coop = make_coop(
        unimed,
        provider_code="100",
        login="12345SC",
        full_name="Ana Souza",
        crm_number="12345",
        crm_uf="SC",
    )
    line = "402;{};100;Ana Souza;12345SC;12345;SC;;PRESTADOR;"
    assert run("401;0137;20260115;1\n" + line.format("E")).lines[0].status == "atualizado"
    coop.refresh_from_db()
    assert (coop.situation, coop.block_reason) == (Situation.BLOQUEADO, BlockReason.A400_EXCLUSION)
    assert run("401;0137;20260115;1\n" + line.format("E")).lines[0].status == "sem_alteracao"
    assert run("401;0137;20260115;1\n" + line.format("A")).lines[0].status == "atualizado"
    coop.refresh_from_db()
    assert coop.situation == Situation.ATIVO


def test_login_already_owned_by_another_provider_is_rejected(unimed, make_coop):
    make_coop(unimed, provider_code="200", login="12345SC")
    report = run("401;0137;20260115;1\n402;I;100;Ana;12345SC;12345;SC;;PRESTADOR;\n")
    assert report.lines[0].status == "rejeitado" and "200" in report.lines[0].detail


def test_truncated_file_applies_nothing(unimed):
    with pytest.raises(InvalidInput, match="nada foi aplicado"):
        run(FILE.replace("409;4", "409;9"))
    assert not Cooperado.objects.exists()


def test_gestor_cannot_import_another_unimeds_file(unimed, other_unimed, make_staff):
    from unimeds.models import Role

    actor = actor_for_user(make_staff(other_unimed, Role.GESTOR))
    with pytest.raises(Forbidden):
        run(FILE, actor=actor)
    assert not Cooperado.objects.exists()


def test_unknown_unimed_in_header(db):
    with pytest.raises(InvalidInput, match="não está cadastrada"):
        run(FILE)


def test_management_command(unimed, tmp_path):
    path = tmp_path / "a400.txt"
    path.write_text(FILE, encoding="utf-8")
    from io import StringIO

    out = StringIO()
    call_command("a400_import", str(path), stdout=out)
    text = out.getvalue()
    assert "2 criados" in text and "2 rejeitados" in text and "linha 4" in text
    with pytest.raises(CommandError, match="não encontrado"):
        call_command("a400_import", str(tmp_path / "nao-existe.txt"))
    path.write_text("lixo", encoding="utf-8")
    with pytest.raises(CommandError, match="cabeçalho"):
        call_command("a400_import", str(path))


def test_upload_queues_a_job_whose_page_shows_progress_and_the_report(
    gestor_client, unimed, django_capture_on_commit_callbacks
):
    from cooperados.models import A400ImportJob

    upload = SimpleUploadedFile("a400.txt", FILE.encode("cp1252"), content_type="text/plain")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = gestor_client.post("/painel/cooperados/a400/", {"arquivo": upload})
    job = A400ImportJob.objects.get()
    assert (
        response.status_code == 302 and response["Location"] == f"/painel/cooperados/a400/{job.pk}/"
    )
    assert not Cooperado.objects.exists()  # nothing applied inside the request
    page = gestor_client.get(response["Location"]).content.decode()
    assert "Na fila" in page and "0 de 4 linhas" in page and 'hx-trigger="every 2s"' in page
    assert AuditEvent.objects.filter(action="cooperados.a400_importacao_pedida").exists()

    for callback in queued:  # the worker's turn (tasks run eagerly in tests)
        callback()
    page = gestor_client.get(response["Location"]).content.decode()
    assert "Concluído" in page and "2 criados" in page and "2 rejeitados" in page
    report = gestor_client.get(f"/painel/cooperados/a400/{job.pk}/resultado.csv")
    text = b"".join(report.streaming_content).decode()
    assert text.splitlines()[0] == "linha;resultado;codigo;login;detalhe"
    assert "repetido no arquivo" in text and "5;rejeitado;100" in text
    assert AuditEvent.objects.filter(action="cooperados.a400_importado").count() == 1
    bad = SimpleUploadedFile("a400.txt", b"401;0025;20260101;1\n", content_type="text/plain")
    response = gestor_client.post("/painel/cooperados/a400/", {"arquivo": bad})
    assert response.status_code == 400
    assert "só pode importar o A400 da sua Unimed" in response.content.decode()


def test_an_empty_value_never_erases_a_stored_field(unimed, make_coop):
    """Issue #16: an A400 line with an empty CPF erased the stored CPF."""
    coop = make_coop(
        unimed,
        provider_code="100",
        login="12345SC",
        full_name="Ana Souza",
        crm_number="12345",
        crm_uf="SC",
        cpf="52998224725",
    )
    report = run("401;0137;20260115;1.0\n402;A;100;Ana Souza;12345SC;12345;SC;;PRESTADOR;\n409;1\n")
    assert report.counts["rejeitado"] == 0
    coop.refresh_from_db()
    assert coop.cpf == "52998224725" and coop.full_name == "Ana Souza"
    run("401;0137;20260115;1.0\n402;A;100;Ana Souza Lima;12345SC;12345;SC;;PRESTADOR;\n409;1\n")
    coop.refresh_from_db()
    assert (
        coop.full_name == "Ana Souza Lima" and coop.cpf == "52998224725"
    )  # a real change still applies


def test_a_job_whose_worker_died_is_requeued_and_completes(
    unimed, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    from cooperados.models import A400ImportJob, BulkJobStatus
    from cooperados.services.a400_jobs import a400_import_request, a400_jobs_sweep

    with django_capture_on_commit_callbacks(execute=False):  # the broker lost the task
        job = a400_import_request(actor=system_actor(), chunks=[FILE.encode()], filename="a400.txt")
    long_ago = timezone.now() - timedelta(minutes=30)
    A400ImportJob.objects.filter(pk=job.pk).update(
        status=BulkJobStatus.RUNNING, progress_at=long_ago, created_at=long_ago
    )
    assert a400_jobs_sweep() == 1  # back to the queue, then run (tasks are eager in tests)
    job.refresh_from_db()
    assert job.status == BulkJobStatus.DONE and job.counts["criado"] == 2
    assert a400_jobs_sweep() == 0
    assert Cooperado.objects.filter(unimed=unimed).count() == 2

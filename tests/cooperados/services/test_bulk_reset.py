import pytest

from cooperados.models import BulkJob, BulkJobStatus, Cooperado
from cooperados.services import bulk, bulk_reset_request
from core.errors import InvalidInput
from core.models import AuditEvent
from tests.cooperados.conftest import sign_in
from tests.factories import _password_hash
from unimeds.actors import actor_for_user


def many(unimed, n: int, start: int = 0):
    rows = []
    for i in range(start, start + n):
        c = Cooperado(
            unimed=unimed,
            provider_code=str(100000 + i),
            full_name=f"Pessoa {i}",
            login=f"{100000 + i}SP",
            password=_password_hash(),
        )
        c.sync_derived()
        rows.append(c)
    Cooperado.objects.bulk_create(rows)


def test_dry_run_then_typed_confirmation_then_job_with_progress(
    gestor_client,
    unimed,
    other_unimed,
    api_client,
    password,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    monkeypatch.setattr(bulk, "BATCH_SIZE", 70)  # several batches with a few hundred rows
    many(unimed, 300)
    many(other_unimed, 5, start=1000)
    preview = gestor_client.get("/painel/cooperados/troca-forcada/", {"escopo": "todos"})
    assert preview.status_code == 200 and "<strong>300</strong>" in preview.content.decode()
    assert not Cooperado.objects.filter(
        must_change_password=True
    ).exists()  # the dry run changes nothing

    form = {"escopo": "todos", "reason": "Suspeita de vazamento de senhas", "confirmation": "0025"}
    wrong = gestor_client.post("/painel/cooperados/troca-forcada/", form)
    assert wrong.status_code == 400 and "Digite o código da Unimed (0137)" in wrong.content.decode()
    no_reason = gestor_client.post(
        "/painel/cooperados/troca-forcada/", {**form, "reason": "", "confirmation": "0137"}
    )
    assert no_reason.status_code == 400
    assert not BulkJob.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = gestor_client.post(
            "/painel/cooperados/troca-forcada/", {**form, "confirmation": "0137"}
        )
    job = BulkJob.objects.get()
    assert (
        response.status_code == 302
        and response["Location"] == f"/painel/cooperados/acoes/{job.pk}/"
    )
    assert (job.status, job.total, job.processed, job.percent) == (
        BulkJobStatus.DONE,
        300,
        300,
        100,
    )
    assert Cooperado.objects.filter(unimed=unimed, must_change_password=True).count() == 300
    assert not Cooperado.objects.filter(unimed=other_unimed, must_change_password=True).exists()
    hashes = set(Cooperado.objects.filter(unimed=unimed).values_list("password", flat=True))
    assert hashes == {_password_hash()}  # nobody received a new shared password
    refused = sign_in(api_client, "0137", "100007SP", password)
    assert refused.json()["codigo"] == "troca_de_senha_obrigatoria"

    progress = gestor_client.get(f"/painel/cooperados/acoes/{job.pk}/", HTTP_HX_REQUEST="true")
    assert "300 de 300" in progress.content.decode() and "<html" not in progress.content.decode()
    actions = set(
        AuditEvent.objects.filter(target_type="cooperados.bulkjob").values_list("action", flat=True)
    )
    assert actions == {"cooperados.troca_forcada_pedida", "cooperados.troca_forcada_concluida"}


def test_selection_reaches_only_the_selected(
    gestor_client, unimed, make_coop, django_capture_on_commit_callbacks
):
    a, b, c = make_coop(unimed), make_coop(unimed), make_coop(unimed)
    preview = gestor_client.get("/painel/cooperados/troca-forcada/", {"ids": [a.pk, b.pk]})
    assert "<strong>2</strong>" in preview.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        gestor_client.post(
            "/painel/cooperados/troca-forcada/",
            {"ids": [a.pk, b.pk], "reason": "Pedido da diretoria médica", "confirmation": "0137"},
        )
    assert set(
        Cooperado.objects.filter(must_change_password=True).values_list("pk", flat=True)
    ) == {a.pk, b.pk}
    assert not Cooperado.objects.get(pk=c.pk).must_change_password


def test_another_unimeds_ids_are_not_reached(gestor, unimed, other_unimed, make_coop):
    foreign = make_coop(other_unimed)
    with pytest.raises(InvalidInput, match="Nenhum cooperado"):
        bulk_reset_request(
            actor=actor_for_user(gestor),
            ids=[foreign.pk],
            reason="motivo suficiente",
            confirmation="0137",
        )


def test_job_runs_once(gestor, unimed, make_coop, django_capture_on_commit_callbacks):
    make_coop(unimed)
    job = bulk_reset_request(
        actor=actor_for_user(gestor), reason="motivo suficiente", confirmation="0137"
    )
    assert bulk.bulk_job_run(job_id=job.pk).status == BulkJobStatus.DONE
    again = bulk.bulk_job_run(job_id=job.pk)  # a duplicate message does nothing
    assert again.status == BulkJobStatus.DONE and again.processed == 1
    assert AuditEvent.objects.filter(action="cooperados.troca_forcada_concluida").count() == 1

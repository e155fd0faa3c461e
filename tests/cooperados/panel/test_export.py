from core.models import AuditEvent
from reports.models import ReportJob


def test_export_of_the_search_result_builds_in_the_background(
    gestor_client, unimed, other_unimed, make_coop, django_capture_on_commit_callbacks
):
    make_coop(unimed, full_name="Ana Exportada", cpf="52998224725", login="12345SC")
    make_coop(unimed, full_name="Bia Fora da Busca")
    make_coop(other_unimed, full_name="Ana de Outra Unimed")
    with django_capture_on_commit_callbacks(execute=True):
        response = gestor_client.post(
            "/painel/cooperados/exportar/", {"name": "ana", "formato": "csv"}
        )
    assert response.status_code == 302 and response["Location"] == "/painel/relatorios/"
    job = ReportJob.objects.get()
    assert (job.report_key, job.status, job.rows_written) == ("cooperados", "done", 1)
    download = gestor_client.get(f"/painel/relatorios/{job.pk}/baixar/")
    content = b"".join(download.streaming_content).decode("utf-8-sig")
    assert (
        "Ana Exportada" in content
        and "***.982.247-**" in content
        and "529.982.247-25" not in content
        and "12345SC" in content
    )
    assert "Bia" not in content and "Outra Unimed" not in content
    assert AuditEvent.objects.filter(action="relatorio.baixado").exists()


def test_export_all_in_excel(gestor_client, unimed, make_coop, django_capture_on_commit_callbacks):
    from io import BytesIO

    from openpyxl import load_workbook

    for i in range(3):
        make_coop(unimed, full_name=f"Pessoa {i}")
    with django_capture_on_commit_callbacks(execute=True):
        gestor_client.post(
            "/painel/cooperados/exportar/",
            {"escopo": "todos", "name": "nao-usado", "formato": "xlsx"},
        )
    job = ReportJob.objects.get()
    assert job.status == "done" and job.rows_written == 3
    data = b"".join(gestor_client.get(f"/painel/relatorios/{job.pk}/baixar/").streaming_content)
    rows = list(load_workbook(BytesIO(data), read_only=True).active.iter_rows(values_only=True))
    assert rows[0][2] == "Nome" and sorted(r[2] for r in rows[1:]) == [
        "Pessoa 0",
        "Pessoa 1",
        "Pessoa 2",
    ]


def test_another_unimed_cannot_be_exported_by_a_gestor(gestor_client, other_unimed, make_coop):
    response = gestor_client.post(
        "/painel/cooperados/exportar/", {"unimed": "0025", "formato": "csv"}, follow=True
    )
    assert not ReportJob.objects.exists()
    assert "Unimed não encontrada" in response.content.decode()


def test_a_get_creates_no_export_job(
    gestor_client, unimed, make_coop, django_capture_on_commit_callbacks
):
    """Issue #16: a GET (a link, a prefetch, an <img src>) created an export job."""
    make_coop(unimed, full_name="Ana Exportada")
    with django_capture_on_commit_callbacks(execute=True):
        response = gestor_client.get("/painel/cooperados/exportar/", {"formato": "csv"})
    assert response.status_code == 405 and not ReportJob.objects.exists()


def test_the_list_page_exports_through_a_post_form(gestor_client, unimed, make_coop):
    make_coop(unimed, full_name="Ana Exportada")
    page = gestor_client.get("/painel/cooperados/", {"name": "ana"}).content.decode()
    assert 'method="post" action="/painel/cooperados/exportar/"' in page
    assert 'href="/painel/cooperados/exportar/' not in page

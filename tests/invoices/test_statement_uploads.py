"""Statement uploads in admin run on the task queue (issue 11, finding 5): the upload answers at
once with the upload's record, the worker imports the file in one transaction, and the record
shows the progress and the result, or the message and the element at fault."""

from __future__ import annotations

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.tasks import TaskResultStatus
from django.urls import reverse
from django.utils import timezone

from invoices.models import Payment, PaymentImport, StatementImport
from invoices.tasks import statement_import_process, statement_import_run
from tests.accounts.factories import UserFactory
from tests.conftest import logged_in
from tests.invoices.factories import InvoiceFactory, PaymentFactory
from tests.invoices.test_admin import DATA, upload_and_run

UPLOAD = reverse("admin:invoices_payment_import")
REFRESH = '<meta http-equiv="refresh" content="3">'


@pytest.fixture
def staff_client(staff):
    return logged_in(staff)


@pytest.fixture
def camt() -> bytes:
    return (DATA / "camt053_v02.xml").read_bytes()


def change_url(record: StatementImport) -> str:
    return reverse("admin:invoices_statementimport_change", args=[record.pk])


def test_an_upload_is_queued_then_the_worker_imports_it(
    staff_client, staff, organisation, camt, django_capture_on_commit_callbacks
):
    for number in ("F2026-00100", "F2026-00101", "F2026-00102"):
        InvoiceFactory(organisation=organisation, number=number)
    with django_capture_on_commit_callbacks() as callbacks:
        response = staff_client.post(UPLOAD, {"file": SimpleUploadedFile("juni.xml", camt)})
    record = StatementImport.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == change_url(record)
    # Nothing is imported inside the request: the task is enqueued once the row is committed.
    assert len(callbacks) == 1
    assert (record.status, record.file_name, record.size) == ("queued", "juni.xml", len(camt))
    assert record.uploaded_by == staff
    assert bytes(record.content) == camt
    assert Payment.objects.count() == 0

    page = staff_client.get(change_url(record)).content.decode()
    assert (
        "Het bestand juni.xml is geüpload en wordt geïmporteerd door de achtergrondverwerker."
        in page
    )
    assert "Wacht op de achtergrondverwerker" in page
    assert REFRESH in page  # the page follows the import by itself, without a script

    callbacks[0]()  # the commit: the immediate backend runs the task now
    record.refresh_from_db()
    assert record.status == StatementImport.Status.DONE
    assert (record.entries_total, record.entries_processed) == (6, 6)
    assert (record.added, record.matched, record.unmatched) == (5, 3, 2)
    assert record.payment_import == PaymentImport.objects.get()
    assert record.started_at <= record.finished_at
    assert bytes(record.content) == b""  # the payments hold what the file said
    assert Payment.objects.count() == 5

    page = staff_client.get(change_url(record)).content.decode()
    assert "Klaar" in page
    assert "6 van 6 posten verwerkt" in page
    assert (
        "juni.xml: 6 posten, 5 betalingen toegevoegd (3 gekoppeld aan een factuur, 2 in de "
        "wachtrij voor niet-gekoppelde betalingen), 0 al eerder geïmporteerd, 1 uitgaande "
        "post overgeslagen."
    ) in page
    assert REFRESH not in page
    assert reverse("admin:invoices_paymentimport_change", args=[record.payment_import_id]) in page


def test_a_malformed_file_fails_with_the_element_at_fault_and_stores_nothing(staff_client):
    content = (DATA / "camt053_malformed.xml").read_bytes()
    page = upload_and_run(staff_client, "kapot.xml", content).content.decode()
    record = StatementImport.objects.get()
    assert record.status == StatementImport.Status.FAILED
    assert (record.error, record.error_location) == (
        "'twelve' is geen bedrag.",
        "Stmt[1]/Ntry[2]/Amt",
    )
    assert bytes(record.content) == content  # kept for inspection
    assert record.finished_at is not None
    assert Payment.objects.count() == 0
    assert PaymentImport.objects.count() == 0
    assert "Mislukt" in page
    assert "Er is niets geïmporteerd." in page
    assert "Stmt[1]/Ntry[2]/Amt" in page
    assert "&#x27;twelve&#x27; is geen bedrag." in page
    assert REFRESH not in page


def test_the_error_is_written_in_the_uploaders_language(staff_client):
    english = UserFactory(customer=None, is_staff=True, is_superuser=True, language="en")
    upload_and_run(logged_in(english), "bad.xml", (DATA / "camt053_malformed.xml").read_bytes())
    assert StatementImport.objects.get().error == "'twelve' is not an amount."


def test_the_same_file_again_is_done_and_says_it_was_imported_before(staff_client, camt):
    upload_and_run(staff_client, "juni.xml", camt)
    page = upload_and_run(staff_client, "juni-opnieuw.xml", camt).content.decode()
    again = StatementImport.objects.first()
    assert (again.file_name, again.status, again.duplicate_file) == (
        "juni-opnieuw.xml",
        "done",
        True,
    )
    assert "juni-opnieuw.xml is al eerder geïmporteerd; er is niets toegevoegd." in page
    assert Payment.objects.count() == 5


def test_a_statement_over_the_limit_is_refused_and_nothing_is_queued(staff_client, settings, camt):
    settings.STATEMENT_UPLOAD_MAX_BYTES = len(camt) - 1
    response = staff_client.post(UPLOAD, {"file": SimpleUploadedFile("groot.xml", camt)})
    assert response.status_code == HTTPStatus.OK
    assert "Het bestand is groter dan" in response.content.decode()
    assert StatementImport.objects.count() == 0


def test_the_task_on_the_immediate_backend(staff, camt):
    record = StatementImport.objects.create(
        file_name="juni.xml", content=camt, size=len(camt), uploaded_by=staff
    )
    result = statement_import_process.enqueue(statement_import_id=record.pk)
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == "done"
    record.refresh_from_db()
    assert (record.status, record.added) == ("done", 5)
    # A task enqueued twice imports once: the second finds the upload no longer queued.
    assert statement_import_run(statement_import_id=record.pk) == "skipped"
    assert Payment.objects.count() == 5


def test_an_unexpected_error_fails_the_task_and_the_upload_and_stores_nothing(
    staff, camt, monkeypatch
):
    def broken(**kwargs):
        PaymentFactory(bank_reference="HALF-WAY", invoice=None)
        raise RuntimeError("disk full")

    def one_transaction(**kwargs):
        from django.db import transaction

        with transaction.atomic():
            broken(**kwargs)

    monkeypatch.setattr("invoices.tasks.payment_statement_import", one_transaction)
    record = StatementImport.objects.create(
        file_name="juni.xml", content=camt, size=len(camt), uploaded_by=staff
    )
    result = statement_import_process.enqueue(statement_import_id=record.pk)
    assert result.status == TaskResultStatus.FAILED
    assert result.errors[0].exception_class_path == "builtins.RuntimeError"
    record.refresh_from_db()
    assert record.status == StatementImport.Status.FAILED
    assert record.error == (
        "De import is gestopt door een onverwachte fout (RuntimeError: disk full). "
        "Er is niets geïmporteerd."
    )
    assert record.finished_at is not None
    assert Payment.objects.count() == 0


@pytest.mark.parametrize(
    ("status", "shown"),
    [
        ("queued", "Vastgelopen: geen achtergrondverwerker heeft het bestand opgepakt."),
        ("importing", "Vastgelopen: de achtergrondverwerker stopte tijdens de import"),
    ],
)
def test_an_upload_unfinished_for_over_an_hour_shows_as_stalled(staff_client, staff, status, shown):
    record = StatementImport.objects.create(
        file_name="juni.xml", content=b"x", size=1, uploaded_by=staff, status=status
    )
    long_ago = timezone.now() - timedelta(hours=1, minutes=1)
    started = long_ago if status == "importing" else None
    StatementImport.objects.filter(pk=record.pk).update(uploaded_at=long_ago, started_at=started)
    page = staff_client.get(change_url(record)).content.decode()
    assert shown in page
    assert REFRESH not in page  # nothing to wait for
    changelist = staff_client.get(reverse("admin:invoices_statementimport_changelist"))
    assert shown in changelist.content.decode()
    upload_page = staff_client.get(UPLOAD).content.decode()
    assert "juni.xml</a>" in upload_page
    assert "Vastgelopen" in upload_page


def test_an_upload_running_for_less_than_an_hour_is_not_stalled(staff_client, staff):
    record = StatementImport.objects.create(
        file_name="juni.xml",
        size=1,
        uploaded_by=staff,
        status="importing",
        started_at=timezone.now() - timedelta(minutes=59),
        entries_total=15000,
    )
    page = staff_client.get(change_url(record)).content.decode()
    assert "Bezig met importeren" in page
    assert (
        "15000 posten in het bestand, die in één transactie worden geïmporteerd: ze verschijnen "
        "allemaal tegelijk"
    ) in page
    assert REFRESH in page


def test_the_upload_records_are_read_only(staff_client, staff, camt, django_assert_max_num_queries):
    upload_and_run(staff_client, "juni.xml", camt)
    upload_and_run(staff_client, "kapot.xml", (DATA / "camt053_malformed.xml").read_bytes())
    record = StatementImport.objects.first()
    changelist = reverse("admin:invoices_statementimport_changelist")
    with django_assert_max_num_queries(12):
        response = staff_client.get(changelist)
    assert response.status_code == HTTPStatus.OK
    assert [r.file_name for r in response.context["cl"].result_list] == ["kapot.xml", "juni.xml"]
    # The kept bytes of a failed upload are not read for the list.
    assert response.context["cl"].result_list[0].get_deferred_fields() == {"content"}
    with django_assert_max_num_queries(12):
        response = staff_client.get(change_url(record))
    assert response.status_code == HTTPStatus.OK
    assert "Opslaan" not in response.content.decode()  # view only: no save button
    response = staff_client.post(change_url(record), {"file_name": "other.xml"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    add = reverse("admin:invoices_statementimport_add")
    assert staff_client.get(add).status_code == HTTPStatus.FORBIDDEN
    delete = reverse("admin:invoices_statementimport_delete", args=[record.pk])
    assert staff_client.post(delete, {"post": "yes"}).status_code == HTTPStatus.FORBIDDEN
    record.refresh_from_db()
    assert record.file_name == "kapot.xml"
    # The upload page lists the recent uploads with a link to each.
    upload_page = staff_client.get(UPLOAD).content.decode()
    assert f'<a href="{change_url(record)}">kapot.xml</a>' in upload_page


def test_only_staff_reach_the_uploads(viewer_client, camt):
    for url in (UPLOAD, reverse("admin:invoices_statementimport_changelist")):
        response = viewer_client.get(url)
        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"].startswith(reverse("admin:login"))
    response = viewer_client.post(UPLOAD, {"file": SimpleUploadedFile("juni.xml", camt)})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("admin:login"))
    assert StatementImport.objects.count() == 0


def test_staff_need_the_add_permission_to_upload(db, camt):
    clerk = UserFactory(customer=None, is_staff=True)
    client = logged_in(clerk)
    assert client.get(UPLOAD).status_code == HTTPStatus.FORBIDDEN
    response = client.post(UPLOAD, {"file": SimpleUploadedFile("juni.xml", camt)})
    assert response.status_code == HTTPStatus.FORBIDDEN
    changelist = reverse("admin:invoices_statementimport_changelist")
    assert client.get(changelist).status_code == HTTPStatus.FORBIDDEN

    clerk.user_permissions.add(Permission.objects.get(codename="view_statementimport"))
    client = logged_in(clerk)
    assert client.get(changelist).status_code == HTTPStatus.OK
    assert client.get(UPLOAD).status_code == HTTPStatus.FORBIDDEN

    clerk.user_permissions.add(Permission.objects.get(codename="add_statementimport"))
    client = logged_in(clerk)
    assert client.get(UPLOAD).status_code == HTTPStatus.OK
    response = client.post(UPLOAD, {"file": SimpleUploadedFile("juni.xml", camt)})
    assert response.status_code == HTTPStatus.FOUND
    assert StatementImport.objects.get().uploaded_by == clerk


def test_the_command_still_imports_synchronously(db, tmp_path, camt):
    from django.core.management import call_command

    path = tmp_path / "juni.xml"
    path.write_bytes(camt)
    call_command("import_payments", str(path), stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Payment.objects.count() == 5
    assert StatementImport.objects.count() == 0  # no upload record, no task


def test_a_run_interrupted_by_a_database_outage_is_taken_up_again_by_the_same_task(staff, camt):
    """run_worker puts a task interrupted by an outage back on the queue: the same task id
    finds its upload still "importing" (the import was rolled back) and imports it; another
    task leaves it alone."""
    record = StatementImport.objects.create(
        file_name="juni.xml",
        content=camt,
        size=len(camt),
        uploaded_by=staff,
        status=StatementImport.Status.IMPORTING,
        started_at=timezone.now(),
        task_id="task-1",
        entries_total=6,
    )
    assert statement_import_run(statement_import_id=record.pk, task_id="task-2") == "skipped"
    assert statement_import_run(statement_import_id=record.pk) == "skipped"
    assert Payment.objects.count() == 0
    assert statement_import_run(statement_import_id=record.pk, task_id="task-1") == "done"
    record.refresh_from_db()
    assert (record.status, record.added, record.entries_processed) == ("done", 5, 6)


def test_the_task_records_its_id(staff, camt):
    record = StatementImport.objects.create(
        file_name="juni.xml", content=camt, size=len(camt), uploaded_by=staff
    )
    result = statement_import_process.enqueue(statement_import_id=record.pk)
    record.refresh_from_db()
    assert record.task_id == result.id


@pytest.mark.parametrize("unmatched", [0, 2])
def test_the_record_links_its_import_and_the_unmatched_queue(staff_client, staff, unmatched):
    # The link is written by a template (admin/invoices/statementimport/_payment_import_link
    # .html): the file name escaped, the queue only when payments are waiting in it.
    name = '<b>"juni"</b>&.xml'
    payment_import = PaymentImport.objects.create(file_name=name, sha256="a" * 64, format="camt053")
    record = StatementImport.objects.create(
        file_name=name,
        size=1,
        uploaded_by=staff,
        status="done",
        payment_import=payment_import,
        unmatched=unmatched,
    )
    page = staff_client.get(change_url(record)).content.decode()
    link = (
        f'<a href="{reverse("admin:invoices_paymentimport_change", args=[payment_import.pk])}">'
        "&lt;b&gt;&quot;juni&quot;&lt;/b&gt;&amp;.xml</a>"
    )
    queue = (
        f' · <a href="{reverse("admin:invoices_payment_changelist")}?matched=no">'
        "Wachtrij niet-gekoppeld</a>"
    )
    assert link in page
    assert (link + queue in page) == bool(unmatched)
    assert "<b>" not in page

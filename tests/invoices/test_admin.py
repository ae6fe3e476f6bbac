"""Staff admin: invoices with filters and file upload, payments, the unmatched queue (R24)."""

from __future__ import annotations

from datetime import date
from http import HTTPStatus
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from invoices.models import Invoice, Payment
from tests.conftest import logged_in
from tests.invoices.factories import (
    BillingAddressFactory,
    CreditInvoiceFactory,
    InvoiceFactory,
    PaymentFactory,
    pdf_bytes,
)

DATA = Path(__file__).parent / "data"


@pytest.fixture
def staff_client(staff):
    return logged_in(staff)


def upload_and_run(client, file_name: str, content: bytes):
    """Uploads a statement in admin, lets the task (immediate backend) import it once the
    upload is committed, and answers the upload's record page."""
    from django.test.testcases import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("admin:invoices_payment_import"),
            {"file": SimpleUploadedFile(file_name, content)},
        )
    assert response.status_code == HTTPStatus.FOUND, response.content[:2000]
    return client.get(response["Location"])


def test_invoice_changelist_filters_and_search(staff_client, organisation, other_organisation):
    paid = InvoiceFactory(organisation=organisation, number="F2026-00001")
    PaymentFactory(invoice=paid, amount=paid.amount_incl_vat)
    InvoiceFactory(organisation=other_organisation, number="F2026-00002")
    url = reverse("admin:invoices_invoice_changelist")
    assert staff_client.get(url).status_code == HTTPStatus.OK
    response = staff_client.get(url, {"status": "paid"})
    assert list(response.context["cl"].result_list) == [paid]
    response = staff_client.get(url, {"organisation__id__exact": other_organisation.pk})
    assert [i.number for i in response.context["cl"].result_list] == ["F2026-00002"]
    # The full number: a bare "00002" may also be part of a sequence-made debtor number.
    response = staff_client.get(url, {"q": "F2026-00002", "kind__exact": "invoice"})
    assert [i.number for i in response.context["cl"].result_list] == ["F2026-00002"]


def test_invoice_changelist_filters_by_year_from_the_oldest_to_the_newest(
    staff_client, organisation
):
    for number, day in (("F2024-1", date(2024, 12, 31)), ("F2026-1", date(2026, 1, 1))):
        InvoiceFactory(organisation=organisation, number=number, invoice_date=day)
    url = reverse("admin:invoices_invoice_changelist")
    response = staff_client.get(url)
    specs = response.context["cl"].filter_specs
    years = next(f for f in specs if getattr(f, "parameter_name", None) == "year")
    assert [value for value, _label in years.lookup_choices] == ["2026", "2025", "2024"]
    response = staff_client.get(url, {"year": "2024"})
    assert [i.number for i in response.context["cl"].result_list] == ["F2024-1"]
    # A value no date can hold is the admin's "invalid filter" answer, not a 500.
    for wrong in ("0", "9999", "²", "20x4"):
        response = staff_client.get(url, {"year": wrong})
        assert response.status_code == HTTPStatus.FOUND, wrong
        assert response["Location"].endswith("?e=1")


@pytest.mark.parametrize("count", [3, 60])
def test_invoice_changelist_runs_a_fixed_number_of_queries(
    staff_client, organisation, count, django_assert_num_queries
):
    for n in range(count):
        InvoiceFactory(organisation=organisation, number=f"F2026-{n:05d}")
    url = reverse("admin:invoices_invoice_changelist")
    staff_client.get(url)
    # session, memberships (none: staff), user, payments come due, the organisation filter's
    # choices, the oldest and the newest date (the years), the count (the sum of the stored
    # counts), the page's rows
    with django_assert_num_queries(9) as queries:
        response = staff_client.get(url)
    assert response.context["cl"].result_count == count
    assert not [
        q for q in queries.captured_queries if 'COUNT(*) AS "__count" FROM "invoices' in q["sql"]
    ]
    # A filtered list counts its rows.
    response = staff_client.get(url, {"q": "F2026-00001"})
    assert response.context["cl"].result_count == 1


def test_invoice_changelist_filters_settled_credits(staff_client, organisation):
    invoice = InvoiceFactory(organisation=organisation)
    settled = CreditInvoiceFactory(organisation=organisation, corrects=invoice)
    url = reverse("admin:invoices_invoice_changelist")
    response = staff_client.get(url, {"status": "settled"})
    assert list(response.context["cl"].result_list) == [settled]
    content = response.content.decode()
    assert "?status=settled" in content  # offered in the filter
    assert '<td class="field-status_display">Verrekend</td>' in content


def test_staff_add_an_invoice_with_its_pdf_and_the_address_is_copied(staff_client, organisation):
    BillingAddressFactory(organisation=organisation, city="Haarlem")
    response = staff_client.post(
        reverse("admin:invoices_invoice_add"),
        {
            "organisation": organisation.pk,
            "number": "f2026-00077",
            "kind": "invoice",
            "invoice_date": "2026-03-01",
            "due_date": "2026-03-31",
            "amount_excl_vat": "100.00",
            "vat_amount": "21.00",
            "amount_incl_vat": "121.00",
            "currency": "EUR",
            "file": SimpleUploadedFile("x.pdf", pdf_bytes(), "application/pdf"),
        },
    )
    assert response.status_code == HTTPStatus.FOUND, response.content[:2000]
    invoice = Invoice.objects.get(number="F2026-00077")
    assert invoice.billing_city == "Haarlem"
    assert invoice.file


def test_admin_refuses_a_file_that_is_not_a_pdf(staff_client, organisation):
    invoice = InvoiceFactory(organisation=organisation)
    url = reverse("admin:invoices_invoice_change", args=[invoice.pk])
    response = staff_client.post(
        url, {"file": SimpleUploadedFile("x.pdf", b"GIF89a", "application/pdf")}
    )
    assert response.status_code == HTTPStatus.OK
    assert response.context["adminform"].form.errors["file"]
    response = staff_client.post(
        url, {"file": SimpleUploadedFile("x.pdf", pdf_bytes(), "application/pdf")}
    )
    assert response.status_code == HTTPStatus.FOUND
    invoice.refresh_from_db()
    assert invoice.file


def test_invoices_cannot_be_deleted_in_admin(staff_client, organisation):
    invoice = InvoiceFactory(organisation=organisation)
    response = staff_client.post(
        reverse("admin:invoices_invoice_delete", args=[invoice.pk]), {"post": "yes"}
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert Invoice.objects.filter(pk=invoice.pk).exists()


def test_statement_upload_then_unmatched_queue_then_link(staff_client, organisation):
    target = InvoiceFactory(organisation=organisation, number="F2026-00102")
    InvoiceFactory(organisation=organisation, number="F2026-00100")
    InvoiceFactory(organisation=organisation, number="F2026-00101")
    upload_url = reverse("admin:invoices_payment_import")
    assert staff_client.get(upload_url).status_code == HTTPStatus.OK
    content = (DATA / "camt053_v02.xml").read_bytes()
    # The import runs on the task queue once the upload is committed (immediate in tests);
    # the upload redirects to its record, which shows the result.
    response = upload_and_run(staff_client, "camt053_v02.xml", content)
    assert "5 betalingen toegevoegd" in response.content.decode()
    response = upload_and_run(staff_client, "camt053_v02.xml", content)
    assert "al eerder geïmporteerd" in response.content.decode()
    response = upload_and_run(
        staff_client, "bad.xml", (DATA / "camt053_malformed.xml").read_bytes()
    )
    assert "Stmt[1]/Ntry[2]/Amt" in response.content.decode()

    changelist = reverse("admin:invoices_payment_changelist")
    queue = staff_client.get(changelist, {"matched": "no"}).context["cl"].result_list
    assert {p.bank_reference for p in queue} == {
        "ABN-20260306-0003",
        "ABN-20260306-0006/ABN-20260306-0006-B",
    }

    unmatched = Payment.objects.get(bank_reference="ABN-20260306-0003")
    data = {"action": "link_to_invoice", "_selected_action": [unmatched.pk]}
    form_page = staff_client.post(changelist, data)
    assert form_page.status_code == HTTPStatus.OK
    assert "invoice_number" in form_page.content.decode()
    wrong = staff_client.post(changelist, {**data, "apply": "1", "invoice_number": "NOPE"})
    assert wrong.context["form"].errors
    staff_client.post(changelist, {**data, "apply": "1", "invoice_number": "f2026-00102"})
    unmatched.refresh_from_db()
    assert unmatched.invoice == target
    assert unmatched.matched_by == Payment.MatchedBy.STAFF


def test_linking_a_mixed_currency_selection_links_nothing_and_says_why(staff_client, organisation):
    """Before: a dollar payment among the selection answered 500 after the euro payment
    before it had already been linked."""
    invoice = InvoiceFactory(organisation=organisation, number="F2026-00102")
    euros = PaymentFactory(invoice=None, bank_reference="EUR-1", amount="121.00")
    dollars = PaymentFactory(invoice=None, bank_reference="USD-1", currency="USD", amount="130.00")
    changelist = reverse("admin:invoices_payment_changelist")
    data = {
        "action": "link_to_invoice",
        "_selected_action": [euros.pk, dollars.pk],
        "apply": "1",
        "invoice_number": "F2026-00102",
    }
    response = staff_client.post(changelist, data)
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["invoice_number"] == [
        "Er is niets gekoppeld: factuur F2026-00102 is in EUR en deze betaling niet: "
        "USD-1 (USD 130.00)."
    ]
    assert "Er is niets gekoppeld" in response.content.decode()
    euros.refresh_from_db()
    dollars.refresh_from_db()
    assert (euros.invoice, dollars.invoice) == (None, None)

    data["_selected_action"] = [euros.pk]
    response = staff_client.post(changelist, data, follow=True)
    assert "1 betaling gekoppeld aan factuur F2026-00102." in response.content.decode()
    euros.refresh_from_db()
    assert euros.invoice == invoice


def test_portal_users_cannot_reach_the_admin(viewer_client):
    response = viewer_client.get(reverse("admin:invoices_payment_import"))
    assert response.status_code == HTTPStatus.FOUND


def test_a_statement_over_the_upload_limit_is_refused_and_stores_nothing(staff_client, settings):
    from invoices.models import PaymentImport

    content = (DATA / "camt053_v02.xml").read_bytes()
    settings.STATEMENT_UPLOAD_MAX_BYTES = len(content) - 1
    response = staff_client.post(
        reverse("admin:invoices_payment_import"),
        {"file": SimpleUploadedFile("camt053_v02.xml", content)},
    )
    assert response.status_code == HTTPStatus.OK
    limit = f"{(len(content) - 1) / 1_000_000:g}"
    assert (
        f"Het bestand is groter dan {limit} MB. Splits het, of importeer het met "
        "manage.py import_payments."
    ) in response.content.decode()
    assert PaymentImport.objects.count() == 0


def test_by_default_the_upload_takes_5_mb_and_refuses_a_byte_more(
    staff_client, django_capture_on_commit_callbacks
):
    from invoices.models import StatementImport

    statement = (DATA / "camt053_v02.xml").read_bytes()
    at_limit = statement + b" " * (5_000_000 - len(statement))
    upload = reverse("admin:invoices_payment_import")

    response = staff_client.post(upload, {"file": SimpleUploadedFile("groot.xml", at_limit + b" ")})
    assert (
        "Het bestand is groter dan 5 MB. Splits het, of importeer het met "
        "manage.py import_payments."
    ) in response.content.decode()
    assert StatementImport.objects.count() == 0

    with django_capture_on_commit_callbacks():  # queued; the worker is not needed here
        response = staff_client.post(upload, {"file": SimpleUploadedFile("groot.xml", at_limit)})
    assert response.status_code == HTTPStatus.FOUND
    assert StatementImport.objects.get().size == 5_000_000

"""Records that are only read in admin: one mixin refuses their writes, superusers included."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from audit.models import AuditEvent
from billing_address.models import BillingAddressChange
from core.admin_tools import ReadOnlyAdminMixin
from invoices.models import PaymentImport, StatementImport
from outbox.models import OutgoingEmail
from tests.audit.factories import AuditEventFactory
from tests.conftest import logged_in
from tests.invoices.factories import BillingAddressFactory
from users.models import UserRemoval

pytestmark = pytest.mark.django_db

ALL = frozenset({"add", "change", "delete"})
OUR_APPS = {"accounts", "audit", "billing_address", "invoices", "outbox", "portal", "users"}

# What admin refuses to a superuser, per admin page of the portal's apps (inlines as
# "Parent > Inline model"); every page not named here refuses nothing.
REFUSED = {
    "audit.AuditEvent": ALL,  # the log is append-only; only the prune command removes
    "users.UserRemoval": ALL,  # staff keep the record of every removal
    "invoices.PaymentImport": ALL,  # written by the import
    "invoices.StatementImport": ALL,  # written by the upload and its task
    "billing_address.BillingAddress > billing_address.BillingAddressChange": ALL,  # history
    "outbox.OutgoingEmail": frozenset({"add", "change"}),  # old mails may be deleted
    "accounts.Membership": frozenset({"delete"}),  # a removal asks a reason
    "accounts.LoginSession": frozenset({"add"}),  # sessions begin by logging in
    "invoices.Invoice": frozenset({"delete"}),  # invoices are never deleted
    "invoices.Payment": frozenset({"add", "delete"}),  # booked bank entries, from statements
    "billing_address.BillingAddress": frozenset({"delete"}),  # invoices copy the address
}


def _pages(request):
    """Every admin page of the portal's apps and its inlines, named as in ``REFUSED``."""
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in OUR_APPS:
            continue
        yield model._meta.label, model_admin, ()
        for inline in model_admin.get_inline_instances(request):
            yield f"{model._meta.label} > {inline.model._meta.label}", inline, (None,)


@pytest.fixture
def superuser_request(staff):
    request = RequestFactory().get("/admin/")
    request.user = staff
    return request


def test_what_admin_refuses_a_superuser(superuser_request):
    refused = {}
    for name, page, args in _pages(superuser_request):
        denied = {
            permission
            for permission in sorted(ALL)
            if not getattr(page, f"has_{permission}_permission")(superuser_request, *args)
        }
        if denied:
            refused[name] = denied
    assert refused == REFUSED


def test_every_refusal_comes_from_the_one_mixin(superuser_request):
    """No admin page writes its own ``has_*_permission`` that answers False: the mixin
    names what is refused."""
    for name, page, _args in _pages(superuser_request):
        if name in REFUSED:
            assert isinstance(page, ReadOnlyAdminMixin), name
            assert page.refused_permissions == REFUSED[name], name
        for permission in ALL:
            method = f"has_{permission}_permission"
            defined_in = next(klass for klass in type(page).__mro__ if method in vars(klass))
            assert defined_in.__module__.startswith(("django.", "core.admin_tools")), (
                f"{name}: {defined_in.__qualname__}.{method}"
            )


@pytest.fixture
def read_only_records(staff, organisation):
    address = BillingAddressFactory(organisation=organisation)
    return {
        AuditEvent: AuditEventFactory(organisation=organisation),
        UserRemoval: UserRemoval.objects.create(
            user_email="weg@rodelente.example",
            user_name="Wim Weg",
            customer=organisation.customer,
            organisation=organisation,
            kind="organisation",
            role="viewer",
            reason="Vertrokken",
            removed_by=staff,
            removed_by_email=staff.email,
        ),
        PaymentImport: PaymentImport.objects.create(
            file_name="afschrift.xml", sha256="a" * 64, format="camt053"
        ),
        StatementImport: StatementImport.objects.create(file_name="afschrift.xml"),
        BillingAddressChange: BillingAddressChange.objects.create(
            address=address, version=1, before={}, after={"city": "Gouda"}
        ),
        OutgoingEmail: OutgoingEmail.objects.create(
            kind="welcome", to="nina@rodelente.example", subject="Welkom", body_text="Hallo"
        ),
    }


@pytest.mark.parametrize(
    "model",
    [AuditEvent, UserRemoval, PaymentImport, StatementImport],
    ids=lambda model: model._meta.label,
)
def test_a_superuser_cannot_add_change_or_delete_a_read_only_record(
    staff, read_only_records, model
):
    record = read_only_records[model]
    client = logged_in(staff)
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    before = model.objects.values().get(pk=record.pk)

    assert client.get(reverse(f"{name}_add")).status_code == HTTPStatus.FORBIDDEN
    assert client.post(reverse(f"{name}_add"), {}).status_code == HTTPStatus.FORBIDDEN
    change = client.post(reverse(f"{name}_change", args=[record.pk]), {"file_name": "x"})
    assert change.status_code == HTTPStatus.FORBIDDEN
    delete = client.post(reverse(f"{name}_delete", args=[record.pk]), {"post": "yes"})
    assert delete.status_code == HTTPStatus.FORBIDDEN
    changelist = client.get(reverse(f"{name}_changelist"))
    assert changelist.status_code == HTTPStatus.OK
    assert 'value="delete_selected"' not in changelist.content.decode()  # no bulk delete
    # Reading stays possible; the record is as it was.
    assert client.get(reverse(f"{name}_change", args=[record.pk])).status_code == HTTPStatus.OK
    assert model.objects.values().get(pk=record.pk) == before


def test_mails_may_be_deleted_but_not_added_or_changed(staff, read_only_records):
    mail = read_only_records[OutgoingEmail]
    client = logged_in(staff)
    assert client.get(reverse("admin:outbox_outgoingemail_add")).status_code == (
        HTTPStatus.FORBIDDEN
    )
    changed = client.post(reverse("admin:outbox_outgoingemail_change", args=[mail.pk]), {})
    assert changed.status_code == HTTPStatus.FORBIDDEN
    changelist = client.get(reverse("admin:outbox_outgoingemail_changelist"))
    assert 'value="delete_selected"' in changelist.content.decode()
    deleted = client.post(
        reverse("admin:outbox_outgoingemail_delete", args=[mail.pk]), {"post": "yes"}
    )
    assert deleted.status_code == HTTPStatus.FOUND
    assert not OutgoingEmail.objects.filter(pk=mail.pk).exists()


def test_the_billing_address_history_is_shown_without_an_add_or_delete_box(
    staff, read_only_records
):
    change = read_only_records[BillingAddressChange]
    response = logged_in(staff).get(
        reverse("admin:billing_address_billingaddress_change", args=[change.address_id])
    )
    assert response.status_code == HTTPStatus.OK
    content = response.content.decode()
    assert "Gouda" in content
    assert "-0-DELETE" not in content  # no delete box
    assert "Add another" not in content

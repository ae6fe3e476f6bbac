"""Django admin writes access only through the users services (R13-R20, R24)."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.models import Membership, User
from audit.models import AuditEvent
from outbox.models import OutgoingEmail
from tests.accounts.factories import MembershipFactory
from tests.conftest import logged_in
from tests.users.factories import JobFunctionFactory
from users.models import UserRemoval

pytestmark = pytest.mark.django_db

LAST_ADMIN_NL = (
    "Ruud Coon is de laatste Admin van Rode Lente. Een organisatie houdt altijd minstens één "
    "Admin: maak eerst iemand anders Admin."
)


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _form_data(response) -> dict:
    """What the browser would post back from an admin change page, unchanged."""
    data = {}

    def add(form):
        for name, field in form.fields.items():
            if field.disabled:
                continue
            value = form[name].value()
            key = form.add_prefix(name)
            if name == "date_joined":
                data[f"{key}_0"], data[f"{key}_1"] = value.strftime("%Y-%m-%d"), "10:00:00"
            elif isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif isinstance(value, list):
                data[key] = [str(v) for v in value]
            elif value is not None and name != "password":
                data[key] = str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name, value in formset.management_form.initial.items():
            data[formset.management_form.add_prefix(name)] = str(value)
        for form in formset.forms:
            add(form)
    return data


@pytest.fixture
def staff_client(staff):
    return logged_in(staff)


# --- Membership admin ----------------------------------------------------------------------


def test_demoting_the_last_admin_in_membership_admin_is_refused(staff_client, admin, organisation):
    membership = admin.memberships.get(organisation=organisation)
    url = reverse("admin:accounts_membership_change", args=[membership.pk])
    response = staff_client.post(url, {"role": "viewer", "security_contact": "on"}, follow=True)
    assert response.status_code == HTTPStatus.OK
    assert LAST_ADMIN_NL in _messages(response)
    membership.refresh_from_db()
    assert (membership.role, membership.security_contact) == ("admin", False)
    assert not AuditEvent.objects.exists()


def test_a_role_change_in_membership_admin_goes_through_the_service(staff_client, staff, viewer):
    membership = viewer.memberships.get()
    url = reverse("admin:accounts_membership_change", args=[membership.pk])
    response = staff_client.post(url, {"role": "admin"})
    assert response.status_code == HTTPStatus.FOUND
    membership.refresh_from_db()
    assert membership.role == "admin"
    event = AuditEvent.objects.get(action=AuditEvent.Action.ACCESS_CHANGED)
    assert (event.actor, event.before, event.after) == (
        staff,
        {"role": "viewer"},
        {"role": "admin"},
    )


def test_adding_access_in_membership_admin_goes_through_the_service(
    staff_client, staff, second_organisation, support_user
):
    response = staff_client.post(
        reverse("admin:accounts_membership_add"),
        {"user": support_user.pk, "organisation": second_organisation.pk, "kind": "support"},
    )
    # One Mijn support organisation only: refused, nothing stored.
    assert response.status_code == HTTPStatus.OK
    assert support_user.memberships.count() == 1

    response = staff_client.post(
        reverse("admin:accounts_membership_add"),
        {
            "user": support_user.pk,
            "organisation": second_organisation.pk,
            "kind": "organisation",
            "role": "viewer",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    granted = AuditEvent.objects.get(action=AuditEvent.Action.ACCESS_GRANTED)
    assert (granted.actor, granted.organisation) == (staff, second_organisation)


def test_plain_delete_is_disabled(staff_client, viewer):
    membership = viewer.memberships.get()
    response = staff_client.get(reverse("admin:accounts_membership_delete", args=[membership.pk]))
    assert response.status_code == HTTPStatus.FORBIDDEN
    changelist = staff_client.get(reverse("admin:accounts_membership_changelist"))
    actions = [name for name, _label in changelist.context["action_form"].fields["action"].choices]
    assert "delete_selected" not in actions
    assert "remove_access" in actions


def test_remove_access_asks_a_reason_first(staff_client, viewer):
    membership = viewer.memberships.get()
    url = reverse("admin:accounts_membership_changelist")
    selection = {"action": "remove_access", "_selected_action": [membership.pk]}
    response = staff_client.post(url, selection)
    assert response.status_code == HTTPStatus.OK
    assert "Reden" in response.content.decode()
    assert "Anne van Amersfoort" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()

    response = staff_client.post(url, selection | {"confirm": "yes", "reason": ""})
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors == {"reason": ["Dit veld is verplicht."]}
    assert Membership.objects.filter(pk=membership.pk).exists()

    response = staff_client.post(
        url, selection | {"confirm": "yes", "reason": "Vertrokken"}, follow=True
    )
    assert "1 toegang verwijderd." in _messages(response)
    assert not Membership.objects.filter(pk=membership.pk).exists()
    removal = UserRemoval.objects.get()
    assert (removal.reason, removal.deactivated, removal.user) == ("Vertrokken", False, viewer)
    assert OutgoingEmail.objects.filter(kind="access_removed", to="csm@vendor.example").exists()


def test_remove_access_of_the_last_admin_is_refused(staff_client, admin, organisation):
    membership = admin.memberships.get(organisation=organisation)
    response = staff_client.post(
        reverse("admin:accounts_membership_changelist"),
        {
            "action": "remove_access",
            "_selected_action": [membership.pk],
            "confirm": "yes",
            "reason": "Weg",
        },
        follow=True,
    )
    assert f"{membership}: {LAST_ADMIN_NL}" in _messages(response)
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert not UserRemoval.objects.exists()


def test_remove_page_for_one_access_deactivates_altogether(
    staff_client, organisation, second_organisation, viewer
):
    MembershipFactory(user=viewer, organisation=second_organisation, kind="support", role=None)
    membership = viewer.memberships.get(kind="organisation")
    url = reverse("admin:accounts_membership_remove", args=[membership.pk])
    assert staff_client.get(url).status_code == HTTPStatus.OK
    response = staff_client.post(
        url, {"confirm": "yes", "reason": "Uit dienst", "deactivate": "on"}, follow=True
    )
    assert "1 persoon helemaal gedeactiveerd." in _messages(response)
    viewer.refresh_from_db()
    assert not viewer.is_active
    assert not viewer.memberships.exists()
    assert UserRemoval.objects.get().deactivated


# --- the user page's inline ----------------------------------------------------------------


def test_demoting_the_last_admin_on_the_user_page_is_refused(staff_client, admin, organisation):
    url = reverse("admin:accounts_user_change", args=[admin.pk])
    data = _form_data(staff_client.get(url))
    index = next(
        i
        for i in range(int(data["memberships-TOTAL_FORMS"]))
        if data[f"memberships-{i}-id"] == str(admin.memberships.get(organisation=organisation).pk)
    )
    data[f"memberships-{index}-role"] = "viewer"
    data["first_name"] = "Ruudje"
    response = staff_client.post(url, data, follow=True)
    assert LAST_ADMIN_NL.replace("Ruud", "Ruudje") in _messages(response)
    admin.refresh_from_db()
    # The whole page was rolled back, the name change too.
    assert admin.first_name == "Ruud"
    assert admin.memberships.get(organisation=organisation).role == "admin"


def test_adding_access_on_the_user_page_goes_through_the_service(
    staff_client, staff, customer, second_organisation, viewer
):
    url = reverse("admin:accounts_user_change", args=[viewer.pk])
    data = _form_data(staff_client.get(url))
    total = int(data["memberships-TOTAL_FORMS"])
    data["memberships-TOTAL_FORMS"] = str(total + 1)
    data |= {
        f"memberships-{total}-user": str(viewer.pk),
        f"memberships-{total}-organisation": str(second_organisation.pk),
        f"memberships-{total}-kind": "support",
        f"memberships-{total}-security_contact": "on",
    }
    response = staff_client.post(url, data)
    assert response.status_code == HTTPStatus.FOUND
    added = viewer.memberships.get(organisation=second_organisation)
    assert (added.kind, added.role, added.security_contact) == ("support", None, True)
    granted = AuditEvent.objects.get(action=AuditEvent.Action.ACCESS_GRANTED)
    assert granted.actor == staff


def test_the_user_page_has_no_delete_box_but_a_remove_link(staff_client, viewer):
    response = staff_client.get(reverse("admin:accounts_user_change", args=[viewer.pk]))
    content = response.content.decode()
    assert "memberships-0-DELETE" not in content
    membership = viewer.memberships.get()
    assert reverse("admin:accounts_membership_remove", args=[membership.pk]) in content
    assert "Toegang verwijderen…" in content


def test_the_user_page_shows_function_and_phones(staff_client, viewer):
    response = staff_client.get(reverse("admin:accounts_user_change", args=[viewer.pk]))
    form = response.context["adminform"].form
    assert {"job_function", "job_title", "phone", "mobile"} <= set(form.fields)


def test_only_active_functions_can_be_picked_in_admin(staff_client, viewer):
    active = JobFunctionFactory(name_nl="Controller", name_en="Controller")
    JobFunctionFactory(name_nl="Oud", name_en="Old", active=False)
    response = staff_client.get(reverse("admin:accounts_user_change", args=[viewer.pk]))
    queryset = response.context["adminform"].form.fields["job_function"].queryset
    assert list(queryset) == [active]


def test_the_welcome_action_stays(staff_client):
    changelist = staff_client.get(reverse("admin:accounts_user_changelist"))
    actions = [name for name, _label in changelist.context["action_form"].fields["action"].choices]
    assert "send_welcome" in actions


# --- security/privacy contacts ---------------------------------------------------------------


@pytest.fixture
def contacts(organisation, second_organisation, other_organisation):
    MembershipFactory(
        organisation=organisation,
        security_contact=True,
        user__first_name="Sec",
        user__last_name="Urity",
        user__email="sec@rodelente.example",
        user__phone="+31201234567",
        user__mobile="+32470123456",
    )
    MembershipFactory(
        organisation=second_organisation,
        security_contact=True,
        user__first_name="=Evil",
        user__last_name="Name",
        user__email="evil@rodelente.example",
    )
    MembershipFactory(organisation=organisation, security_contact=False)
    MembershipFactory(
        organisation=organisation,
        security_contact=True,
        user__is_active=False,
        user__email="gone@rodelente.example",
    )
    MembershipFactory(organisation=other_organisation, security_contact=True)


def _csv(response) -> str:
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return b"".join(response.streaming_content).decode("utf-8")


def test_export_security_contacts_of_a_customer(staff_client, customer, contacts):
    response = staff_client.post(
        reverse("admin:accounts_customer_changelist"),
        {"action": "export_security_contacts", "_selected_action": [customer.pk]},
    )
    assert _csv(response) == (
        "\ufeffNaam;E-mail;Telefoonnummer;Mobiel telefoonnummer;Organisatie\r\n"
        "Sec Urity;sec@rodelente.example;020 123 4567;00 32 470 12 34 56;Rode Lente\r\n"
        "'=Evil Name;evil@rodelente.example;;;Rode Lente Services\r\n"
    )
    assert "contactpersonen-security-privacy-" in response["Content-Disposition"]


def test_export_security_contacts_of_an_organisation(staff_client, second_organisation, contacts):
    response = staff_client.post(
        reverse("admin:accounts_organisation_changelist"),
        {"action": "export_security_contacts", "_selected_action": [second_organisation.pk]},
    )
    assert _csv(response) == (
        "\ufeffNaam;E-mail;Telefoonnummer;Mobiel telefoonnummer;Organisatie\r\n"
        "'=Evil Name;evil@rodelente.example;;;Rode Lente Services\r\n"
    )


def test_membership_admin_filters_security_contacts(staff_client, contacts):
    response = staff_client.get(
        reverse("admin:accounts_membership_changelist"), {"security_contact__exact": "1"}
    )
    assert response.context["cl"].result_count == 4


# --- functions and removals ------------------------------------------------------------------


def test_job_function_admin(staff_client):
    first = JobFunctionFactory(name_nl="Directeur", name_en="Director", order=2)
    second = JobFunctionFactory(name_nl="Controller", name_en="Controller", order=1)
    url = reverse("admin:users_jobfunction_changelist")
    response = staff_client.get(url)
    assert response.status_code == HTTPStatus.OK
    assert list(response.context["cl"].result_list) == [second, first]
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "2",
        "form-0-id": str(second.pk),
        "form-0-order": "5",
        "form-0-active": "on",
        "form-1-id": str(first.pk),
        "form-1-order": "2",
        "_save": "Opslaan",
    }
    assert staff_client.post(url, data).status_code == HTTPStatus.FOUND
    second.refresh_from_db()
    first.refresh_from_db()
    assert (second.order, first.active) == (5, False)
    assert staff_client.get(reverse("admin:users_jobfunction_add")).status_code == HTTPStatus.OK


def test_removal_records_are_read_only(staff_client, admin, viewer, organisation):
    from users.services import membership_remove

    removal = membership_remove(by=admin, membership=viewer.memberships.get(), reason="Weg")
    url = reverse("admin:users_userremoval_changelist")
    for query in ({}, {"deactivated__exact": "0"}, {"organisation__id__exact": organisation.pk}):
        response = staff_client.get(url, query)
        assert response.status_code == HTTPStatus.OK
        assert response.context["cl"].result_count == 1
    response = staff_client.get(url, {"customer__id__exact": organisation.customer_id})
    assert response.context["cl"].result_count == 1
    change = reverse("admin:users_userremoval_change", args=[removal.pk])
    response = staff_client.get(change)
    assert response.status_code == HTTPStatus.OK
    assert "Weg" in response.content.decode()
    assert staff_client.post(change, {"reason": "Anders"}).status_code == HTTPStatus.FORBIDDEN
    removal.refresh_from_db()
    assert removal.reason == "Weg"
    add = reverse("admin:users_userremoval_add")
    assert staff_client.get(add).status_code == HTTPStatus.FORBIDDEN
    delete = reverse("admin:users_userremoval_delete", args=[removal.pk])
    assert staff_client.get(delete).status_code == HTTPStatus.FORBIDDEN


def test_blocking_the_last_admins_login_warns_staff(staff_client, admin, viewer):
    response = staff_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "deactivate", "_selected_action": [admin.pk, viewer.pk]},
        follow=True,
    )
    assert (
        "Nu ruud@rodelente.example geblokkeerd is, kan niemand meer als Admin van Rode Lente, "
        "Rode Lente Services inloggen. Maak daar iemand anders Admin."
    ) in _messages(response)
    admin.refresh_from_db()
    assert not admin.is_active
    assert admin.memberships.count() == 2  # kept, so the login can be given back


# --- staff edits and blocks are in the audit log (R25) -------------------------------------


def test_staff_edits_of_a_contact_are_recorded(staff_client, staff, viewer):
    from audit.models import AuditEvent

    url = reverse("admin:accounts_user_change", args=[viewer.pk])
    data = _form_data(staff_client.get(url))
    data["phone"] = "020 765 4321"
    data["last_name"] = "van Amersfoort-Bos"
    response = staff_client.post(url, data)
    assert response.status_code == HTTPStatus.FOUND
    event = AuditEvent.objects.get(action=AuditEvent.Action.CONTACT_CHANGED)
    assert (event.actor, event.target_id, event.customer_id) == (
        staff,
        str(viewer.pk),
        viewer.customer_id,
    )
    assert event.before == {"last_name": "van Amersfoort", "phone": None}
    assert event.after == {"last_name": "van Amersfoort-Bos", "phone": "+31207654321"}


def test_staff_block_and_unblock_are_recorded_and_end_the_sessions(staff_client, staff, viewer):
    from audit.models import AuditEvent
    from tests.conftest import logged_in_by_form

    victim = logged_in_by_form(viewer)
    url = reverse("admin:accounts_user_change", args=[viewer.pk])
    data = _form_data(staff_client.get(url))
    data.pop("is_active")
    assert staff_client.post(url, data).status_code == HTTPStatus.FOUND
    viewer.refresh_from_db()
    assert not viewer.is_active
    assert victim.get(reverse("portal:organisation_home")).status_code == HTTPStatus.FOUND
    blocked = AuditEvent.objects.get(action=AuditEvent.Action.CONTACT_DEACTIVATED)
    assert (blocked.actor, blocked.before, blocked.after) == (
        staff,
        {"is_active": True},
        {"is_active": False},
    )
    staff_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reactivate", "_selected_action": [viewer.pk]},
    )
    viewer.refresh_from_db()
    assert viewer.is_active
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CONTACT_REACTIVATED).count() == 1
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.CONTACT_CHANGED).exists()


def test_a_staff_change_of_language_and_address_reads_as_a_sentence(staff, viewer):
    from django.utils import translation

    from audit.sentences import event_sentence
    from users.services import contact_changes_record

    previous = User.objects.get(pk=viewer.pk)
    viewer.language = "en"
    viewer.email = "anne.new@rodelente.example"
    viewer.save()
    contact_changes_record(by=staff, previous=previous, user=viewer)
    from audit.models import AuditEvent

    with translation.override("nl"):
        sentence = event_sentence(AuditEvent.objects.get())
    assert "e-mailadres anne@rodelente.example → anne.new@rodelente.example" in sentence
    assert "taal Nederlands → Engels" in sentence


def test_the_remove_link_of_an_access_is_a_link_to_its_page(staff_client, viewer):
    # Written by a template (admin/accounts/membership/_remove_link.html), not escaped as text.
    response = staff_client.get(reverse("admin:accounts_user_change", args=[viewer.pk]))
    membership = viewer.memberships.get()
    url = reverse("admin:accounts_membership_remove", args=[membership.pk])
    assert f'<a href="{url}">Toegang verwijderen…</a>' in response.content.decode()


# --- a contact's status and login address (issue 17) -----------------------------------------


def test_staff_change_a_login_address_through_the_service(staff_client, staff, viewer):
    url = reverse("admin:accounts_user_change", args=[viewer.pk])
    data = _form_data(staff_client.get(url))
    data["email"] = "Anne.Bos@rodelente.example"
    assert staff_client.post(url, data).status_code == HTTPStatus.FOUND
    viewer.refresh_from_db()
    assert viewer.email == "anne.bos@rodelente.example"
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.CONTACT_CHANGED).exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.CONTACT_EMAIL_CHANGED)
    assert (event.actor, event.before, event.after) == (
        staff,
        {"email": "anne@rodelente.example"},
        {"email": "anne.bos@rodelente.example"},
    )
    assert sorted(OutgoingEmail.objects.values_list("to", flat=True)) == [
        "anne.bos@rodelente.example",
        "anne@rodelente.example",
    ]


def test_staff_cannot_give_a_contact_another_persons_address(
    staff_client, viewer, other_organisation
):
    MembershipFactory(organisation=other_organisation, user__email="elders@blauw.example")
    url = reverse("admin:accounts_user_change", args=[viewer.pk])
    data = _form_data(staff_client.get(url))
    data["email"] = "elders@blauw.example"  # taken: the form says so, nothing changes
    response = staff_client.post(url, data)
    assert response.status_code == HTTPStatus.OK
    viewer.refresh_from_db()
    assert viewer.email == "anne@rodelente.example"
    assert not OutgoingEmail.objects.exists()


def test_the_users_list_shows_and_filters_every_status(staff_client, viewer, admin):
    blocked = MembershipFactory(
        organisation=viewer.memberships.get().organisation,
        user__email="blocked@rodelente.example",
        user__is_active=False,
        user__inactive_reason=User.InactiveReason.BLOCKED,
    ).user
    gone = MembershipFactory(user__email="gone@rodelente.example").user
    User.objects.filter(pk=gone.pk).update(is_active=False, inactive_reason="deactivated")
    changelist = reverse("admin:accounts_user_changelist")
    content = staff_client.get(changelist).content.decode()
    assert "Geblokkeerd door medewerkers" in content
    assert "Verwijderd (gedeactiveerd)" in content

    def shown(status):
        response = staff_client.get(changelist, {"status": status})
        return {user.email for user in response.context["cl"].result_list}

    assert shown("blocked") == {blocked.email}
    assert shown("deactivated") == {gone.email}
    assert {viewer.email, admin.email} <= shown("active")

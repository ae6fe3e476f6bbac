"""Only staff lift a staff block (issue 15, item 4).

The database records why a contact is inactive (``User.inactive_reason``): deactivated through
a removal (R16, an Admin may bring them back) or blocked by staff (only staff lift it). Step 1
of the add wizard answers *niet beschikbaar* for a staff-blocked contact whatever access is
left, and ``membership_add`` refuses them too, so a replayed wizard state cannot bring them back.
"""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import Membership, User
from audit.models import AuditEvent
from tests.accounts.factories import UserFactory
from tests.conftest import logged_in
from tests.users.factories import JobFunctionFactory
from tests.users.test_views_add import details, field_error, start
from users.models import UserRemoval
from users.services import membership_add

pytestmark = pytest.mark.django_db

ADD = reverse("users:add")
LIST = reverse("users:list")
NOT_AVAILABLE_NL = "Dit e-mailadres is niet beschikbaar."
BLOCKED = User.InactiveReason.BLOCKED
DEACTIVATED = User.InactiveReason.DEACTIVATED


@pytest.fixture
def controller(db):
    return JobFunctionFactory(name_nl="Controller", name_en="Controller")


@pytest.fixture
def staff_client(staff):
    return logged_in(staff)


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _staff_action(staff_client, action: str, user: User):
    response = staff_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": action, "_selected_action": [user.pk]},
        follow=True,
    )
    assert response.status_code == HTTPStatus.OK
    return response


def _staff_remove(staff_client, membership: Membership, *, deactivate: bool):
    data = {"confirm": "yes", "reason": "Gecompromitteerd account"}
    if deactivate:
        data["deactivate"] = "on"
    url = reverse("admin:accounts_membership_remove", args=[membership.pk])
    response = staff_client.post(url, data, follow=True)
    assert response.status_code == HTTPStatus.OK
    return response


def _step_1(client, email: str):
    response = client.post(ADD, {"email": email})
    assert response.status_code == HTTPStatus.OK  # no redirect to step 2
    return field_error(response.content.decode(), "email")


def _state(viewer) -> tuple[bool, str | None, int]:
    viewer.refresh_from_db()
    return viewer.is_active, viewer.inactive_reason, viewer.memberships.count()


# --- the sequence of the issue ---------------------------------------------------------------


def test_staff_block_then_remove_access_then_only_staff_bring_them_back(
    staff_client, admin, viewer, organisation, controller
):
    """The issue: staff block a contact (*Deactivate*, access kept), then *Remove access…*
    without the deactivate box. The contact is inactive with no access; step 1 answered
    "reactivate" and an Admin brought them back with their old password."""
    admin_client = logged_in(admin)

    _staff_action(staff_client, "deactivate", viewer)
    assert _state(viewer) == (False, BLOCKED, 1)
    _staff_remove(staff_client, viewer.memberships.get(), deactivate=False)
    assert _state(viewer) == (False, BLOCKED, 0)

    # Step 1: the same answer as an address of another customer, nothing more.
    assert _step_1(admin_client, viewer.email) == NOT_AVAILABLE_NL
    assert _step_1(admin_client, viewer.email.upper()) == NOT_AVAILABLE_NL
    # The server refuses it too, whatever the wizard carried.
    with pytest.raises(ValidationError) as refused:
        membership_add(
            by=admin,
            organisation=organisation,
            email=viewer.email,
            kind="organisation",
            role="viewer",
            first_name="Anne",
            last_name="van Amersfoort",
            job_function=None,
        )
    assert refused.value.message_dict == {"email": [NOT_AVAILABLE_NL]}
    assert _state(viewer) == (False, BLOCKED, 0)

    # Only staff lift the block.
    response = _staff_action(staff_client, "reactivate", viewer)
    assert "De gekozen gebruikers kunnen weer inloggen." in _messages(response)
    assert _state(viewer) == (True, None, 0)

    # Then an Admin can give access again: a known contact, prefilled.
    location = start(admin_client, viewer.email)
    assert 'value="Anne"' in admin_client.get(location).content.decode()
    response = admin_client.post(
        location,
        details(controller, email=viewer.email, first_name="Anne", last_name="van Amersfoort"),
        follow=True,
    )
    assert response.redirect_chain == [(LIST, HTTPStatus.FOUND)]
    assert _state(viewer) == (True, None, 1)


def test_a_staff_block_with_access_left_is_not_available_either(admin, viewer, staff):
    from users.services import contact_block

    contact_block(by=staff, user=viewer)
    client = logged_in(admin)
    # Not "already has access": a blocked contact is hidden from the portal altogether.
    assert _step_1(client, viewer.email) == NOT_AVAILABLE_NL


def test_a_replayed_wizard_state_cannot_bring_a_blocked_contact_back(
    staff_client, admin, organisation, customer, controller
):
    """Step 1 said "reactivate" (deactivated through a removal); staff block the contact
    before step 2 is posted: step 2 and the service refuse."""
    gone = UserFactory(
        customer=customer,
        email="oud@rodelente.example",
        first_name="Olga",
        is_active=False,
        inactive_reason=DEACTIVATED,
    )
    admin_client = logged_in(admin)
    location = start(admin_client, gone.email)

    _staff_action(staff_client, "deactivate", gone)
    gone.refresh_from_db()
    assert gone.inactive_reason == BLOCKED

    response = admin_client.post(
        location, details(controller, email=gone.email, first_name="Olga"), follow=True
    )
    assert field_error(response.content.decode(), "email") == NOT_AVAILABLE_NL
    gone.refresh_from_db()
    assert (gone.is_active, gone.inactive_reason) == (False, BLOCKED)
    assert not Membership.objects.filter(user=gone).exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.ACCESS_GRANTED).exists()


def test_a_block_that_comes_after_the_check_is_refused_under_the_lock(
    admin, organisation, customer, monkeypatch
):
    """The service re-reads the reason after locking the person: a block made between its
    own check and the lock still wins."""
    from users.services import access

    gone = UserFactory(
        customer=customer,
        email="oud@rodelente.example",
        is_active=False,
        inactive_reason=DEACTIVATED,
    )
    original = access.email_check

    def check_then_block(**kwargs):
        result = original(**kwargs)
        User.objects.filter(pk=gone.pk).update(inactive_reason=BLOCKED)
        return result

    monkeypatch.setattr(access, "email_check", check_then_block)
    with pytest.raises(ValidationError) as refused:
        membership_add(
            by=admin,
            organisation=organisation,
            email=gone.email,
            kind="organisation",
            role="viewer",
            first_name="Olga",
            last_name="Oud",
            job_function=None,
        )
    assert refused.value.message_dict == {"email": [NOT_AVAILABLE_NL]}
    gone.refresh_from_db()  # the refusal rolled back the whole add (and the block made inside)
    assert not gone.is_active
    assert not Membership.objects.filter(user=gone).exists()


# --- a portal deactivation stays the Admin's to undo -----------------------------------------


def test_a_contact_deactivated_through_the_portal_is_reactivated_by_an_admin(
    admin, viewer, organisation, controller
):
    client = logged_in(admin)
    membership = viewer.memberships.get()
    client.post(
        reverse("users:delete", kwargs={"pk": membership.pk}),
        {"reason": "Uit dienst", "deactivate": "on"},
    )
    assert _state(viewer) == (False, DEACTIVATED, 0)
    location = start(client, viewer.email)
    assert "Deze contactpersoon van jouw organisatie is gedeactiveerd." in (
        client.get(location).content.decode()
    )
    response = client.post(
        location,
        details(controller, email=viewer.email, first_name="Anne", last_name="van Amersfoort"),
        follow=True,
    )
    assert response.redirect_chain == [(LIST, HTTPStatus.FOUND)]
    assert _state(viewer) == (True, None, 1)


# --- staff's ways to block and unblock -------------------------------------------------------


def test_unticking_active_in_admin_is_a_staff_block_and_ticking_it_lifts_it(
    staff_client, admin, viewer
):
    from tests.users.test_admin import _form_data

    url = reverse("admin:accounts_user_change", args=[viewer.pk])
    data = _form_data(staff_client.get(url))
    data.pop("is_active")
    assert staff_client.post(url, data).status_code == HTTPStatus.FOUND
    assert _state(viewer) == (False, BLOCKED, 1)
    assert _step_1(logged_in(admin), viewer.email) == NOT_AVAILABLE_NL

    data = _form_data(staff_client.get(url))
    data["is_active"] = "on"
    assert staff_client.post(url, data).status_code == HTTPStatus.FOUND
    assert _state(viewer) == (True, None, 1)


def test_blocking_a_contact_deactivated_through_the_portal_makes_it_a_staff_block(
    staff_client, staff, admin, viewer
):
    from users.services import membership_remove

    membership_remove(by=admin, membership=viewer.memberships.get(), reason="Weg", deactivate=True)
    assert _state(viewer) == (False, DEACTIVATED, 0)
    _staff_action(staff_client, "deactivate", viewer)
    assert _state(viewer) == (False, BLOCKED, 0)
    event = AuditEvent.objects.filter(action=AuditEvent.Action.CONTACT_DEACTIVATED).latest("pk")
    assert (event.actor, event.before, event.after) == (
        staff,
        {"inactive_reason": "deactivated"},
        {"inactive_reason": "blocked"},
    )
    assert _step_1(logged_in(admin), viewer.email) == NOT_AVAILABLE_NL


def test_removing_a_blocked_contacts_access_with_deactivation_keeps_the_block(
    staff_client, admin, viewer
):
    _staff_action(staff_client, "deactivate", viewer)
    _staff_remove(staff_client, viewer.memberships.get(), deactivate=True)
    assert _state(viewer) == (False, BLOCKED, 0)
    assert UserRemoval.objects.get().deactivated
    assert _step_1(logged_in(admin), viewer.email) == NOT_AVAILABLE_NL


def test_staff_see_why_a_contact_is_inactive(staff_client, viewer):
    _staff_action(staff_client, "deactivate", viewer)
    response = staff_client.get(
        reverse("admin:accounts_user_changelist"), {"inactive_reason__exact": "blocked"}
    )
    assert list(response.context["cl"].result_list) == [viewer]
    page = staff_client.get(reverse("admin:accounts_user_change", args=[viewer.pk]))
    assert "Geblokkeerd door medewerkers" in page.content.decode()


# --- the database holds the reason exactly when the contact is inactive ----------------------


@pytest.mark.parametrize(
    ("is_active", "reason"),
    [(False, None), (True, "blocked"), (True, "deactivated")],
)
def test_the_database_holds_the_reason_exactly_when_inactive(viewer, is_active, reason):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=viewer.pk).update(is_active=is_active, inactive_reason=reason)
    with pytest.raises(ValidationError):
        User(
            email="x@rodelente.example",
            customer=viewer.customer,
            is_active=is_active,
            inactive_reason=reason,
        ).full_clean(exclude=["password"])

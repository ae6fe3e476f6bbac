"""Forgot password for a deactivated or blocked contact (issue 17, section 5, item 1).

allauth resets only active accounts and mails any other address that there is no account. For
a contact whose account was deactivated that is false: the mail says that the account is
deactivated and who can give the access back, in the person's language. The page shown, the
work done and the rate limit stay those of every other address (R3)."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Membership, User
from accounts.selectors import RESTORING_ADMINS_NAMED, customer_admin_names
from outbox.models import OutgoingEmail
from tests.accounts.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

RESET = reverse("account_reset_password")


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def deactivated(organisation, admin):
    """Els left the organisation: her access ended and her account was deactivated (R16)."""
    return UserFactory(
        email="els@rodelente.example",
        first_name="Els",
        last_name="de Wit",
        customer=organisation.customer,
        is_active=False,
        inactive_reason=User.InactiveReason.DEACTIVATED,
    )


@pytest.fixture
def blocked(organisation, admin):
    return UserFactory(
        email="bram@rodelente.example",
        customer=organisation.customer,
        is_active=False,
        inactive_reason=User.InactiveReason.BLOCKED,
    )


def _reset_mail(email, capture) -> mail.EmailMessage:
    with capture(execute=True):
        response = Client().post(RESET, {"email": email})
    assert response.status_code == HTTPStatus.FOUND
    [message] = [m for m in mail.outbox if m.to == [email]]
    return message


def test_a_deactivated_contact_is_told_the_account_is_deactivated_and_who_restores_it(
    deactivated, django_capture_on_commit_callbacks
):
    message = _reset_mail(deactivated.email, django_capture_on_commit_callbacks)
    assert message.subject == "Mijn organisatie: je account is gedeactiveerd"
    assert "Er is geen account met dit adres" not in message.body
    assert (
        "Iemand, waarschijnlijk jij, heeft gevraagd om een nieuw wachtwoord voor het account van "
        "Mijn organisatie met het e-mailadres els@rodelente.example. Dit account is "
        "gedeactiveerd, dus het wachtwoord kan niet opnieuw worden ingesteld."
    ) in message.body
    assert (
        "Heb je weer toegang nodig? Vraag het aan een Admin van je organisatie: die kan je "
        "opnieuw toegang geven."
    ) in message.body
    # The Admins of her customer's organisations, by name, with where each is Admin.
    assert (
        "De Admins van je organisatie:\n- Ruud Coon (Rode Lente, Rode Lente Services)\n\n"
        in message.body
    )
    assert "/accounts/password/reset/key/" not in message.body  # no link: nothing to reset
    assert "csm@vendor.example" not in message.body


def test_the_mail_is_in_the_contacts_language(deactivated, django_capture_on_commit_callbacks):
    deactivated.language = "en"
    deactivated.save(update_fields=["language"])
    message = _reset_mail(deactivated.email, django_capture_on_commit_callbacks)
    assert message.subject == "Mijn organisatie: your account is deactivated"
    assert "This account has been deactivated, so its password cannot be reset." in message.body
    assert "The Admins of your organisation:\n- Ruud Coon (Rode Lente" in message.body


def test_a_blocked_contact_is_sent_to_staff_through_the_csm(
    blocked, django_capture_on_commit_callbacks
):
    """A staff block is lifted by staff only: the mail names the Customer Success Manager,
    not the Admins (who cannot lift it)."""
    message = _reset_mail(blocked.email, django_capture_on_commit_callbacks)
    assert message.subject == "Mijn organisatie: je account is geblokkeerd"
    assert "Dit account is door onze medewerkers geblokkeerd" in message.body
    assert (
        "Alleen onze medewerkers kunnen de blokkade opheffen. Mail je Customer Success "
        "Manager: csm@vendor.example."
    ) in message.body
    assert "Ruud Coon" not in message.body


def test_a_deactivated_staff_member_without_customer_gets_the_mail_without_names(
    django_capture_on_commit_callbacks,
):
    former = UserFactory(
        customer=None,
        email="old.staff@vendor.example",
        is_active=False,
        inactive_reason=User.InactiveReason.BLOCKED,
    )
    message = _reset_mail(former.email, django_capture_on_commit_callbacks)
    assert "Alleen onze medewerkers kunnen de blokkade opheffen.\n" in message.body
    assert "Customer Success Manager" not in message.body


def test_the_page_and_the_work_are_the_same_for_every_address(viewer, deactivated, blocked):
    """Known, unknown, deactivated and blocked: the same redirect and page, one queued mail
    each and no mail sent in the request, and the same number of queries (no timing tells a
    deactivated account from an unknown address)."""
    queries = {}
    responses = {}
    for label, email in [
        ("unknown", "nobody@rodelente.example"),
        ("deactivated", deactivated.email),
        ("blocked", blocked.email),
    ]:
        with CaptureQueriesContext(connection) as captured:
            responses[label] = Client().post(RESET, {"email": email})
        queries[label] = len(captured)
        assert OutgoingEmail.objects.filter(to=email).count() == 1
    responses["known"] = Client().post(RESET, {"email": viewer.email})
    assert mail.outbox == []
    assert {r.status_code for r in responses.values()} == {HTTPStatus.FOUND}
    assert {r["Location"] for r in responses.values()} == {reverse("account_reset_password_done")}
    assert queries["unknown"] == queries["deactivated"] == queries["blocked"]
    kinds = dict(OutgoingEmail.objects.values_list("to", "kind"))
    assert kinds == {
        "nobody@rodelente.example": "unknown_account",
        deactivated.email: "account_inactive",
        blocked.email: "account_inactive",
        viewer.email: "password_reset_key",
    }


def test_requests_for_a_deactivated_address_are_rate_limited_like_any(deactivated):
    client = Client()
    for _attempt in range(5):
        assert client.post(RESET, {"email": deactivated.email}).status_code == HTTPStatus.FOUND
    response = client.post(RESET, {"email": deactivated.email})
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "Te veel pogingen" in response.content.decode()
    assert OutgoingEmail.objects.filter(to=deactivated.email).count() == 5


def test_the_admins_named_are_active_admins_of_the_customer_at_most_five(
    organisation, second_organisation, admin, viewer, other_organisation_admin
):
    MembershipFactory(
        organisation=organisation,
        role=Membership.Role.ADMIN,
        user__first_name="Weg",
        user__last_name="Al",
        user__is_active=False,
    )
    names = customer_admin_names(customer_id=organisation.customer_id)
    assert names == ["Ruud Coon (Rode Lente, Rode Lente Services)"]
    for index in range(RESTORING_ADMINS_NAMED + 2):
        MembershipFactory(
            organisation=OrganisationFactory(customer=organisation.customer, name=f"Org {index}"),
            role=Membership.Role.ADMIN,
            user__first_name="Admin",
            user__last_name=f"Nummer {index}",
        )
    names = customer_admin_names(customer_id=organisation.customer_id)
    assert len(names) == RESTORING_ADMINS_NAMED
    assert names[:2] == [
        "Ruud Coon (Rode Lente, Rode Lente Services)",
        "Admin Nummer 0 (Org 0)",
    ]
    assert customer_admin_names(customer_id=None) == []


def test_an_admin_without_a_name_is_named_by_address(organisation):
    MembershipFactory(
        organisation=organisation,
        role=Membership.Role.ADMIN,
        user__first_name="",
        user__last_name="",
        user__email="beheer@rodelente.example",
    )
    assert customer_admin_names(customer_id=organisation.customer_id) == [
        "beheer@rodelente.example (Rode Lente)"
    ]

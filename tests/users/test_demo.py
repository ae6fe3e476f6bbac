"""The demo people of user management: enough to page, both kinds, and idempotent."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from accounts.models import Membership, Organisation, User
from outbox.models import OutgoingEmail
from users.models import JobFunction
from users.selectors import organisation_user_list

pytestmark = pytest.mark.django_db


def seed():
    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_demo_users_and_seeding_again_changes_nothing():
    seed()
    counts = (User.objects.count(), Membership.objects.count(), JobFunction.objects.count())
    seed()
    assert (
        User.objects.count(),
        Membership.objects.count(),
        JobFunction.objects.count(),
    ) == counts

    assert list(JobFunction.objects.values_list("name_nl", flat=True)) == [
        "HR-manager",
        "Salarisadministrateur",
        "Controller",
        "Financieel directeur",
        "Directeur",
        "IT-beheerder",
        "Functioneel beheerder",
        "Functionaris gegevensbescherming",
        "Teamleider",
        "Anders",
    ]
    rode_lente = Organisation.objects.get(name="Rode Lente")
    services = Organisation.objects.get(name="Rode Lente Services")
    people = organisation_user_list(organisation=rode_lente, kind="organisation")
    assert people.count() > 25  # a second page at 25 a page
    assert people.filter(security_contact=True).count() >= 3
    assert people.filter(role="admin").count() >= 2
    assert organisation_user_list(organisation=rode_lente, kind="support").count() >= 3
    assert 4 <= organisation_user_list(organisation=services, kind="organisation").count() < 10
    assert organisation_user_list(organisation=services, kind="support").exists()

    joost = User.objects.get(email="joost.bakker@example.com")
    assert set(joost.memberships.values_list("organisation__name", "kind", "role")) == {
        ("Rode Lente", "organisation", "viewer"),
        ("Rode Lente Services", "support", None),
    }
    # Activated, so no welcome mail; and the seeding tells nobody of their access either.
    assert not OutgoingEmail.objects.exists()
    for user in User.objects.filter(customer__name="Rode Lente"):
        assert user.has_usable_password(), user.email  # activated: no welcome mail
        assert user.job_function is not None, user.email
        for number in (user.phone, user.mobile):
            assert not number or number.is_valid(), user.email
    ruud = User.objects.get(email="ruud.coon@example.com")
    assert (ruud.job_function.name_nl, ruud.phone.as_e164) == (
        "Financieel directeur",
        "+31205550101",
    )

"""The rules of ARCHITECTURE.md that live in the database."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import Membership, User
from tests.accounts.factories import (
    MembershipFactory,
    OrganisationFactory,
    SupportMembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_email_is_stored_lower_case():
    user = User.objects.create_user("Ruud.Coon@Example.COM ")
    assert user.email == "ruud.coon@example.com"


def test_email_unique_case_insensitively_in_the_database(customer):
    UserFactory(email="anne@example.com", customer=customer)
    with pytest.raises(IntegrityError), transaction.atomic():
        # bypass save()'s normalisation to prove the database itself refuses
        User.objects.bulk_create([User(email="ANNE@example.com", customer=customer)])


def test_one_membership_per_user_organisation_kind(viewer, organisation):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            user=viewer, organisation=organisation, kind="organisation", role="admin"
        )


def test_support_access_for_one_organisation_only(support_user, second_organisation):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            user=support_user, organisation=second_organisation, kind="support"
        )


def test_organisation_access_may_span_organisations(viewer, second_organisation):
    MembershipFactory(user=viewer, organisation=second_organisation)
    assert viewer.memberships.count() == 2


@pytest.mark.parametrize(
    ("kind", "role"),
    [("organisation", None), ("support", "viewer"), ("organisation", "owner")],
)
def test_role_must_match_kind(kind, role, organisation):
    user = UserFactory(customer=organisation.customer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, organisation=organisation, kind=kind, role=role)


def test_membership_only_within_the_users_customer(viewer, other_organisation):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            user=viewer, organisation=other_organisation, kind="organisation", role="viewer"
        )


def test_user_cannot_move_to_another_customer_while_holding_access(viewer, other_organisation):
    viewer.customer = other_organisation.customer
    with pytest.raises(IntegrityError), transaction.atomic():
        viewer.save()


def test_organisation_cannot_move_away_from_its_members(viewer, organisation, other_organisation):
    organisation.customer = other_organisation.customer
    with pytest.raises(IntegrityError), transaction.atomic():
        organisation.save()


def test_organisation_without_members_can_move(customer, other_organisation):
    lonely = OrganisationFactory(customer=customer)
    lonely.customer = other_organisation.customer
    lonely.save()
    lonely.refresh_from_db()
    assert lonely.customer == other_organisation.customer


def test_full_clean_explains_the_customer_rule(viewer, other_organisation):
    membership = Membership(
        user=viewer, organisation=other_organisation, kind="organisation", role="viewer"
    )
    with pytest.raises(ValidationError) as excinfo:
        membership.full_clean()
    assert excinfo.value.message_dict == {
        "organisation": ["De organisatie hoort bij een andere klant."]
    }


def test_support_factory_builds_a_valid_membership(organisation):
    membership = SupportMembershipFactory(organisation=organisation)
    membership.full_clean()
    assert membership.role is None

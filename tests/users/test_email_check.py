"""Step 1 of the add wizard (R14): what an e-mail address means, case-insensitively."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Membership
from tests.accounts.factories import UserFactory
from users.selectors import EmailOutcome, email_check

pytestmark = pytest.mark.django_db

ORGANISATION = Membership.Kind.ORGANISATION
SUPPORT = Membership.Kind.SUPPORT


def test_an_unknown_address_is_new_and_normalised(organisation):
    check = email_check(
        organisation=organisation, email="  Nieuw.Persoon@Example.COM ", kind=ORGANISATION
    )
    assert check.outcome == EmailOutcome.NEW
    assert check.user is None
    assert check.email == "nieuw.persoon@example.com"
    assert check.message == ""
    assert check.allowed


@pytest.mark.parametrize("typed", ["anne@rodelente.example", "ANNE@RodeLente.Example"])
def test_a_contact_of_this_customer_is_known_in_any_case(organisation, viewer, typed):
    check = email_check(organisation=organisation, email=typed, kind=SUPPORT)
    assert check.outcome == EmailOutcome.KNOWN
    assert check.user == viewer
    assert check.email == "anne@rodelente.example"
    assert check.allowed


def test_organisation_access_may_span_several_organisations(second_organisation, viewer):
    check = email_check(organisation=second_organisation, email=viewer.email, kind=ORGANISATION)
    assert check.outcome == EmailOutcome.KNOWN


@pytest.mark.parametrize("typed", ["x@other.example", "X@OTHER.example"])
def test_an_address_of_another_customer_is_unavailable_and_nothing_more(
    organisation, other_organisation, typed
):
    UserFactory(email="x@other.example", customer=other_organisation.customer)
    check = email_check(organisation=organisation, email=typed, kind=ORGANISATION)
    assert check.outcome == EmailOutcome.UNAVAILABLE
    assert check.user is None
    assert check.message == "Dit e-mailadres is niet beschikbaar."
    assert other_organisation.name not in check.message
    assert not check.allowed


def test_staff_addresses_are_unavailable(organisation, staff):
    check = email_check(organisation=organisation, email="Staff@Vendor.example", kind=ORGANISATION)
    assert check.outcome == EmailOutcome.UNAVAILABLE
    assert check.user is None


@pytest.mark.parametrize("typed", ["anne@rodelente.example", "Anne@RODELENTE.example"])
def test_already_holding_this_access_here_is_said(organisation, viewer, typed):
    check = email_check(organisation=organisation, email=typed, kind=ORGANISATION)
    assert check.outcome == EmailOutcome.HAS_ACCESS
    assert check.user == viewer
    assert check.message == "Deze persoon heeft al toegang tot Mijn organisatie voor Rode Lente."
    assert not check.allowed


def test_already_holding_support_here_is_said(organisation, support_user):
    check = email_check(organisation=organisation, email=support_user.email, kind=SUPPORT)
    assert check.outcome == EmailOutcome.HAS_ACCESS
    assert check.message == "Deze persoon heeft al toegang tot Mijn support voor Rode Lente."


def test_support_for_another_organisation_is_said(second_organisation, support_user):
    check = email_check(
        organisation=second_organisation, email=support_user.email.upper(), kind=SUPPORT
    )
    assert check.outcome == EmailOutcome.SUPPORT_ELSEWHERE
    assert check.user == support_user
    assert check.message == (
        "Deze persoon heeft al toegang tot Mijn support voor Rode Lente. "
        "Toegang tot Mijn support bestaat voor één organisatie."
    )
    assert not check.allowed


def test_support_user_may_get_organisation_access_elsewhere(second_organisation, support_user):
    check = email_check(
        organisation=second_organisation, email=support_user.email, kind=ORGANISATION
    )
    assert check.outcome == EmailOutcome.KNOWN


def test_a_deactivated_contact_is_reactivated(organisation, customer):
    gone = UserFactory(email="weg@rodelente.example", customer=customer, is_active=False)
    check = email_check(organisation=organisation, email="WEG@rodelente.example", kind=SUPPORT)
    assert check.outcome == EmailOutcome.REACTIVATE
    assert check.user == gone
    assert check.allowed


def _any_casing(text: str):
    return st.lists(st.booleans(), min_size=len(text), max_size=len(text)).map(
        lambda upper: "".join(c.upper() if u else c for c, u in zip(text, upper, strict=True))
    )


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_the_outcome_never_depends_on_casing(data, organisation, second_organisation, viewer):
    typed = data.draw(_any_casing(viewer.email))
    here = email_check(organisation=organisation, email=typed, kind=ORGANISATION)
    there = email_check(organisation=second_organisation, email=typed, kind=ORGANISATION)
    assert (here.outcome, here.user, here.email) == (
        EmailOutcome.HAS_ACCESS,
        viewer,
        viewer.email,
    )
    assert (there.outcome, there.user) == (EmailOutcome.KNOWN, viewer)

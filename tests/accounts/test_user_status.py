"""A person's status (issue 17): one definition in SQL (``accounts.selectors.user_status_q``)
that agrees with the rules it stands for, ``user_is_activated`` and the activation link's
lifetime, for every combination of what decides it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from accounts.models import User
from accounts.selectors import UserStatus, user_status_annotation, user_status_q
from accounts.services import user_is_activated, user_send_welcome
from accounts.tokens import activation_token_generator

pytestmark = pytest.mark.django_db

HOURS = [None, 0.5, 23.9, 24.1, 48]  # welcome link sent this long ago (None: never)


def expected(user: User, now: dt.datetime) -> UserStatus:
    """The rule in words: who cannot log in (staff see why), who activated, and for the
    others the state of their invitation."""
    if not user.is_active:
        if user.inactive_reason == User.InactiveReason.BLOCKED:
            return UserStatus.BLOCKED
        return UserStatus.DEACTIVATED
    if user_is_activated(user):
        return UserStatus.ACTIVE
    if user.welcome_sent_at is None:
        return UserStatus.NOT_SENT
    age = (now - user.welcome_sent_at).total_seconds()
    return UserStatus.PENDING if age < settings.ACCOUNT_ACTIVATION_TIMEOUT else UserStatus.EXPIRED


states = st.fixed_dictionaries(
    {
        "inactive": st.sampled_from([None, *User.InactiveReason.values]),
        "password": st.booleans(),
        "logged_in": st.booleans(),
        "sent": st.sampled_from(HOURS),
    }
)


@hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(people=st.lists(states, min_size=1, max_size=6))
def test_the_sql_status_is_the_rule(customer, people):
    User.objects.filter(email__endswith="@status.example").delete()
    now = timezone.now()
    made = []
    for number, state in enumerate(people):
        sent = state["sent"]
        made.append(
            User.objects.create(
                email=f"p{number}@status.example",
                customer=customer,
                is_active=state["inactive"] is None,
                inactive_reason=state["inactive"],
                password=make_password("x" if state["password"] else None),
                last_login=now - dt.timedelta(days=3) if state["logged_in"] else None,
                welcome_sent_at=now - dt.timedelta(hours=sent) if sent is not None else None,
            )
        )
    annotated = dict(
        User.objects.filter(email__endswith="@status.example")
        .annotate(status=user_status_annotation(now=now))
        .values_list("email", "status")
    )
    for user in made:
        assert annotated[user.email] == expected(user, now), user.email
    # The filters: each person in exactly one status.
    for status in UserStatus:
        found = set(
            User.objects.filter(email__endswith="@status.example")
            .filter(user_status_q(status, now=now))
            .values_list("email", flat=True)
        )
        assert found == {user.email for user in made if expected(user, now) == status}


def test_pending_means_the_link_still_works(customer, time_machine, settings):
    settings.ACCOUNT_ACTIVATION_TIMEOUT = 3600
    start = dt.datetime(2026, 11, 16, 9, 0, tzinfo=dt.UTC)
    time_machine.move_to(start, tick=False)
    person = User.objects.create(email="wim@status.example", customer=customer)
    person.set_unusable_password()
    person.save()
    user_send_welcome(user=person)
    token = activation_token_generator.make_token(person)

    def status_at(minutes: int) -> str:
        time_machine.move_to(start + dt.timedelta(minutes=minutes), tick=False)
        return (
            User.objects.filter(pk=person.pk)
            .annotate(status=user_status_annotation(now=timezone.now()))
            .get()
            .status
        )

    assert status_at(59) == UserStatus.PENDING
    assert activation_token_generator.check_token(person, token)
    assert status_at(61) == UserStatus.EXPIRED
    assert not activation_token_generator.check_token(person, token)

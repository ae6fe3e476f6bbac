"""Two Admins at the same moment, on PostgreSQL with two real connections (R17, R14).

Each thread has its own database connection and its own transaction. A barrier placed right
after the point where each service has read what it decides on makes the race real: without
the row locks, both threads would pass the barrier holding the same stale count and both would
succeed. With the locks, the second thread waits inside the database, the first gives up
waiting at the barrier and commits, and the second then reads the committed state.
"""

from __future__ import annotations

import contextlib
import importlib
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from accounts.models import Membership, User
from tests.accounts.factories import CustomerFactory, MembershipFactory, OrganisationFactory
from tests.concurrency_helpers import run_in_threads
from users import services
from users.models import UserRemoval

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite serialises)"
    ),
    pytest.mark.django_db(transaction=True),
]

BARRIER_TIMEOUT = 2.0  # seconds the first thread waits for the second before going on


def _race(monkeypatch, target: str, *jobs):
    """Runs the jobs in parallel threads; each pauses at a barrier after ``target`` (a
    function of ``users.services``, as "module.name") returned. Returns what each job
    returned or raised."""
    barrier = threading.Barrier(len(jobs))
    module_name, name = target.rsplit(".", 1)
    module = importlib.import_module(f"users.services.{module_name}")
    original = getattr(module, name)
    calls = []

    def paused(*args, **kwargs):
        result = original(*args, **kwargs)
        calls.append(name)
        # A broken barrier: the other thread is waiting for our lock, which is the point.
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=BARRIER_TIMEOUT)
        return result

    monkeypatch.setattr(module, name, paused)
    outcomes = run_in_threads(*jobs)
    # The services look it up where it was patched: otherwise nothing raced.
    assert len(calls) >= len(jobs), f"{target} was not called by every job"
    return outcomes


@pytest.fixture
def two_admins():
    organisation = OrganisationFactory(name="Rode Lente")
    first = MembershipFactory(
        organisation=organisation, role="admin", user__first_name="Ruud", user__last_name="Coon"
    )
    second = MembershipFactory(
        organisation=organisation, role="admin", user__first_name="Anne", user__last_name="Ven"
    )
    return organisation, first, second


def _demote(by, membership):
    user = membership.user
    return lambda: services.membership_update(
        by=by,
        membership=membership,
        first_name=user.first_name,
        last_name=user.last_name,
        job_function=None,
        role="viewer",
    )


def _remove(by, membership):
    return lambda: services.membership_remove(by=by, membership=membership, reason="Weg")


def _assert_one_won(outcomes, organisation):
    failures = [o for o in outcomes if isinstance(o, Exception)]
    assert len(failures) == 1, outcomes
    assert isinstance(failures[0], ValidationError), failures[0]
    assert "laatste Admin" in " ".join(failures[0].messages)
    assert (
        Membership.objects.filter(
            organisation=organisation, kind="organisation", role="admin"
        ).count()
        == 1
    )


def test_two_admins_demoting_each_other(monkeypatch, two_admins):
    organisation, first, second = two_admins
    outcomes = _race(
        monkeypatch,
        "last_admin.lock_admins",
        _demote(first.user, second),
        _demote(second.user, first),
    )
    _assert_one_won(outcomes, organisation)


def test_two_admins_removing_each_other(monkeypatch, two_admins):
    organisation, first, second = two_admins
    outcomes = _race(
        monkeypatch,
        "last_admin.lock_admins",
        _remove(first.user, second),
        _remove(second.user, first),
    )
    _assert_one_won(outcomes, organisation)
    assert UserRemoval.objects.count() == 1


def test_demotion_against_removal(monkeypatch, two_admins):
    organisation, first, second = two_admins
    outcomes = _race(
        monkeypatch,
        "last_admin.lock_admins",
        _demote(first.user, first),
        _remove(first.user, second),
    )
    _assert_one_won(outcomes, organisation)


def test_two_admins_adding_the_same_new_address(monkeypatch):
    organisation = OrganisationFactory(customer=CustomerFactory())
    admins = [MembershipFactory(organisation=organisation, role="admin").user for _ in range(2)]

    def add(by):
        return lambda: services.membership_add(
            by=by,
            organisation=organisation,
            email="Nieuw@RodeLente.example",
            kind="organisation",
            role="viewer",
            first_name="Noor",
            last_name="Bakker",
            job_function=None,
        )

    outcomes = _race(monkeypatch, "access.email_check", add(admins[0]), add(admins[1]))
    failures = [o for o in outcomes if isinstance(o, Exception)]
    assert len(failures) == 1, outcomes
    assert isinstance(failures[0], ValidationError), failures[0]
    assert failures[0].message_dict == {
        "email": [
            "Iemand anders heeft op hetzelfde moment de toegang van deze persoon gewijzigd. "
            "Bekijk de lijst en probeer het opnieuw."
        ]
    }
    assert User.objects.filter(email="nieuw@rodelente.example").count() == 1
    assert Membership.objects.filter(user__email="nieuw@rodelente.example").count() == 1


@pytest.mark.parametrize("attempt", range(8))
def test_editing_a_person_while_another_admin_deactivates_them(monkeypatch, two_admins, attempt):
    """The two services lock the person before the person's access rows, in one order: the
    second waits instead of deadlocking (which answered a 500)."""
    organisation, first, second = two_admins
    person = MembershipFactory(organisation=organisation, role="viewer")
    outcomes = _race(
        monkeypatch,
        "last_admin.lock_admins",
        lambda: services.membership_update(
            by=first.user,
            membership=person,
            first_name="Nieuwe",
            last_name="Naam",
            job_function=None,
            role="viewer",
        ),
        lambda: services.membership_remove(
            by=second.user, membership=person, reason="Vertrokken", deactivate=True
        ),
    )
    unexpected = [
        o for o in outcomes if isinstance(o, Exception) and not isinstance(o, ValidationError)
    ]
    assert not unexpected, outcomes
    assert not isinstance(outcomes[1], Exception), outcomes
    assert not User.objects.get(pk=person.user_id).is_active


# --- welcome mails (issue 15): the limits are read under locks --------------------------------


def _never_activated(organisation, email):
    membership = MembershipFactory(organisation=organisation, user__email=email)
    membership.user.set_unusable_password()
    membership.user.save()
    return membership


def _add_to(by, organisation, email, kind="organisation"):
    return lambda: services.membership_add(
        by=by,
        organisation=organisation,
        email=email,
        kind=kind,
        role="viewer" if kind == "organisation" else None,
        first_name="Noor",
        last_name="Bakker",
        job_function=None,
    )


def test_two_admins_giving_one_person_access_at_once_send_one_welcome_mail(monkeypatch):
    """The person's row is locked before the last welcome mail is read: the second Admin
    waits, then sees the first one's mail and sends none."""
    from outbox.models import OutgoingEmail

    customer = CustomerFactory()
    here, there = (OrganisationFactory(customer=customer) for _ in range(2))
    first = MembershipFactory(organisation=here, role="admin").user
    second = MembershipFactory(organisation=there, role="admin").user
    person = _never_activated(here, "wacht@rodelente.example").user
    Membership.objects.filter(user=person).delete()

    outcomes = _race(
        monkeypatch,
        "access.email_check",
        _add_to(first, here, person.email),
        _add_to(second, there, person.email, kind="support"),
    )
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sorted(o.welcome.sent for o in outcomes) == [False, True]
    assert OutgoingEmail.objects.filter(kind="welcome").count() == 1
    assert Membership.objects.filter(user=person).count() == 2


def test_two_resends_at_once_send_one_welcome_mail(monkeypatch):
    from outbox.models import OutgoingEmail

    organisation = OrganisationFactory()
    admins = [MembershipFactory(organisation=organisation, role="admin").user for _ in range(2)]
    waiting = _never_activated(organisation, "wacht@rodelente.example")

    outcomes = _race(
        monkeypatch,
        "welcome.welcome_refusal",
        lambda: services.welcome_resend(by=admins[0], membership=waiting),
        lambda: services.welcome_resend(by=admins[1], membership=waiting),
    )
    assert sorted(o.sent for o in outcomes) == [False, True], outcomes
    assert OutgoingEmail.objects.filter(kind="welcome").count() == 1


def test_one_admin_adding_two_people_at_once_stays_within_the_hourly_bound(monkeypatch, settings):
    """The Admin's own row is locked before their mails of the last hour are counted."""
    from outbox.models import OutgoingEmail

    settings.WELCOME_MAILS_PER_ADMIN_PER_HOUR = 1
    organisation = OrganisationFactory()
    admin = MembershipFactory(organisation=organisation, role="admin").user

    outcomes = _race(
        monkeypatch,
        "welcome.welcome_refusal",
        _add_to(admin, organisation, "een@rodelente.example"),
        _add_to(admin, organisation, "twee@rodelente.example"),
    )
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sorted(o.welcome.sent for o in outcomes) == [False, True]
    assert OutgoingEmail.objects.filter(kind="welcome").count() == 1
    assert Membership.objects.filter(organisation=organisation, role="viewer").count() == 2


def test_two_removals_of_one_person_at_once_send_one_csm_mail(monkeypatch):
    from outbox.models import OutgoingEmail

    organisation = OrganisationFactory()
    admins = [MembershipFactory(organisation=organisation, role="admin").user for _ in range(2)]
    person = MembershipFactory(organisation=organisation, role="viewer")
    support = MembershipFactory(
        organisation=organisation, user=person.user, kind="support", role=None
    )

    outcomes = _race(
        monkeypatch,
        "removal.csm_notify",
        lambda: services.membership_remove(by=admins[0], membership=person, reason="Een"),
        lambda: services.membership_remove(by=admins[1], membership=support, reason="Twee"),
    )
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert OutgoingEmail.objects.filter(kind="access_removed").count() == 1
    assert sorted(r.csm_notified for r in UserRemoval.objects.all()) == [False, True]

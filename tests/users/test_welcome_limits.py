"""Welcome mails are limited wherever they are sent (issue 15, item 3).

Every path that sends a welcome mail (the add wizard, re-adding, *Welkomstmail opnieuw sturen*,
admin's action, its access inline and the *Memberships* page) goes through one rule,
``users.services.welcome_send``: at most one welcome mail per person per 10 minutes, and at
most ``WELCOME_MAILS_PER_ADMIN_PER_HOUR`` per Admin per hour. A refusal never stops the access
itself: the Admin is told that no mail was sent and from when it can be sent, and the refusal
is in the audit log. The CSM's removal mails are limited the same way: one per person and
organisation per 10 minutes, while every removal keeps its record and audit events.
"""

from __future__ import annotations

import ast
from datetime import datetime, timedelta
from http import HTTPStatus
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Membership, User
from audit.models import AuditEvent
from audit.sentences import event_sentence
from outbox.models import OutgoingEmail
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.conftest import logged_in
from tests.users.factories import JobFunctionFactory
from tests.users.test_views_add import details, start
from users.models import UserRemoval
from users.services import membership_add, membership_remove, welcome_send

pytestmark = pytest.mark.django_db

NOW = "2026-06-01 10:00:00+02:00"
EXTERNAL = "someone.else@external.example"
LIST = reverse("users:list")

ADDED_NL = "Nina Nieuw heeft nu toegang tot Mijn organisatie."
SENT_NL = (
    f"We hebben {EXTERNAL} een welkomstmail gestuurd met een link om het account te activeren."
)
TOO_SOON_NL = (
    "Er is geen welkomstmail naar {email} gestuurd: er is minder dan 10 minuten geleden al een "
    "gestuurd. Dat kan weer vanaf {time}."
)
SENDER_LIMIT_NL = (
    "Er is geen welkomstmail naar {email} gestuurd: je hebt het afgelopen uur al {count} "
    "welkomstmails gestuurd, het maximum. Dat kan weer vanaf {time}."
)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def controller(db):
    return JobFunctionFactory(name_nl="Controller", name_en="Controller")


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _add(client, controller, email: str = EXTERNAL, **overrides):
    location = start(client, email)
    return client.post(location, details(controller, email=email, **overrides), follow=True)


def _remove(client, organisation, email: str = EXTERNAL, reason: str = "Test", **extra):
    membership = Membership.objects.get(
        user__email=email, organisation=organisation, kind=Membership.Kind.ORGANISATION
    )
    url = reverse("users:delete", kwargs={"pk": membership.pk})
    response = client.post(url, {"reason": reason, **extra}, follow=True)
    assert response.status_code == HTTPStatus.OK
    return response


def _welcome_mails(email: str = EXTERNAL) -> int:
    return OutgoingEmail.objects.filter(kind="welcome", to=email).count()


def _events(action: str):
    return AuditEvent.objects.filter(action=action).order_by("pk")


def _never_activated(organisation, email: str, **extra) -> Membership:
    membership = MembershipFactory(
        organisation=organisation, user__email=email, user__first_name="Wim", **extra
    )
    membership.user.set_unusable_password()
    membership.user.save()
    return membership


# --- the sequence of the issue ---------------------------------------------------------------


def test_adding_removing_and_adding_again_five_times_sends_one_welcome_and_one_csm_mail(
    admin, organisation, controller, clock
):
    """The issue: five rounds of add and remove in 1.6 s queued five welcome and five CSM
    mails. Now the first round mails; the others grant and remove access, say why no mail
    went out, and are in the audit log and the removal records as always."""
    client = logged_in(admin)
    for round_ in range(5):
        response = _add(client, controller)
        assert response.redirect_chain == [(LIST, HTTPStatus.FOUND)]
        shown = _messages(response)
        if round_ == 0:
            assert shown == [f"{ADDED_NL} {SENT_NL}"]
        else:
            assert shown == [ADDED_NL, TOO_SOON_NL.format(email=EXTERNAL, time="10:10")]
        _remove(client, organisation, reason=f"Ronde {round_}")
        clock.shift(timedelta(seconds=0.3))

    assert _welcome_mails() == 1
    assert OutgoingEmail.objects.filter(kind="access_removed").count() == 1
    person = User.objects.get(email=EXTERNAL)
    assert person.welcome_sent_at == datetime.fromisoformat(NOW)
    assert _events(AuditEvent.Action.ACCESS_GRANTED).count() == 5
    assert _events(AuditEvent.Action.ACCESS_REMOVED).count() == 5
    assert _events(AuditEvent.Action.WELCOME_SENT).count() == 1
    refused = list(_events(AuditEvent.Action.WELCOME_REFUSED))
    assert len(refused) == 4
    assert {(e.actor, e.organisation, e.target_id) for e in refused} == {
        (admin, organisation, str(person.pk))
    }
    assert {e.after["limit"] for e in refused} == {"address"}
    removals = UserRemoval.objects.order_by("removed_at", "pk")
    assert [r.reason for r in removals] == [f"Ronde {n}" for n in range(5)]
    assert [r.csm_notified for r in removals] == [True, False, False, False, False]


def test_resend_right_after_an_add_is_refused_then_allowed_after_10_minutes(
    admin, organisation, controller, clock
):
    client = logged_in(admin)
    _add(client, controller)
    membership = Membership.objects.get(user__email=EXTERNAL)
    resend = reverse("users:resend_welcome", kwargs={"pk": membership.pk})

    clock.move_to("2026-06-01 10:09:59+02:00", tick=False)
    response = client.post(resend, follow=True)
    assert _messages(response) == [TOO_SOON_NL.format(email=EXTERNAL, time="10:10")]
    assert _welcome_mails() == 1
    assert _events(AuditEvent.Action.WELCOME_REFUSED).count() == 1

    clock.move_to("2026-06-01 10:10:00+02:00", tick=False)
    response = client.post(resend, follow=True)
    assert _messages(response) == [f"We hebben {EXTERNAL} opnieuw een welkomstmail gestuurd."]
    assert _welcome_mails() == 2


def test_the_time_to_try_again_is_rounded_up_to_the_minute(admin, organisation, time_machine):
    time_machine.move_to("2026-06-01 10:00:40+02:00", tick=False)
    waiting = _never_activated(organisation, "wim@rodelente.example")
    assert welcome_send(by=admin, user=waiting.user, organisation=organisation).sent
    refused = welcome_send(by=admin, user=waiting.user, organisation=organisation)
    assert not refused.sent
    with translation.override("nl"):
        assert refused.message == TOO_SOON_NL.format(email="wim@rodelente.example", time="10:11")
    with translation.override("en"):
        assert refused.message == (
            "No welcome e-mail was sent to wim@rodelente.example: one was sent less than "
            "10 minutes ago. It can be sent again from 10:11."
        )


def test_a_refusal_reads_as_a_sentence_in_the_admins_activity_log(
    admin, organisation, controller, clock
):
    client = logged_in(admin)
    _add(client, controller)
    _remove(client, organisation)
    _add(client, controller)
    response = client.get(reverse("audit:list"))
    content = response.content.decode()
    assert (
        "Ruud Coon vroeg een welkomstmail aan voor Nina Nieuw (someone.else@external.example); "
        "niet verstuurd, omdat er net al een was verstuurd"
    ) in content
    event = _events(AuditEvent.Action.WELCOME_REFUSED).get()
    with translation.override("en"):
        assert event_sentence(event) == (
            "Ruud Coon asked for a welcome e-mail to Nina Nieuw (someone.else@external.example); "
            "not sent, because one had just been sent"
        )


# --- the bound per Admin ---------------------------------------------------------------------


def test_an_admin_sends_at_most_the_hourly_number_of_welcome_mails(
    admin, organisation, controller, clock, settings
):
    settings.WELCOME_MAILS_PER_ADMIN_PER_HOUR = 3
    client = logged_in(admin)
    for number in range(3):
        response = _add(client, controller, email=f"nieuw{number}@rodelente.example")
        assert "welkomstmail gestuurd met een link" in _messages(response)[0]
        clock.shift(timedelta(minutes=1))

    # 10:03: the fourth new person gets access, not the mail.
    response = _add(client, controller, email="nieuw3@rodelente.example")
    assert _messages(response) == [
        ADDED_NL,
        SENDER_LIMIT_NL.format(email="nieuw3@rodelente.example", count=3, time="11:00"),
    ]
    fourth = Membership.objects.get(user__email="nieuw3@rodelente.example")
    assert OutgoingEmail.objects.filter(kind="welcome").count() == 3
    refused = _events(AuditEvent.Action.WELCOME_REFUSED).get()
    assert (refused.actor, refused.organisation, refused.after["limit"]) == (
        admin,
        organisation,
        "sender",
    )
    with translation.override("nl"):
        assert event_sentence(refused) == (
            "Ruud Coon vroeg een welkomstmail aan voor Nina Nieuw (nieuw3@rodelente.example); "
            "niet verstuurd: het maximum aantal welkomstmails per uur was bereikt"
        )

    # Another Admin has a bound of their own.
    colleague = MembershipFactory(organisation=organisation, role="admin").user
    colleague_client = logged_in(colleague)
    resend = reverse("users:resend_welcome", kwargs={"pk": fourth.pk})
    response = colleague_client.post(resend, follow=True)
    assert _messages(response) == [
        "We hebben nieuw3@rodelente.example opnieuw een welkomstmail gestuurd."
    ]

    # An hour after the first mail, the first Admin may send again.
    clock.move_to("2026-06-01 11:00:00+02:00", tick=False)
    response = _add(client, controller, email="nieuw4@rodelente.example")
    assert "welkomstmail gestuurd met een link" in _messages(response)[0]


def test_the_hourly_bound_holds_across_the_admins_organisations(
    admin, organisation, second_organisation, controller, clock, settings
):
    """The count is per Admin, from the audit log, whichever organisation they mailed for."""
    settings.WELCOME_MAILS_PER_ADMIN_PER_HOUR = 1
    first = _never_activated(organisation, "een@rodelente.example")
    second = _never_activated(second_organisation, "twee@rodelente.example")
    assert welcome_send(by=admin, user=first.user, organisation=organisation).sent
    refused = welcome_send(by=admin, user=second.user, organisation=second_organisation)
    assert not refused.sent
    assert refused.retry_at == datetime.fromisoformat("2026-06-01 11:00:00+02:00")


def test_by_default_an_admin_sends_twenty_welcome_mails_an_hour(admin, organisation, clock):
    """The default bound (documented in .env.example) as it works: 20 mails within the hour
    go out, the 21st is refused until an hour after the first."""
    example = (Path(__file__).parents[2] / ".env.example").read_text()
    assert "RATE_LIMIT_WELCOME_MAILS_PER_ADMIN=20" in example
    for number in range(20):
        person = _never_activated(organisation, f"nieuw{number}@rodelente.example")
        assert welcome_send(by=admin, user=person.user, organisation=organisation).sent
        clock.shift(timedelta(minutes=2))
    person = _never_activated(organisation, "nieuw20@rodelente.example")
    refused = welcome_send(by=admin, user=person.user, organisation=organisation)
    assert not refused.sent
    assert refused.retry_at == datetime.fromisoformat("2026-06-01 11:00:00+02:00")
    assert OutgoingEmail.objects.filter(kind="welcome").count() == 20


# --- staff in admin: the per-address rule holds, the hourly bound does not -------------------


@pytest.fixture
def staff_client(staff):
    return logged_in(staff)


def test_admins_welcome_action_is_limited_per_address_and_audited(
    staff_client, staff, organisation, customer, clock, settings
):
    settings.WELCOME_MAILS_PER_ADMIN_PER_HOUR = 1  # staff are not bound by it
    waiting = [_never_activated(organisation, f"wacht{n}@rodelente.example").user for n in range(3)]
    url = reverse("admin:accounts_user_changelist")
    selection = {"action": "send_welcome", "_selected_action": [u.pk for u in waiting]}
    response = staff_client.post(url, selection, follow=True)
    assert "3 welkomstmails in de wachtrij gezet." in _messages(response)
    assert OutgoingEmail.objects.filter(kind="welcome").count() == 3

    clock.shift(timedelta(minutes=4))
    response = staff_client.post(url, selection, follow=True)
    refusals = [message for message in _messages(response) if message.startswith("Er is geen")]
    assert sorted(refusals) == [
        TOO_SOON_NL.format(email=user.email, time="10:10") for user in waiting
    ]
    assert OutgoingEmail.objects.filter(kind="welcome").count() == 3
    refused = list(_events(AuditEvent.Action.WELCOME_REFUSED))
    assert len(refused) == 3
    assert {(e.actor, e.organisation, e.customer) for e in refused} == {(staff, None, customer)}


def test_giving_access_on_the_user_page_respects_the_interval(
    staff_client, organisation, second_organisation, clock
):
    from tests.users.test_admin import _form_data

    waiting = _never_activated(organisation, "wim@rodelente.example").user
    User.objects.filter(pk=waiting.pk).update(welcome_sent_at=timezone.now())
    url = reverse("admin:accounts_user_change", args=[waiting.pk])
    data = _form_data(staff_client.get(url))
    total = int(data["memberships-TOTAL_FORMS"])
    data["memberships-TOTAL_FORMS"] = str(total + 1)
    data |= {
        f"memberships-{total}-user": str(waiting.pk),
        f"memberships-{total}-organisation": str(second_organisation.pk),
        f"memberships-{total}-kind": "support",
    }
    response = staff_client.post(url, data, follow=True)
    assert waiting.memberships.filter(organisation=second_organisation).exists()
    assert TOO_SOON_NL.format(email="wim@rodelente.example", time="10:10") in _messages(response)
    assert not OutgoingEmail.objects.filter(kind="welcome").exists()
    assert _events(AuditEvent.Action.WELCOME_REFUSED).count() == 1


def test_giving_access_on_the_memberships_page_respects_the_interval(
    staff_client, organisation, second_organisation, clock
):
    waiting = _never_activated(organisation, "wim@rodelente.example").user
    response = staff_client.post(
        reverse("admin:accounts_membership_add"),
        {"user": waiting.pk, "organisation": second_organisation.pk, "kind": "support"},
        follow=True,
    )
    assert "Er is een welkomstmail verstuurd naar wim@rodelente.example." in _messages(response)
    clock.shift(timedelta(minutes=1))
    Membership.objects.filter(user=waiting, organisation=second_organisation).delete()
    response = staff_client.post(
        reverse("admin:accounts_membership_add"),
        {"user": waiting.pk, "organisation": second_organisation.pk, "kind": "support"},
        follow=True,
    )
    assert TOO_SOON_NL.format(email="wim@rodelente.example", time="10:10") in _messages(response)
    assert OutgoingEmail.objects.filter(kind="welcome").count() == 1


def test_every_welcome_mail_goes_through_welcome_send():
    """``accounts.services.user_send_welcome`` only renders and queues; the limits are in
    ``users.services.welcome_send``. No other app code may call it, or a path could skip
    the rule again (as ``membership_add`` did)."""
    root = Path(__file__).parents[2]
    callers = []
    for path in root.glob("*/**/*.py"):
        relative = path.relative_to(root)
        skipped = relative.parts[0] in {".venv", "tests"} or "migrations" in relative.parts
        if skipped:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", None))
                == "user_send_welcome"
            ):
                callers.append(str(relative))
    assert callers == ["users/services/welcome.py"]


# --- the rule as a model (hypothesis) --------------------------------------------------------

STEP = st.tuples(
    st.integers(min_value=0, max_value=2),  # who asks: two Admins and staff
    st.integers(min_value=0, max_value=2),  # for whom: three people who never activated
    st.integers(min_value=0, max_value=25),  # minutes since the previous request
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=st.lists(STEP, min_size=1, max_size=12))
def test_welcome_send_decides_as_the_rule_says(
    steps, organisation, customer, admin, staff, time_machine, settings
):
    """Any order of requests: a mail goes out exactly when the person had none in the last 10
    minutes and, for an Admin, fewer than the bound went out by them in the last hour."""
    settings.WELCOME_MAILS_PER_ADMIN_PER_HOUR = 2
    with transaction.atomic():
        other_admin = MembershipFactory(organisation=organisation, role="admin").user
        senders = [admin, other_admin, staff]
        people = [_never_activated(organisation, f"p{n}@rodelente.example").user for n in range(3)]
        moment = datetime.fromisoformat(NOW)
        last_mail: dict[int, object] = {}
        mails_by: dict[int, list] = {0: [], 1: [], 2: []}
        for sender, person, minutes in steps:
            moment += timedelta(minutes=minutes)
            time_machine.move_to(moment, tick=False)
            too_soon = person in last_mail and moment - last_mail[person] < timedelta(minutes=10)
            recent = [t for t in mails_by[sender] if moment - t < timedelta(hours=1)]
            over = sender != 2 and len(recent) >= 2
            result = welcome_send(
                by=senders[sender], user=people[person], organisation=organisation
            )
            assert result.sent == (not too_soon and not over), (sender, person, moment)
            if result.sent:
                last_mail[person] = moment
                mails_by[sender].append(moment)
            elif too_soon:
                assert result.retry_at == last_mail[person] + timedelta(minutes=10)
            else:
                assert result.retry_at == recent[0] + timedelta(hours=1)
        sent = sum(len(times) for times in mails_by.values())
        assert OutgoingEmail.objects.filter(kind="welcome").count() == sent
        assert AuditEvent.objects.filter(action=AuditEvent.Action.WELCOME_SENT).count() == sent
        assert AuditEvent.objects.filter(action=AuditEvent.Action.WELCOME_REFUSED).count() == (
            len(steps) - sent
        )
        transaction.set_rollback(True)


# --- nothing to send -------------------------------------------------------------------------


def test_an_activated_or_deactivated_person_gets_no_welcome_and_no_refusal(
    admin, organisation, viewer, customer
):
    gone = UserFactory(customer=customer, is_active=False, inactive_reason="deactivated")
    gone.set_unusable_password()
    gone.save()
    for person in (viewer, gone):
        result = welcome_send(by=admin, user=person, organisation=organisation)
        assert (result.sent, result.retry_at) == (False, None)
    assert not OutgoingEmail.objects.exists()
    assert not AuditEvent.objects.exists()


# --- the CSM's removal mails -----------------------------------------------------------------


def _service_add(by, organisation, email, kind="organisation"):
    return membership_add(
        by=by,
        organisation=organisation,
        email=email,
        kind=kind,
        role="viewer" if kind == "organisation" else None,
        first_name="Noor",
        last_name="Bakker",
        job_function=None,
    ).membership


def test_the_csm_gets_one_removal_mail_per_person_and_organisation_per_10_minutes(
    admin, organisation, second_organisation, clock
):
    email = "noor@rodelente.example"
    membership = _service_add(admin, organisation, email)
    membership_remove(by=admin, membership=membership, reason="Eerste")  # 10:00: mailed

    clock.move_to("2026-06-01 10:05:00+02:00", tick=False)
    membership = _service_add(admin, organisation, email)
    membership_remove(by=admin, membership=membership, reason="Tweede")  # within 10 minutes
    # Another organisation is another notice.
    elsewhere = _service_add(admin, second_organisation, email)
    membership_remove(by=admin, membership=elsewhere, reason="Elders")

    clock.move_to("2026-06-01 10:10:00+02:00", tick=False)
    membership = _service_add(admin, organisation, email)
    membership_remove(by=admin, membership=membership, reason="Derde", deactivate=True)

    notices = OutgoingEmail.objects.filter(kind="access_removed").order_by("pk")
    assert [("Eerste" in m.body_text, "Elders" in m.body_text) for m in notices] == [
        (True, False),
        (False, True),
        (False, False),
    ]
    assert "Derde" in notices[2].body_text
    removals = UserRemoval.objects.order_by("pk")
    assert [(r.reason, r.csm_notified) for r in removals] == [
        ("Eerste", True),
        ("Tweede", False),
        ("Elders", True),
        ("Derde", True),
    ]
    assert AuditEvent.objects.filter(action=AuditEvent.Action.ACCESS_REMOVED).count() == 4


def test_the_csm_mail_says_that_removals_soon_after_are_not_mailed(admin, viewer, clock):
    membership_remove(by=admin, membership=viewer.memberships.get(), reason="Weg")
    notice = OutgoingEmail.objects.get(kind="access_removed")
    assert (
        "Verwijderingen van deze persoon uit deze organisatie in de 10 minuten hierna worden "
        "niet gemaild; ze staan in Django admin onder Verwijderingen."
    ) in " ".join(notice.body_text.split())

"""The write path of access (R13-R20): membership_add/update/remove, contact_deactivate,
welcome_resend. Request-level checks of the role and the sessions go through the middleware."""

from __future__ import annotations

from datetime import timedelta
from http import HTTPStatus
from unittest import mock

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Membership, User
from audit.models import AuditEvent
from outbox.models import OutgoingEmail
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.conftest import logged_in
from tests.users.factories import JobFunctionFactory
from users.models import UserRemoval
from users.selectors import (
    EmailCheck,
    EmailOutcome,
    email_check,
    membership_get,
    organisation_user_list,
)
from users.services import (
    contact_deactivate,
    membership_add,
    membership_remove,
    membership_update,
    welcome_resend,
)

pytestmark = pytest.mark.django_db

ORGANISATION = Membership.Kind.ORGANISATION
SUPPORT = Membership.Kind.SUPPORT
LAST_ADMIN_NL = (
    "Ruud Coon is de laatste Admin van {}. Een organisatie houdt altijd minstens één Admin: "
    "maak eerst iemand anders Admin."
)


@pytest.fixture
def hr(db):
    return JobFunctionFactory(name_nl="HR-manager", name_en="HR manager")


def _add(by, organisation, email, kind=ORGANISATION, **extra):
    fields = {
        "first_name": "Noor",
        "last_name": "Bakker",
        "job_function": None,
        "role": Membership.Role.VIEWER if kind == ORGANISATION else None,
    } | extra
    added = membership_add(by=by, organisation=organisation, email=email, kind=kind, **fields)
    return added.membership


def _update(by, membership, **extra):
    user = membership.user
    fields = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "job_function": user.job_function,
        "role": membership.role,
        "job_title": user.job_title,
        "phone": str(user.phone) if user.phone else "",
        "mobile": str(user.mobile) if user.mobile else "",
        "security_contact": membership.security_contact,
    } | extra
    return membership_update(by=by, membership=membership, **fields)


def _errors(excinfo) -> dict:
    return excinfo.value.message_dict


# --- add ---------------------------------------------------------------------------------


def test_add_a_new_contact(admin, organisation, hr, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        membership = _add(
            admin,
            organisation,
            "Noor.Bakker@RodeLente.example",
            job_function=hr,
            job_title="Hoofd P&O",
            phone="020 123 4567",
            mobile="06 12345678",
            security_contact=True,
        )
    user = membership.user
    assert user.email == "noor.bakker@rodelente.example"
    assert user.customer == organisation.customer
    assert user.language == "nl"
    assert not user.has_usable_password()
    assert (user.job_function, user.job_title) == (hr, "Hoofd P&O")
    assert (user.phone.as_e164, user.mobile.as_e164) == ("+31201234567", "+31612345678")
    assert (membership.kind, membership.role, membership.security_contact) == (
        ORGANISATION,
        "viewer",
        True,
    )
    welcome = OutgoingEmail.objects.get(kind="welcome")
    assert welcome.to == user.email
    assert welcome.subject == "Welkom bij Mijn organisatie: activeer je account"
    assert welcome.status == OutgoingEmail.Status.SENT
    granted = AuditEvent.objects.get(action=AuditEvent.Action.ACCESS_GRANTED)
    assert (granted.actor, granted.organisation) == (admin, organisation)
    assert granted.after == {
        "email": user.email,
        "kind": "organisation",
        "role": "viewer",
        "security_contact": True,
    }
    assert AuditEvent.objects.filter(action=AuditEvent.Action.WELCOME_SENT).count() == 1


def test_add_a_known_never_activated_contact_mails_in_their_language(admin, organisation, customer):
    person = UserFactory(email="lee@rodelente.example", customer=customer, language="en")
    person.set_unusable_password()
    person.save()
    membership = _add(
        admin, organisation, "LEE@rodelente.example", first_name="Lee", last_name="Ng"
    )
    assert membership.user == person
    person.refresh_from_db()
    assert (person.first_name, person.last_name) == ("Lee", "Ng")
    welcome = OutgoingEmail.objects.get(kind="welcome")
    assert welcome.subject == "Welcome to Mijn organisatie: activate your account"
    changed = AuditEvent.objects.get(action=AuditEvent.Action.CONTACT_CHANGED)
    assert set(changed.after) == {"first_name", "last_name"}


def test_add_an_activated_known_contact_sends_no_welcome(admin, second_organisation, viewer, hr):
    membership = _add(
        admin,
        second_organisation,
        viewer.email,
        first_name="Anne",
        last_name="van Amersfoort",
        job_function=hr,
        role=Membership.Role.ADMIN,
    )
    assert membership.user == viewer
    assert membership.is_admin
    # Organisation access spans several organisations of the customer.
    assert viewer.memberships.filter(kind=ORGANISATION).count() == 2
    assert not OutgoingEmail.objects.filter(kind="welcome").exists()


def test_add_reactivates_a_deactivated_contact(admin, organisation, customer):
    gone = UserFactory(email="terug@rodelente.example", customer=customer, is_active=False)
    membership = _add(admin, organisation, "Terug@RodeLente.example", kind=SUPPORT)
    gone.refresh_from_db()
    assert gone.is_active
    assert membership.user == gone
    assert membership.role is None
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CONTACT_REACTIVATED, target_id=str(gone.pk)
    ).exists()


@pytest.mark.parametrize(
    ("email", "kind", "message"),
    [
        ("x@other.example", ORGANISATION, "Dit e-mailadres is niet beschikbaar."),
        (
            "ANNE@rodelente.example",
            ORGANISATION,
            "Deze persoon heeft al toegang tot Mijn organisatie voor Rode Lente Services.",
        ),
        (
            "sanne@rodelente.example",
            SUPPORT,
            "Deze persoon heeft al toegang tot Mijn support voor Rode Lente. "
            "Toegang tot Mijn support bestaat voor één organisatie.",
        ),
    ],
)
def test_add_applies_every_step_one_rule_again(
    admin, second_organisation, other_organisation, support_user, viewer, email, kind, message
):
    UserFactory(email="x@other.example", customer=other_organisation.customer)
    MembershipFactory(user=viewer, organisation=second_organisation)
    before = Membership.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        _add(admin, second_organisation, email, kind=kind)
    assert _errors(excinfo) == {"email": [message]}
    assert Membership.objects.count() == before


def test_support_access_for_one_organisation_only_also_in_the_database(
    second_organisation, support_user
):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=support_user, organisation=second_organisation, kind=SUPPORT)


def test_organisation_access_needs_a_role(admin, organisation):
    with pytest.raises(ValidationError) as excinfo:
        _add(admin, organisation, "new@rodelente.example", role=None)
    assert _errors(excinfo) == {"role": ["Kies een rol."]}
    assert not User.objects.filter(email="new@rodelente.example").exists()


def test_support_access_has_no_role_whatever_is_passed(admin, organisation):
    membership = _add(admin, organisation, "help@rodelente.example", kind=SUPPORT, role="admin")
    assert membership.role is None


def test_add_refuses_an_invalid_phone_and_stores_nothing(admin, organisation):
    with pytest.raises(ValidationError) as excinfo:
        _add(admin, organisation, "new@rodelente.example", phone="+31 123456789")
    assert set(_errors(excinfo)) == {"phone"}
    assert not User.objects.filter(email="new@rodelente.example").exists()
    assert not AuditEvent.objects.exists()


def test_add_refuses_a_retired_function(admin, organisation):
    retired = JobFunctionFactory(active=False)
    with pytest.raises(ValidationError) as excinfo:
        _add(admin, organisation, "new@rodelente.example", job_function=retired)
    assert _errors(excinfo) == {"job_function": ["Deze functie kan niet meer gekozen worden."]}


def test_add_requires_names(admin, organisation):
    with pytest.raises(ValidationError) as excinfo:
        _add(admin, organisation, "new@rodelente.example", first_name=" ", last_name="")
    assert _errors(excinfo) == {
        "first_name": ["Vul de voornaam in."],
        "last_name": ["Vul de achternaam in."],
    }


def test_a_lost_race_on_insert_becomes_a_validation_error(admin, organisation, viewer):
    """Two Admins adding the same new address at once: the second insert hits the unique
    index. Simulated here by a check that saw no one and a model check that was too early;
    the real race runs on PostgreSQL in test_concurrency."""
    stale = EmailCheck(EmailOutcome.NEW, None, viewer.email)
    with (
        mock.patch("users.services.access.email_check", return_value=stale),
        mock.patch.object(User, "validate_constraints"),
        mock.patch.object(User, "validate_unique"),
        pytest.raises(ValidationError) as excinfo,
    ):
        _add(admin, organisation, viewer.email)
    assert _errors(excinfo) == {
        "email": [
            "Iemand anders heeft op hetzelfde moment de toegang van deze persoon gewijzigd. "
            "Bekijk de lijst en probeer het opnieuw."
        ]
    }
    assert User.objects.filter(email=viewer.email).count() == 1


# --- update ------------------------------------------------------------------------------


def test_update_edits_details_and_audits_only_what_changed(admin, organisation, viewer, hr):
    membership = viewer.memberships.get()
    _update(admin, membership, job_function=hr, mobile="0612345678", security_contact=True)
    viewer.refresh_from_db()
    membership.refresh_from_db()
    assert viewer.job_function == hr
    assert viewer.mobile.as_e164 == "+31612345678"
    assert membership.security_contact
    # The person's details and the access are recorded apart (each in its own filter).
    details = AuditEvent.objects.get(action=AuditEvent.Action.CONTACT_CHANGED)
    assert details.before == {"job_function": None, "mobile": None}
    assert details.after == {
        "job_function": {"nl": "HR-manager", "en": hr.name_en},
        "mobile": "+31612345678",
    }
    assert details.target_label == "Anne van Amersfoort (anne@rodelente.example)"
    access = AuditEvent.objects.get(action=AuditEvent.Action.ACCESS_CHANGED)
    assert (access.before, access.after) == (
        {"security_contact": False},
        {"security_contact": True},
    )


def test_update_without_changes_writes_no_event(admin, viewer):
    _update(admin, viewer.memberships.get())
    assert not AuditEvent.objects.exists()


def test_a_retired_function_stays_on_who_has_it(admin, viewer):
    retired = JobFunctionFactory(active=False)
    User.objects.filter(pk=viewer.pk).update(job_function=retired)
    viewer.refresh_from_db()
    _update(admin, viewer.memberships.get(), job_title="Adviseur")
    viewer.refresh_from_db()
    assert (viewer.job_function, viewer.job_title) == (retired, "Adviseur")


@pytest.mark.urls("tests.users.urls")
def test_a_promotion_is_live_on_the_next_request(admin, viewer, organisation):
    client = logged_in(viewer)
    url = reverse("test_admin_only")
    assert client.get(url).status_code == HTTPStatus.FORBIDDEN
    _update(admin, viewer.memberships.get(), role=Membership.Role.ADMIN)
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    assert response.content == b"Admin of Rode Lente"
    _update(admin, viewer.memberships.get(), role=Membership.Role.VIEWER)
    assert client.get(url).status_code == HTTPStatus.FORBIDDEN


def test_the_last_admin_cannot_be_demoted(admin, organisation):
    membership = admin.memberships.get(organisation=organisation)
    with pytest.raises(ValidationError) as excinfo:
        _update(admin, membership, role=Membership.Role.VIEWER)
    assert _errors(excinfo) == {"role": [LAST_ADMIN_NL.format("Rode Lente")]}
    membership.refresh_from_db()
    assert membership.role == Membership.Role.ADMIN


def test_an_admin_can_be_demoted_when_another_remains(admin, organisation, viewer):
    _update(admin, viewer.memberships.get(), role=Membership.Role.ADMIN)
    _update(viewer, admin.memberships.get(organisation=organisation), role="viewer")
    assert admin.memberships.get(organisation=organisation).role == "viewer"


def test_the_check_reads_the_role_in_the_database_not_the_callers_copy(admin, organisation, viewer):
    stale = viewer.memberships.get()  # the caller read it as a Viewer...
    Membership.objects.filter(pk=stale.pk).update(role="admin")
    admin_membership = admin.memberships.get(organisation=organisation)
    _update(viewer, admin_membership, role="viewer")  # ...now it is the other Admin
    with pytest.raises(ValidationError):
        _update(admin, stale, role="viewer")


# --- remove ------------------------------------------------------------------------------


def test_remove_one_access(admin, organisation, second_organisation, viewer):
    other = MembershipFactory(user=viewer, organisation=second_organisation)
    client = logged_in(viewer)
    membership = viewer.memberships.get(organisation=organisation)
    removal = membership_remove(by=admin, membership=membership, reason="Andere afdeling")

    assert list(viewer.memberships.all()) == [other]
    viewer.refresh_from_db()
    assert viewer.is_active
    # The session stays; the middleware falls back to the organisation still allowed.
    assert client.get(reverse("portal:organisation_home")).status_code == HTTPStatus.OK
    assert (removal.user, removal.removed_by, removal.organisation) == (
        viewer,
        admin,
        organisation,
    )
    assert (removal.kind, removal.role, removal.reason, removal.deactivated) == (
        "organisation",
        "viewer",
        "Andere afdeling",
        False,
    )
    event = AuditEvent.objects.get(action=AuditEvent.Action.ACCESS_REMOVED)
    assert event.organisation == organisation
    assert event.after == {"reason": "Andere afdeling"}


def test_the_csm_mail_in_dutch_by_default(admin, organisation, viewer):
    membership_remove(by=admin, membership=viewer.memberships.get(), reason="Andere baan")
    mail = OutgoingEmail.objects.get(kind="access_removed")
    assert mail.to == "csm@vendor.example"
    assert not mail.contains_secret
    assert mail.subject == "Toegang verwijderd: Anne van Amersfoort (Rode Lente)"
    assert (
        "Ruud Coon (ruud@rodelente.example) heeft de toegang van Anne van Amersfoort "
        "(anne@rodelente.example) verwijderd." in mail.body_text
    )
    assert "Organisatie: Rode Lente\n" in mail.body_text
    assert "Toegang: Mijn organisatie (Viewer)\n" in mail.body_text
    assert "Reden: Andere baan\n" in mail.body_text
    assert "Helemaal gedeactiveerd: Nee\n" in mail.body_text
    assert "Andere baan" in mail.body_html


def test_remove_with_deactivation(admin, organisation, second_organisation, customer):
    UserFactory(
        email="CSM@vendor.example", customer=None, is_staff=True, language="en"
    )  # the CSM reads English
    person = MembershipFactory(
        organisation=organisation,
        user__email="weg@rodelente.example",
        user__first_name="Wim",
        user__last_name="Weg",
    ).user
    MembershipFactory(user=person, organisation=second_organisation, role="admin")
    support = MembershipFactory(
        user=person, organisation=second_organisation, kind=SUPPORT, role=None
    )
    laptop = logged_in(person)
    assert laptop.get(reverse("portal:organisation_home")).status_code == HTTPStatus.OK

    removal = membership_remove(
        by=admin,
        membership=person.memberships.get(organisation=organisation),
        reason="Uit dienst",
        deactivate=True,
    )

    person.refresh_from_db()
    assert not person.is_active
    assert not person.memberships.exists()
    assert not Membership.objects.filter(pk=support.pk).exists()
    response = laptop.get(reverse("portal:organisation_home"))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("account_login"))
    assert (removal.deactivated, removal.organisation, removal.kind, removal.role) == (
        True,
        organisation,
        "organisation",
        "viewer",
    )
    assert UserRemoval.objects.count() == 1
    assert AuditEvent.objects.filter(action=AuditEvent.Action.ACCESS_REMOVED).count() == 3
    deactivated = AuditEvent.objects.get(action=AuditEvent.Action.CONTACT_DEACTIVATED)
    assert (deactivated.organisation, deactivated.target_id) == (organisation, str(person.pk))
    mail = OutgoingEmail.objects.get(kind="access_removed")
    assert mail.subject == "Contact deactivated: Wim Weg (Rode Lente)"
    assert "Deactivated altogether: Yes\n" in mail.body_text
    assert "- Rode Lente Services: Mijn support\n" in mail.body_text
    assert "- Rode Lente Services: Mijn organisatie (Admin)\n" in mail.body_text
    assert '<html lang="en">' in mail.body_html


def test_a_reason_is_required(admin, viewer):
    with pytest.raises(ValidationError) as excinfo:
        membership_remove(by=admin, membership=viewer.memberships.get(), reason="  ")
    assert _errors(excinfo) == {"reason": ["Geef de reden voor het verwijderen van deze toegang."]}
    assert viewer.memberships.exists()


def test_the_last_admin_cannot_be_removed(admin, organisation):
    membership = admin.memberships.get(organisation=organisation)
    with pytest.raises(ValidationError) as excinfo:
        membership_remove(by=admin, membership=membership, reason="Weg")
    assert _errors(excinfo) == {NON_FIELD_ERRORS: [LAST_ADMIN_NL.format("Rode Lente")]}
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert not UserRemoval.objects.exists()
    assert not OutgoingEmail.objects.exists()


def test_the_last_admin_cannot_be_deactivated_altogether(admin, organisation, viewer):
    # Another Admin here, but Ruud is still the only Admin of Rode Lente Services.
    _update(admin, viewer.memberships.get(), role=Membership.Role.ADMIN)
    with pytest.raises(ValidationError) as excinfo:
        membership_remove(
            by=viewer,
            membership=admin.memberships.get(organisation=organisation),
            reason="Weg",
            deactivate=True,
        )
    assert _errors(excinfo) == {NON_FIELD_ERRORS: [LAST_ADMIN_NL.format("Rode Lente Services")]}
    admin.refresh_from_db()
    assert admin.is_active
    assert admin.memberships.count() == 2


def test_an_admin_is_removed_when_another_remains(admin, organisation, viewer):
    _update(admin, viewer.memberships.get(), role=Membership.Role.ADMIN)
    membership_remove(
        by=viewer, membership=admin.memberships.get(organisation=organisation), reason="Weg"
    )
    assert not admin.memberships.filter(organisation=organisation).exists()


def test_removing_an_access_removed_meanwhile_is_refused(admin, viewer):
    membership = viewer.memberships.get()
    Membership.objects.filter(pk=membership.pk).delete()
    with pytest.raises(ValidationError) as excinfo:
        membership_remove(by=admin, membership=membership, reason="Weg")
    assert _errors(excinfo) == {
        NON_FIELD_ERRORS: ["Deze toegang bestaat niet meer. Iemand heeft hem verwijderd."]
    }


def test_contact_deactivate_directly(staff, organisation, support_user):
    removal = contact_deactivate(
        by=staff, user=support_user, reason="Uit dienst", organisation=organisation
    )
    support_user.refresh_from_db()
    assert not support_user.is_active
    assert (removal.kind, removal.role, removal.deactivated) == ("support", None, True)
    assert removal.removed_by_email == staff.email


def test_contact_deactivate_needs_access_in_that_organisation(staff, second_organisation, viewer):
    with pytest.raises(ValidationError):
        contact_deactivate(
            by=staff, user=viewer, reason="Uit dienst", organisation=second_organisation
        )
    viewer.refresh_from_db()
    assert viewer.is_active


# --- welcome again -------------------------------------------------------------------------


def test_welcome_resend_is_rate_limited(admin, organisation):
    membership = _add(admin, organisation, "nieuw@rodelente.example")
    refused = welcome_resend(by=admin, membership=membership)
    assert (refused.sent, refused.limit) == (False, "address")
    assert refused.message.startswith(
        "Er is geen welkomstmail naar nieuw@rodelente.example gestuurd: er is minder dan 10 "
        "minuten geleden al een gestuurd. Dat kan weer vanaf "
    )
    User.objects.filter(pk=membership.user_id).update(
        welcome_sent_at=timezone.now() - timedelta(minutes=11)
    )
    assert welcome_resend(by=admin, membership=membership).sent
    assert OutgoingEmail.objects.filter(kind="welcome").count() == 2
    assert AuditEvent.objects.filter(action=AuditEvent.Action.WELCOME_SENT).count() == 2
    assert AuditEvent.objects.filter(action=AuditEvent.Action.WELCOME_REFUSED).count() == 1


def test_welcome_resend_to_an_activated_person_sends_nothing(admin, viewer):
    result = welcome_resend(by=admin, membership=viewer.memberships.get())
    assert (result.sent, result.limit) == (False, None)
    assert not OutgoingEmail.objects.exists()


# --- selectors -----------------------------------------------------------------------------


def test_the_list_is_sorted_searched_and_skips_deactivated(organisation, customer):
    for first, last, email in [
        ("Piet", "Zwart", "piet@rodelente.example"),
        ("Anna", "de Boer", "anna@rodelente.example"),
        ("Bram", "Appel", "b.appel@rodelente.example"),
    ]:
        MembershipFactory(
            organisation=organisation,
            user__first_name=first,
            user__last_name=last,
            user__email=email,
        )
    MembershipFactory(organisation=organisation, user__last_name="Aaa", user__is_active=False)
    names = lambda q="": [  # noqa: E731
        m.user.last_name
        for m in organisation_user_list(organisation=organisation, kind=ORGANISATION, query=q)
    ]
    assert names() == ["Appel", "de Boer", "Zwart"]  # as read, whatever the case
    assert names("anna de") == ["de Boer"]
    assert names("APPEL@") == ["Appel"]
    assert names("piet") == ["Zwart"]
    assert organisation_user_list(organisation=organisation, kind=SUPPORT).count() == 0


def test_membership_get_is_a_404_outside_the_organisation(organisation, other_organisation):
    foreign = MembershipFactory(organisation=other_organisation)
    with pytest.raises(Http404):
        membership_get(organisation=organisation, pk=foreign.pk)
    with pytest.raises(Http404):
        membership_get(organisation=other_organisation, pk=foreign.pk, kind=SUPPORT)
    assert membership_get(organisation=other_organisation, pk=foreign.pk) == foreign


def test_a_client_logged_in_elsewhere_is_unaffected(admin, viewer):
    other = Client()
    other.force_login(admin)
    membership_remove(by=admin, membership=viewer.memberships.get(), reason="x", deactivate=True)
    assert other.get(reverse("portal:organisation_home")).status_code == HTTPStatus.OK


_DUTCH_MOBILE_DIGITS = st.text(alphabet="0123456789", min_size=8, max_size=8)


@st.composite
def _typed_mobile(draw):
    """A Dutch mobile number (06 + 8 digits) as people type it, and its E.164 form."""
    digits = "1" + draw(_DUTCH_MOBILE_DIGITS)[1:]  # 061… is always a mobile range
    prefix = draw(st.sampled_from(["06", "+316", "+31 6 ", "0031 6 ", "06-", "(06) "]))
    spaced = draw(
        st.sampled_from(
            [
                digits,
                f"{digits[:4]} {digits[4:]}",
                " ".join(digits[i : i + 2] for i in range(0, 8, 2)),
            ]
        )
    )
    return f"{prefix}{spaced}", f"+316{digits}"


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(number=_typed_mobile())
def test_a_mobile_number_is_stored_as_e164_however_it_is_typed(number, admin, viewer):
    typed, e164 = number
    _update(admin, viewer.memberships.get(), mobile=typed)
    viewer.refresh_from_db()
    assert viewer.mobile.as_e164 == e164


# --- blocked by staff, inactive Admins, languages --------------------------------------------


def test_a_contact_blocked_by_staff_with_access_kept_cannot_be_re_added(
    admin, organisation, second_organisation, viewer
):
    """Staff block a (possibly compromised) account in admin and keep its access rows: a
    portal Admin must not lift that block by giving the person access elsewhere."""
    from accounts.services import user_deactivate

    user_deactivate(user=viewer, by=None, reason=User.InactiveReason.BLOCKED)
    check = email_check(organisation=second_organisation, email=viewer.email, kind=ORGANISATION)
    assert (check.outcome, check.message) == (
        EmailOutcome.UNAVAILABLE,
        "Dit e-mailadres is niet beschikbaar.",
    )
    with pytest.raises(ValidationError) as excinfo:
        _add(admin, second_organisation, viewer.email)
    assert _errors(excinfo) == {"email": ["Dit e-mailadres is niet beschikbaar."]}
    viewer.refresh_from_db()
    assert not viewer.is_active


def test_an_admin_who_cannot_log_in_does_not_count_as_the_other_admin(admin, organisation):
    blocked = MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).user
    blocked.is_active, blocked.inactive_reason = False, User.InactiveReason.BLOCKED
    blocked.save(update_fields=["is_active", "inactive_reason"])
    own = admin.memberships.get(organisation=organisation)
    with pytest.raises(ValidationError) as excinfo:
        _update(admin, own, role=Membership.Role.VIEWER)
    assert "laatste Admin" in _errors(excinfo)["role"][0]
    own.refresh_from_db()
    assert own.role == Membership.Role.ADMIN


def test_a_new_contact_gets_the_adding_admins_language(admin, organisation):
    admin.language = "en"
    admin.save(update_fields=["language"])
    membership = _add(admin, organisation, "new.colleague@rodelente.example")
    assert membership.user.language == "en"
    welcome = OutgoingEmail.objects.get(kind="welcome", to="new.colleague@rodelente.example")
    assert welcome.subject.startswith("Welcome to Mijn organisatie")


def test_a_function_change_reads_in_the_readers_language(admin, viewer, hr):
    from django.utils import translation

    from audit.sentences import event_sentence

    _update(admin, viewer.memberships.get(), job_function=hr)
    event = AuditEvent.objects.get(action=AuditEvent.Action.CONTACT_CHANGED)
    with translation.override("en"):
        assert "function (empty) → HR manager" in event_sentence(event)
    with translation.override("nl"):
        assert "functie (leeg) → HR-manager" in event_sentence(event)

"""Every action as a sentence, exactly, in Dutch and in English."""

from __future__ import annotations

import pytest
from django.utils import translation

from audit.models import AuditEvent
from audit.sentences import described_actions, event_sentence

Action = AuditEvent.Action
ANNE = "Anne van Amersfoort (anne@rodelente.example)"


def event(action, *, actor="Ruud Coon", target=ANNE, before=None, after=None):
    return AuditEvent(
        action=action,
        actor_name=actor,
        actor_email="ruud@rodelente.example" if actor else "",
        target_label=target,
        before=before or {},
        after=after or {},
    )


CASES = [
    (
        event(
            Action.BILLING_ADDRESS_CHANGED,
            target="Rode Lente, Amsterdam",
            before={"postcode": "1234 AB"},
            after={"postcode": "1017 AB"},
        ),
        "Ruud Coon wijzigde het factuuradres: postcode 1234 AB → 1017 AB",
        "Ruud Coon changed the billing address: postcode 1234 AB → 1017 AB",
    ),
    (
        # several fields in the model's order; countries by name, phones readable, empty shown
        event(
            Action.BILLING_ADDRESS_CHANGED,
            before={"phone": "+31201234567", "country": "NL", "city": "Amsterdam", "attention": ""},
            after={"phone": "+3225551234", "country": "BE", "city": "Brussel", "attention": "FA"},
        ),
        "Ruud Coon wijzigde het factuuradres: t.a.v.-regel (leeg) → FA, plaats Amsterdam → "
        "Brussel, land Nederland → België, telefoonnummer 020 123 4567 → +32 2 555 12 34",
        "Ruud Coon changed the billing address: attention line (empty) → FA, city Amsterdam → "
        "Brussel, country Netherlands → Belgium, phone 020 123 4567 → +32 2 555 12 34",
    ),
    (
        event(
            Action.ACCESS_GRANTED,
            after={"kind": "organisation", "role": "viewer", "security_contact": True},
        ),
        f"Ruud Coon gaf {ANNE} toegang: soort toegang Mijn organisatie, rol Viewer, "
        "contactpersoon security/privacy Ja",
        f"Ruud Coon gave {ANNE} access: kind of access Mijn organisatie, role Viewer, "
        "security/privacy contact Yes",
    ),
    (
        event(
            Action.ACCESS_CHANGED,
            before={"kind": "organisation", "role": "viewer", "security_contact": True},
            after={"kind": "organisation", "role": "admin", "security_contact": False},
        ),
        f"Ruud Coon wijzigde de toegang van {ANNE}: soort toegang Mijn organisatie, "
        "rol Viewer → Admin, contactpersoon security/privacy Ja → Nee",
        f"Ruud Coon changed the access of {ANNE}: kind of access Mijn organisatie, "
        "role Viewer → Admin, security/privacy contact Yes → No",
    ),
    (
        event(
            Action.ACCESS_REMOVED,
            before={"kind": "support"},
            after={"reason": "Werkt bij een andere afdeling", "deactivated": False},
        ),
        f"Ruud Coon verwijderde de toegang van {ANNE}: soort toegang Mijn support, "
        "reden Werkt bij een andere afdeling",
        f"Ruud Coon removed the access of {ANNE}: kind of access Mijn support, "
        "reason Werkt bij een andere afdeling",
    ),
    (
        event(
            Action.CONTACT_DEACTIVATED,
            after={"reason": "Uit dienst", "deactivated": True},
        ),
        f"Ruud Coon deactiveerde {ANNE}: volledig gedeactiveerd Ja, reden Uit dienst",
        f"Ruud Coon deactivated {ANNE}: deactivated altogether Yes, reason Uit dienst",
    ),
    (
        event(Action.CONTACT_REACTIVATED),
        f"Ruud Coon activeerde {ANNE} weer",
        f"Ruud Coon reactivated {ANNE}",
    ),
    (
        event(
            Action.CONTACT_CHANGED,
            before={"last_name": "Amersfoort", "mobile": "", "job_function": "Controller"},
            after={"last_name": "van Amersfoort", "mobile": "+31612345678", "job_function": "HR"},
        ),
        f"Ruud Coon wijzigde de gegevens van {ANNE}: achternaam Amersfoort → van Amersfoort, "
        "functie Controller → HR, mobiel telefoonnummer (leeg) → 06 12345678",
        f"Ruud Coon changed the details of {ANNE}: last name Amersfoort → van Amersfoort, "
        "function Controller → HR, mobile phone number (empty) → 06 12345678",
    ),
    (
        event(Action.WELCOME_SENT),
        f"Ruud Coon stuurde de welkomstmail naar {ANNE}",
        f"Ruud Coon sent the welcome e-mail to {ANNE}",
    ),
    (
        event(Action.WELCOME_REFUSED, after={"limit": "address", "retry_at": "…"}),
        f"Ruud Coon vroeg een welkomstmail aan voor {ANNE}; niet verstuurd, omdat er net al een "
        "was verstuurd",
        f"Ruud Coon asked for a welcome e-mail to {ANNE}; not sent, because one had just been sent",
    ),
    (
        event(Action.WELCOME_REFUSED, after={"limit": "sender", "retry_at": "…"}),
        f"Ruud Coon vroeg een welkomstmail aan voor {ANNE}; niet verstuurd: het maximum aantal "
        "welkomstmails per uur was bereikt",
        f"Ruud Coon asked for a welcome e-mail to {ANNE}; not sent: the limit of welcome "
        "e-mails per hour was reached",
    ),
    (
        event(Action.WELCOME_REFUSED),
        f"Ruud Coon vroeg een welkomstmail aan voor {ANNE}; niet verstuurd",
        f"Ruud Coon asked for a welcome e-mail to {ANNE}; not sent",
    ),
    (
        event(
            Action.CONTACT_EMAIL_CHANGED,
            before={"email": "anne@rodelente.example"},
            after={"email": "anne.bos@rodelente.example"},
        ),
        f"Ruud Coon wijzigde het e-mailadres van {ANNE}: e-mailadres anne@rodelente.example → "
        "anne.bos@rodelente.example",
        f"Ruud Coon changed the e-mail address of {ANNE}: e-mail address "
        "anne@rodelente.example → anne.bos@rodelente.example",
    ),
    (
        event(Action.ACCESS_NOTICE_SENT, after={"kind": "organisation", "reactivated": False}),
        f"Ruud Coon mailde {ANNE} over de nieuwe toegang tot Mijn organisatie",
        f"Ruud Coon told {ANNE} of the new access to Mijn organisatie by e-mail",
    ),
    (
        event(Action.ACCESS_NOTICE_SENT, after={"kind": "support", "reactivated": True}),
        f"Ruud Coon mailde {ANNE} over de nieuwe toegang tot Mijn support",
        f"Ruud Coon told {ANNE} of the new access to Mijn support by e-mail",
    ),
    (
        event(Action.LOGIN_SUCCEEDED),
        "Ruud Coon logde in",
        "Ruud Coon logged in",
    ),
    (
        event(Action.LOGIN_FAILED, actor=""),
        f"Mislukte inlogpoging voor {ANNE}",
        f"Failed login attempt for {ANNE}",
    ),
    (
        event(Action.LOGIN_CODE_SENT, actor=""),
        f"Er is een inlogcode gemaild naar {ANNE}",
        f"A login code was e-mailed to {ANNE}",
    ),
    (
        event(Action.LOGIN_CODE_USED),
        "Ruud Coon gebruikte een inlogcode uit de e-mail",
        "Ruud Coon used a login code from the e-mail",
    ),
    (
        event(Action.LOGIN_CODE_FAILED, actor=""),
        f"Verkeerde inlogcode ingevuld voor {ANNE}",
        f"Wrong login code entered for {ANNE}",
    ),
    (
        event(Action.PASSWORD_CHANGED, after={"via": "change"}),
        "Ruud Coon wijzigde het wachtwoord",
        "Ruud Coon changed the password",
    ),
    (
        event(Action.PASSWORD_CHANGED, after={"via": "set"}),
        "Ruud Coon stelde een wachtwoord in",
        "Ruud Coon set a password",
    ),
    (
        event(Action.PASSWORD_CHANGED, after={"via": "reset"}),
        "Ruud Coon koos een nieuw wachtwoord via de link in de e-mail",
        "Ruud Coon chose a new password through the e-mail link",
    ),
    (
        event(Action.MFA_ENABLED),
        "Ruud Coon zette inloggen in twee stappen aan",
        "Ruud Coon turned on two-factor login",
    ),
    (
        event(Action.MFA_DISABLED),
        "Ruud Coon zette inloggen in twee stappen uit",
        "Ruud Coon turned off two-factor login",
    ),
    (
        event(Action.ORGANISATION_SWITCHED, target="Rode Lente Services"),
        "Ruud Coon koos organisatie Rode Lente Services",
        "Ruud Coon switched to organisation Rode Lente Services",
    ),
]


@pytest.mark.parametrize(
    ("audit_event", "dutch", "english"),
    CASES,
    ids=[f"{case[0].action}-{n}" for n, case in enumerate(CASES)],
)
def test_sentence_in_dutch_and_english(audit_event, dutch, english):
    with translation.override("nl"):
        assert event_sentence(audit_event) == dutch
    with translation.override("en"):
        assert event_sentence(audit_event) == english


def test_every_action_has_a_sentence_and_a_case():
    assert described_actions() == set(Action.values)
    assert {case[0].action for case in CASES} == set(Action.values)


def test_actor_falls_back_to_the_email_then_to_someone():
    by_email = AuditEvent(action=Action.LOGIN_SUCCEEDED, actor_email="ruud@rodelente.example")
    nobody = AuditEvent(action=Action.WELCOME_SENT, target_label=ANNE)
    with translation.override("nl"):
        assert event_sentence(by_email) == "ruud@rodelente.example logde in"
        assert event_sentence(nobody) == f"Iemand stuurde de welkomstmail naar {ANNE}"
    with translation.override("en"):
        assert event_sentence(nobody) == f"Someone sent the welcome e-mail to {ANNE}"


def test_an_unknown_country_code_and_an_unparsable_phone_are_shown_as_stored():
    odd = event(
        Action.BILLING_ADDRESS_CHANGED,
        before={"country": "XX", "phone": "12"},
        after={"country": "NL", "phone": "+31201234567"},
    )
    with translation.override("nl"):
        assert event_sentence(odd) == (
            "Ruud Coon wijzigde het factuuradres: land XX → Nederland, "
            "telefoonnummer 12 → 020 123 4567"
        )


def test_a_grant_names_what_is_set_and_leaves_out_what_is_not():
    from django.utils import translation

    event = AuditEvent(
        action=AuditEvent.Action.ACCESS_GRANTED,
        actor_name="Ruud Coon",
        target_label="Femke Prins (femke@rodelente.example)",
        after={
            "email": "femke@rodelente.example",
            "kind": "organisation",
            "role": "viewer",
            "security_contact": False,
        },
    )
    with translation.override("nl"):
        assert event_sentence(event) == (
            "Ruud Coon gaf Femke Prins (femke@rodelente.example) toegang: "
            "soort toegang Mijn organisatie, rol Viewer"
        )


def test_an_app_cannot_describe_an_action_twice_or_one_the_log_does_not_know():
    from django.core.exceptions import ImproperlyConfigured

    from audit.sentences import EventDescription, audit_events_describe

    with pytest.raises(ImproperlyConfigured, match="described twice"):
        audit_events_describe({Action.LOGIN_FAILED: EventDescription("%(actor)s did it")})
    with pytest.raises(ImproperlyConfigured, match="Unknown audit action"):
        audit_events_describe({"invoice.eaten": EventDescription("%(actor)s ate it")})
    with pytest.raises(ImproperlyConfigured, match="shown in two ways"):
        audit_events_describe({}, values={"country": str})

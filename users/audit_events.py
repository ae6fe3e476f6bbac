"""How the activity log tells this app's events: access given, changed and removed, contacts
changed (their login address too), (de)activated, welcome mails and notices of new access
(registered in ``apps.py``; audit.sentences)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, User
from audit.models import AuditEvent
from audit.sentences import EventDescription, audit_events_describe
from core.phones import phone_display
from users.models import UserRemoval

if TYPE_CHECKING:
    from django.db.models import Model

Action = AuditEvent.Action

# The keys the user-management services record, in the order a sentence names them, and the
# model whose field's verbose name labels each.
PERSON_FIELDS: dict[str, type[Model]] = {
    "kind": Membership,
    "role": Membership,
    "first_name": User,
    "last_name": User,
    "email": User,
    "language": User,
    "job_function": User,
    "job_title": User,
    "phone": User,
    "mobile": User,
    "security_contact": Membership,
    "inactive_reason": User,
    "deactivated": UserRemoval,
    "reason": UserRemoval,
}

EVENTS = {
    Action.ACCESS_GRANTED: EventDescription(
        _("%(actor)s gave %(target)s access"), fields=PERSON_FIELDS
    ),
    Action.ACCESS_CHANGED: EventDescription(
        _("%(actor)s changed the access of %(target)s"), fields=PERSON_FIELDS
    ),
    Action.ACCESS_REMOVED: EventDescription(
        _("%(actor)s removed the access of %(target)s"), fields=PERSON_FIELDS
    ),
    Action.CONTACT_DEACTIVATED: EventDescription(
        _("%(actor)s deactivated %(target)s"), fields=PERSON_FIELDS
    ),
    Action.CONTACT_REACTIVATED: EventDescription(
        _("%(actor)s reactivated %(target)s"), fields=PERSON_FIELDS
    ),
    Action.CONTACT_CHANGED: EventDescription(
        _("%(actor)s changed the details of %(target)s"), fields=PERSON_FIELDS
    ),
    Action.CONTACT_EMAIL_CHANGED: EventDescription(
        _("%(actor)s changed the e-mail address of %(target)s"), fields=PERSON_FIELDS
    ),
    Action.ACCESS_NOTICE_SENT: EventDescription(
        _("%(actor)s told %(target)s of the new access by e-mail"),
        # Which access (``after["kind"]``, users.services.notices).
        variant_key="kind",
        variants={
            "organisation": _(
                "%(actor)s told %(target)s of the new access to Mijn organisatie by e-mail"
            ),
            "support": _("%(actor)s told %(target)s of the new access to Mijn support by e-mail"),
        },
    ),
    Action.WELCOME_SENT: EventDescription(
        _("%(actor)s sent the welcome e-mail to %(target)s"), fields=PERSON_FIELDS
    ),
    Action.WELCOME_REFUSED: EventDescription(
        _("%(actor)s asked for a welcome e-mail to %(target)s; not sent"),
        # Why the mail was not sent (``after["limit"]``, users.services).
        variant_key="limit",
        variants={
            "address": _(
                "%(actor)s asked for a welcome e-mail to %(target)s; not sent, because one had "
                "just been sent"
            ),
            "sender": _(
                "%(actor)s asked for a welcome e-mail to %(target)s; not sent: the limit of "
                "welcome e-mails per hour was reached"
            ),
        },
    ),
}


def _choice_display(choices: type) -> Any:
    def display(value: Any) -> str:
        return str(choices(value).label) if value in choices.values else str(value)

    return display


VALUES = {
    "role": _choice_display(Membership.Role),
    "kind": _choice_display(Membership.Kind),
    "inactive_reason": _choice_display(User.InactiveReason),
    "phone": phone_display,
    "mobile": phone_display,
}


def register() -> None:
    audit_events_describe(EVENTS, values=VALUES)

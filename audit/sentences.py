"""Each audit event as one sentence in the interface language (R25).

"Ruud Coon wijzigde het factuuradres: postcode 1234 AB → 1017 AB". Only the event's own
columns are read (the actor's name as it was, the target's label), never a related row, so a
page of 50 sentences costs no query and an event outlives the people and objects it names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import get_language, gettext, pgettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from accounts.models import Membership, User
from audit.models import AuditEvent
from billing_address.models import BillingAddress
from portal.phones import phone_display
from users.models import UserRemoval

if TYPE_CHECKING:
    from django.db.models import Model

Action = AuditEvent.Action

# The sentence of each action; %(actor)s is who did it, %(target)s what or whom it was about.
SENTENCES = {
    Action.BILLING_ADDRESS_CHANGED: _("%(actor)s changed the billing address"),
    Action.ACCESS_GRANTED: _("%(actor)s gave %(target)s access"),
    Action.ACCESS_CHANGED: _("%(actor)s changed the access of %(target)s"),
    Action.ACCESS_REMOVED: _("%(actor)s removed the access of %(target)s"),
    Action.CONTACT_DEACTIVATED: _("%(actor)s deactivated %(target)s"),
    Action.CONTACT_REACTIVATED: _("%(actor)s reactivated %(target)s"),
    Action.CONTACT_CHANGED: _("%(actor)s changed the details of %(target)s"),
    Action.WELCOME_SENT: _("%(actor)s sent the welcome e-mail to %(target)s"),
    Action.WELCOME_REFUSED: _("%(actor)s asked for a welcome e-mail to %(target)s; not sent"),
    Action.LOGIN_SUCCEEDED: _("%(actor)s logged in"),
    Action.LOGIN_FAILED: _("Failed login attempt for %(target)s"),
    Action.LOGIN_CODE_SENT: _("A login code was e-mailed to %(target)s"),
    Action.LOGIN_CODE_USED: _("%(actor)s used a login code from the e-mail"),
    Action.LOGIN_CODE_FAILED: _("Wrong login code entered for %(target)s"),
    Action.PASSWORD_CHANGED: _("%(actor)s changed the password"),
    Action.MFA_ENABLED: _("%(actor)s turned on two-factor login"),
    Action.MFA_DISABLED: _("%(actor)s turned off two-factor login"),
    Action.ORGANISATION_SWITCHED: _("%(actor)s switched to organisation %(target)s"),
}

# How a password came to change (``after["via"]`` of PASSWORD_CHANGED, see audit.signals).
PASSWORD_SENTENCES = {
    "change": SENTENCES[Action.PASSWORD_CHANGED],
    "set": _("%(actor)s set a password"),
    "reset": _("%(actor)s chose a new password through the e-mail link"),
}

# Why a welcome mail was not sent (``after["limit"]`` of WELCOME_REFUSED, users.services).
WELCOME_REFUSED_SENTENCES = {
    "address": _(
        "%(actor)s asked for a welcome e-mail to %(target)s; not sent, because one had just "
        "been sent"
    ),
    "sender": _(
        "%(actor)s asked for a welcome e-mail to %(target)s; not sent: the limit of welcome "
        "e-mails per hour was reached"
    ),
}

# Actions whose before/after values are part of the sentence.
WITH_DETAILS = frozenset(
    {
        Action.BILLING_ADDRESS_CHANGED,
        Action.ACCESS_GRANTED,
        Action.ACCESS_CHANGED,
        Action.ACCESS_REMOVED,
        Action.CONTACT_DEACTIVATED,
        Action.CONTACT_REACTIVATED,
        Action.CONTACT_CHANGED,
        Action.WELCOME_SENT,
    }
)

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
PHONE_KEYS = frozenset({"phone", "mobile"})


def _label(model: type[Model] | None, key: str) -> str:
    if model is not None:
        try:
            return str(model._meta.get_field(key).verbose_name)
        except FieldDoesNotExist:
            pass
    return key.replace("_", " ")


def _value(key: str, value: Any) -> str:
    if value is None or value == "":
        return pgettext("audit value", "(empty)")
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if key == "country":
        return str(countries.name(value)) or str(value)
    if key in PHONE_KEYS:
        return phone_display(value)
    if key == "role" and value in Membership.Role.values:
        return str(Membership.Role(value).label)
    if key == "language" and value in dict(settings.LANGUAGES):
        return str(dict(settings.LANGUAGES)[value])
    if key == "kind" and value in Membership.Kind.values:
        return str(Membership.Kind(value).label)
    if key == "inactive_reason" and value in User.InactiveReason.values:
        return str(User.InactiveReason(value).label)
    if isinstance(value, dict) and {"nl", "en"} <= value.keys():
        # A name kept in both languages (a function): the one of the reader's language.
        return str(value["en"] if (get_language() or "nl").startswith("en") else value["nl"])
    return str(value)


# Keys a sentence leaves out: its verb says them already (deactivated: is_active; a count of
# accesses), or the target names them (the person's e-mail, unless it is what changed).
IMPLIED_KEYS = frozenset({"is_active", "accesses"})


def changes_text(
    known: dict[str, type[Model] | None], before: dict[str, Any], after: dict[str, Any]
) -> str:
    """The changes as "postcode 1234 AB → 1017 AB, e-mailadres …", fields in ``known``'s order
    and labelled by its models' verbose names; a value only on one side is named if it says
    something (not empty, not "no")."""
    keys = [key for key in known if key in before or key in after]
    keys += sorted((before.keys() | after.keys()) - set(known))
    parts = []
    for key in keys:
        if key in IMPLIED_KEYS:
            continue
        label = _label(known.get(key), key)
        if key in before and key in after and before[key] != after[key]:
            parts.append(
                pgettext("audit change", "%(field)s %(before)s → %(after)s")
                % {
                    "field": label,
                    "before": _value(key, before[key]),
                    "after": _value(key, after[key]),
                }
            )
            continue
        value = after[key] if key in after else before[key]
        if value is None or value == "" or value is False or key == "email":
            continue  # nothing to say ("no"), or said by the target already
        parts.append(
            pgettext("audit value", "%(field)s %(value)s")
            % {"field": label, "value": _value(key, value)}
        )
    return ", ".join(parts)


def billing_address_changes_text(before: dict[str, Any], after: dict[str, Any]) -> str:
    return changes_text(
        dict.fromkeys(BillingAddress.EDITABLE_FIELDS, BillingAddress), before, after
    )


def _details(event: AuditEvent) -> str:
    before = event.before if isinstance(event.before, dict) else {}
    after = event.after if isinstance(event.after, dict) else {}
    if event.action == Action.BILLING_ADDRESS_CHANGED:
        return billing_address_changes_text(before, after)
    return changes_text(dict(PERSON_FIELDS), before, after)


def event_actor(event: AuditEvent) -> str:
    """Who acted, as recorded at the time: the name, else the e-mail, else "Someone"."""
    return event.actor_name or event.actor_email or pgettext("audit actor", "Someone")


def event_sentence(event: AuditEvent) -> str:
    """The event as a sentence in the active language, with its changes when it has any."""
    if event.action == Action.PASSWORD_CHANGED:
        via = event.after.get("via") if isinstance(event.after, dict) else None
        template = PASSWORD_SENTENCES.get(via, SENTENCES[Action.PASSWORD_CHANGED])
    elif event.action == Action.WELCOME_REFUSED:
        limit = event.after.get("limit") if isinstance(event.after, dict) else None
        template = WELCOME_REFUSED_SENTENCES.get(limit, SENTENCES[Action.WELCOME_REFUSED])
    else:
        template = SENTENCES.get(event.action)
    if template is None:  # an action that has been retired from the choices
        return f"{event_actor(event)}: {event.action}"
    sentence = str(template) % {
        "actor": event_actor(event),
        "target": event.target_label or pgettext("audit target", "someone"),
    }
    if event.action in WITH_DETAILS:
        details = _details(event)
        if details:
            return pgettext("audit sentence with details", "%(sentence)s: %(details)s") % {
                "sentence": sentence,
                "details": details,
            }
    return sentence

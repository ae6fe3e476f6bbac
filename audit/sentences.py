"""Each audit event as one sentence in the interface language (R25).

"Ruud Coon wijzigde het factuuradres: postcode 1234 AB → 1017 AB". Only the event's own
columns are read (the actor's name as it was, the target's label), never a related row, so a
page of 50 sentences costs no query and an event outlives the people and objects it names.

**Apps describe their own events.** The audit log imports no feature app: each app registers
the sentences of the actions it records, the fields its changes name and how their values
read, with ``audit_events_describe`` in its ``AppConfig.ready()`` (pretix's ``logentry_display``
signal is the model: the log shows what each plugin says of its own entries). The events about
a person's login, which ``accounts`` (below the audit log) causes, are described here, in
``ACCOUNT_EVENTS``. A test holds that every action has a description.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.utils import formats, timezone
from django.utils.translation import get_language, gettext, pgettext
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEvent
from core.formatters import TemplateRow

if TYPE_CHECKING:
    from django.db.models import Model

Action = AuditEvent.Action


@dataclass(frozen=True)
class EventDescription:
    """How the log tells one action.

    ``sentence`` names ``%(actor)s`` (who did it) and ``%(target)s`` (what or whom it was
    about). ``variants`` replace it by the value of ``after[variant_key]`` (how a password came
    to change, say). ``fields``, when given, makes the sentence list the changes of
    ``before``/``after``: the keys in the order they are named, each labelled by the verbose
    name of the model field it was (None: the key itself)."""

    sentence: Any
    variant_key: str | None = None
    variants: Mapping[str, Any] = field(default_factory=dict)
    fields: Mapping[str, type[Model] | None] | None = None


_DESCRIPTIONS: dict[str, EventDescription] = {}
# How the value of a key reads ("NL" -> "Nederland"), registered with the events naming it.
_VALUE_DISPLAYS: dict[str, Callable[[Any], str]] = {}


def audit_events_describe(
    descriptions: Mapping[str, EventDescription],
    *,
    values: Mapping[str, Callable[[Any], str]] | None = None,
) -> None:
    """Registers how the log tells ``descriptions``' actions and shows ``values``' keys.
    Called from an app's ``AppConfig.ready()``; describing an action twice differently, or
    an action the log does not know, is a configuration error."""
    for action, description in descriptions.items():
        if action not in Action.values:
            raise ImproperlyConfigured(f"Unknown audit action {action!r}")
        if _DESCRIPTIONS.get(action, description) != description:
            raise ImproperlyConfigured(f"The audit action {action!r} is described twice")
        _DESCRIPTIONS[action] = description
    for key, display in (values or {}).items():
        if _VALUE_DISPLAYS.get(key, display) is not display:
            raise ImproperlyConfigured(f"The audit value {key!r} is shown in two ways")
        _VALUE_DISPLAYS[key] = display


def described_actions() -> frozenset[str]:
    return frozenset(_DESCRIPTIONS)


# --- the events of a person's login (caused by accounts, below the log) ----------------------

ACCOUNT_EVENTS = {
    Action.LOGIN_SUCCEEDED: EventDescription(_("%(actor)s logged in")),
    Action.LOGIN_FAILED: EventDescription(_("Failed login attempt for %(target)s")),
    Action.LOGIN_CODE_SENT: EventDescription(_("A login code was e-mailed to %(target)s")),
    Action.LOGIN_CODE_USED: EventDescription(_("%(actor)s used a login code from the e-mail")),
    Action.LOGIN_CODE_FAILED: EventDescription(_("Wrong login code entered for %(target)s")),
    Action.PASSWORD_CHANGED: EventDescription(
        _("%(actor)s changed the password"),
        # How the password came to change (``after["via"]``, see audit.signals).
        variant_key="via",
        variants={
            "set": _("%(actor)s set a password"),
            "reset": _("%(actor)s chose a new password through the e-mail link"),
        },
    ),
    Action.MFA_ENABLED: EventDescription(_("%(actor)s turned on two-factor login")),
    Action.MFA_DISABLED: EventDescription(_("%(actor)s turned off two-factor login")),
    Action.ORGANISATION_SWITCHED: EventDescription(
        _("%(actor)s switched to organisation %(target)s")
    ),
}


def _language_display(value: Any) -> str:
    return str(dict(settings.LANGUAGES).get(value, value))


ACCOUNT_VALUES = {"language": _language_display}


# --- writing the sentence -------------------------------------------------------------------


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
    if isinstance(value, dict) and {"nl", "en"} <= value.keys():
        # A name kept in both languages (a function): the one of the reader's language.
        return str(value["en"] if (get_language() or "nl").startswith("en") else value["nl"])
    display = _VALUE_DISPLAYS.get(key)
    return display(value) if display is not None else str(value)


# Keys a sentence leaves out: its verb says them already (deactivated: is_active; a count of
# accesses), or the target names them (the person's e-mail, unless it is what changed).
IMPLIED_KEYS = frozenset({"is_active", "accesses"})


def changes_text(
    known: Mapping[str, type[Model] | None], before: dict[str, Any], after: dict[str, Any]
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


def event_actor(event: AuditEvent) -> str:
    """Who acted, as recorded at the time: the name, else the e-mail, else "Someone"."""
    return event.actor_name or event.actor_email or pgettext("audit actor", "Someone")


def event_sentence(event: AuditEvent) -> str:
    """The event as a sentence in the active language, with its changes when it has any."""
    description = _DESCRIPTIONS.get(event.action)
    if description is None:  # an action that has been retired from the choices
        return f"{event_actor(event)}: {event.action}"
    before = event.before if isinstance(event.before, dict) else {}
    after = event.after if isinstance(event.after, dict) else {}
    template = description.sentence
    if description.variant_key is not None:
        template = description.variants.get(after.get(description.variant_key), template)
    sentence = str(template) % {
        "actor": event_actor(event),
        "target": event.target_label or pgettext("audit target", "someone"),
    }
    if description.fields is not None:
        details = changes_text(description.fields, before, after)
        if details:
            return pgettext("audit sentence with details", "%(sentence)s: %(details)s") % {
                "sentence": sentence,
                "details": details,
            }
    return sentence


# --- an event on its own page (Django admin) --------------------------------------------------


@dataclass(frozen=True, slots=True)
class EventValue(TemplateRow):
    """One recorded value as a person reads it: the field's name and its value."""

    label: str
    value: str


def event_title(event: AuditEvent) -> str:
    """When, in local time, and what happened: "7 december 2026 14:05 · Ruud Coon wijzigde
    het factuuradres: …" (the heading of the event's page in admin)."""
    when = formats.date_format(timezone.localtime(event.created_at), "DATETIME_FORMAT")
    return pgettext("audit title", "%(when)s · %(sentence)s") % {
        "when": when,
        "sentence": event_sentence(event),
    }


def event_values(event: AuditEvent, side: str) -> list[EventValue]:
    """The ``before`` or ``after`` of ``event`` as a list: each key labelled as the sentence
    labels it (the model field's verbose name), each value shown as the sentence shows it
    ("Nederland", "020 123 4567", "Ja"), the described fields first in their order. Nothing is
    left out: this is the record, not the summary."""
    values = getattr(event, side)
    if not isinstance(values, dict):
        return []
    description = _DESCRIPTIONS.get(event.action)
    known = (description.fields if description is not None else None) or {}
    keys = [key for key in known if key in values]
    keys += sorted(values.keys() - set(known))
    return [EventValue(_label(known.get(key), key), _value(key, values[key])) for key in keys]

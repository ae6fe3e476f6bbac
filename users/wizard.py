"""The add wizard's state between its two steps (R14).

It is kept in the session, under a random key that the URL carries (``?state=``): the e-mail
checked in step 1, for which kind of access, organisation and Admin, and when. The address
never appears in a URL (access logs, browser history), and no one can change it: step 2
refuses a key it does not know (another session's, a made-up one), a state made for another
organisation, kind or Admin, or one older than an hour. The service checks the e-mail again
on saving (``membership_add``), so replaying a state after the person was added does no harm.
"""

from __future__ import annotations

import secrets
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.http import HttpRequest

WIZARD_SESSION_KEY = "users_add_wizard"
WIZARD_MAX_AGE = 60 * 60  # seconds
WIZARD_MAX_STATES = 10  # a few open tabs; the oldest go first


class WizardStateError(Exception):
    """The wizard's state is missing, unknown, expired or not meant for this request."""


def _wizard_states(request: HttpRequest) -> dict:
    """The session's states that have not expired, the newest ``WIZARD_MAX_STATES``."""
    now = time.time()
    states = {
        key: state
        for key, state in request.session.get(WIZARD_SESSION_KEY, {}).items()
        if isinstance(state, dict) and now - state.get("at", 0) <= WIZARD_MAX_AGE
    }
    return dict(sorted(states.items(), key=lambda item: item[1]["at"])[-WIZARD_MAX_STATES:])


def wizard_start(request: HttpRequest, *, kind: str, email: str) -> str:
    """Keeps the address step 1 accepted for this kind of access, the active organisation
    and the Admin asking; returns the key step 2's URL carries."""
    states = _wizard_states(request)
    key = secrets.token_urlsafe(16)
    states[key] = {
        "email": email,
        "kind": kind,
        "organisation": request.organisation.pk,
        "by": request.user.pk,
        "at": time.time(),
    }
    request.session[WIZARD_SESSION_KEY] = dict(list(states.items())[-WIZARD_MAX_STATES:])
    return key


def wizard_email(request: HttpRequest, *, kind: str, key: str) -> str:
    """The address kept under ``key``, if it was kept in this session, within the hour, for
    this kind of access, the active organisation and this Admin; else WizardStateError."""
    state = _wizard_states(request).get(key)
    if (
        state is None
        or state.get("kind") != kind
        or state.get("organisation") != request.organisation.pk
        or state.get("by") != request.user.pk
        or not isinstance(state.get("email"), str)
        or not state["email"]
    ):
        raise WizardStateError
    return state["email"]

"""The add wizard's state between its steps (users/wizard.py): only this session, this kind of
access, this organisation and this Admin get the address back, within the hour. The pages'
answers (400, nothing stored) are in test_views_add.py."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import time_machine
from django.contrib.sessions.backends.db import SessionStore
from hypothesis import given
from hypothesis import strategies as st

from users.wizard import (
    WIZARD_MAX_STATES,
    WIZARD_SESSION_KEY,
    WizardStateError,
    wizard_email,
    wizard_start,
)

EMAIL = "nina@rodelente.example"
ORGANISATION = "organisation"


def _request(*, organisation: int = 7, by: int = 3, session=None):
    """What the wizard reads of a request: the session, the organisation, the Admin."""
    return SimpleNamespace(
        session=session if session is not None else SessionStore(),
        organisation=SimpleNamespace(pk=organisation),
        user=SimpleNamespace(pk=by),
    )


def test_the_address_comes_back_for_the_same_session_kind_organisation_and_admin():
    request = _request()
    key = wizard_start(request, kind=ORGANISATION, email=EMAIL)
    assert EMAIL not in key
    assert wizard_email(request, kind=ORGANISATION, key=key) == EMAIL
    assert wizard_email(request, kind=ORGANISATION, key=key) == EMAIL  # *Vorige* and again


def test_keys_are_random():
    request = _request()
    keys = {wizard_start(request, kind=ORGANISATION, email=EMAIL) for _ in range(5)}
    assert len(keys) == 5
    assert all(len(key) >= 20 for key in keys)


@pytest.mark.parametrize("key", ["", "garbage", "eyJlbWFpbCI6ImEifQ:1abc:xyz"])
def test_an_unknown_key_is_refused(key):
    request = _request()
    wizard_start(request, kind=ORGANISATION, email=EMAIL)
    with pytest.raises(WizardStateError):
        wizard_email(request, kind=ORGANISATION, key=key)


@given(key=st.text(max_size=40))
def test_any_made_up_key_is_refused(key):
    request = _request(session={})
    wizard_start(request, kind=ORGANISATION, email=EMAIL)
    with pytest.raises(WizardStateError):
        wizard_email(request, kind=ORGANISATION, key=key)


def test_a_key_of_another_session_is_refused():
    key = wizard_start(_request(), kind=ORGANISATION, email=EMAIL)
    with pytest.raises(WizardStateError):
        wizard_email(_request(), kind=ORGANISATION, key=key)


@pytest.mark.parametrize(
    ("asked", "changes"),
    [
        ("support", {}),  # the other kind of access
        (ORGANISATION, {"organisation": 8}),  # the Admin switched organisation
        (ORGANISATION, {"by": 4}),  # another Admin in the same session (logged in again)
    ],
)
def test_a_state_meant_for_another_kind_organisation_or_admin_is_refused(asked, changes):
    session = {}
    key = wizard_start(_request(session=session), kind=ORGANISATION, email=EMAIL)
    with pytest.raises(WizardStateError):
        wizard_email(_request(session=session, **changes), kind=asked, key=key)


def test_a_state_expires_after_an_hour():
    request = _request(session={})
    with time_machine.travel("2026-06-01 10:00:00+02:00", tick=False):
        key = wizard_start(request, kind=ORGANISATION, email=EMAIL)
    with time_machine.travel("2026-06-01 11:00:00+02:00", tick=False):
        assert wizard_email(request, kind=ORGANISATION, key=key) == EMAIL
    with (
        time_machine.travel("2026-06-01 11:00:01+02:00", tick=False),
        pytest.raises(WizardStateError),
    ):
        wizard_email(request, kind=ORGANISATION, key=key)


@pytest.mark.parametrize("email", [None, "", 42, ["nina@rodelente.example"]])
def test_a_state_without_an_address_is_refused(email):
    session = {}
    request = _request(session=session)
    key = wizard_start(request, kind=ORGANISATION, email=EMAIL)
    session[WIZARD_SESSION_KEY][key]["email"] = email
    with pytest.raises(WizardStateError):
        wizard_email(request, kind=ORGANISATION, key=key)


def test_a_session_keeps_the_newest_states_only():
    request = _request(session={})
    keys = []
    for minute in range(WIZARD_MAX_STATES + 2):
        with time_machine.travel(f"2026-06-01 10:{minute:02d}:00+02:00", tick=False):
            keys.append(wizard_start(request, kind=ORGANISATION, email=f"p{minute}@x.example"))
    assert len(request.session[WIZARD_SESSION_KEY]) == WIZARD_MAX_STATES
    with time_machine.travel("2026-06-01 10:30:00+02:00", tick=False):
        for old in keys[:2]:
            with pytest.raises(WizardStateError):
                wizard_email(request, kind=ORGANISATION, key=old)
        assert wizard_email(request, kind=ORGANISATION, key=keys[-1]) == "p11@x.example"

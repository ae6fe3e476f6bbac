"""allauth is customised here only (and by template overrides), never by forking its views."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # Access is given by an organisation's Admin or by staff; there is no public sign-up.
        return False

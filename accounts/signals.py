"""The signals accounts sends, for the apps above it to record (the audit log connects
them in ``audit/apps.py``): accounts imports none of them. The receivers accounts connects
itself (session tracking) are in ``accounts/receivers.py``."""

from __future__ import annotations

from django.dispatch import Signal

# The one-time login code (accounts/login_code.py), recorded by audit: sent to a person's
# address, used to log in, or entered wrongly for a person's address. ``request`` and ``user``.
login_code_sent = Signal()
login_code_used = Signal()
login_code_rejected = Signal()

# The welcome link's activation (accounts.services.user_activate, accounts.views): the person
# chose their first password, then was logged in by Django's login(), which allauth's login
# signal does not see. Recorded by audit, like the login code's. ``request`` and ``user``.
activation_password_set = Signal()
activation_logged_in = Signal()

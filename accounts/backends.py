"""The authentication backends: Django's and allauth's, reading a logged-in person's user row
and *Mijn organisatie* memberships in one query.

Every request of a logged-in person needs both: the user (``request.user``) and, for the
active organisation and its role, the memberships (``ActiveOrganisationMiddleware``, R6).
``get_user`` loads the memberships with their user and organisation joined and hands them on
as ``user.organisation_memberships``; a person without memberships (staff, *Mijn support*
only) costs the plain user query as before. Both are read on every request, so a revoked
access or a deactivated account takes effect on the next one.
"""

from __future__ import annotations

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from accounts.models import User
from accounts.selectors import organisation_membership_rows


class MembershipsWithUserMixin:
    def get_user(self, user_id):
        memberships = organisation_membership_rows(user_id=user_id)
        if memberships:
            user = memberships[0].user
            for membership in memberships:
                membership.user = user
        else:
            try:
                user = User._default_manager.get(pk=user_id)
            except User.DoesNotExist:
                return None
        user.organisation_memberships = memberships
        return user if self.user_can_authenticate(user) else None


class ModelBackend(MembershipsWithUserMixin, DjangoModelBackend):
    """Django's backend (e-mail and password, ``login(..., backend=...)`` of the activation)."""


class AuthenticationBackend(MembershipsWithUserMixin, AllauthBackend):
    """allauth's backend (its login form)."""

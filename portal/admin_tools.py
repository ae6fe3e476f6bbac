"""What the apps' Django admin pages share."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect


class ServiceRefusalMixin:
    """Admin pages write only through the services (one write path): access, billing addresses.

    A service refuses with a ValidationError once the admin form has been found valid (the
    last Admin, an address of another customer, a race). The admin's own transaction around
    the save is then rolled back, so nothing of the page is stored, and the refusal is shown
    as an error message on the page the user came from.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as refusal:
            for message in refusal.messages:
                self.message_user(request, message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

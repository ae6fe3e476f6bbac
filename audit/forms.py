from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEvent
from audit.selectors import AuditActor


class AuditFilterForm(forms.Form):
    """*Activiteit*'s search and filters, read from the query string; a bad value is ignored.

    The choices are what the organisation's log holds, so an Admin never picks a filter that
    can only answer "nothing".
    """

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    action = forms.ChoiceField(label=_("What"), required=False)
    actor = forms.TypedChoiceField(label=_("Who"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, actions: list[str], actors: list[AuditActor], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(AuditEvent.Action.choices)
        self.fields["action"].choices = [("", _("All activities"))] + [
            (value, labels[value]) for value in actions
        ]
        self.fields["actor"].choices = [("", _("Everyone"))] + [
            (str(actor.id), actor.label) for actor in actors
        ]

    def filters(self) -> dict:
        self.is_valid()
        data = {
            name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors
        }
        return {
            "query": data.get("q") or "",
            "action": data.get("action") or "",
            "actor_id": data.get("actor"),
        }

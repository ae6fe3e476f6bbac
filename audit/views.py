"""*Activiteit*: the active organisation's audit log, for its Admins (R25)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.decorators import capability_required
from accounts.permissions import VIEW_AUDIT_LOG
from audit.exports import audit_event_csv
from audit.forms import AuditFilterForm
from audit.rows import event_rows
from audit.selectors import audit_event_actions, audit_event_actors, audit_event_list
from core.formatters import select_options

PAGE_SIZE = 50


def _filtered(request: HttpRequest):
    """The filter form, the filters in force and the events they find."""
    organisation = request.organisation
    form = AuditFilterForm(
        request.GET,
        actions=audit_event_actions(organisation=organisation),
        actors=audit_event_actors(organisation=organisation),
    )
    filters = form.filters()
    return form, filters, audit_event_list(organisation=organisation, **filters)


# The capability check comes first, so a Viewer is refused (403) whatever the method (R21);
# only those who may read the log learn that it answers GET only.
@capability_required(VIEW_AUDIT_LOG)
@require_GET
def audit_event_list_view(request: HttpRequest) -> HttpResponse:
    form, filters, events = _filtered(request)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/event_list.html",
        {
            "form": form,
            "filters": filters,
            "filtered": any(filters.values()),
            "page": page,
            "rows": event_rows(page.object_list),
            # Hundreds of people may be in *Who*: which one is chosen is compared in Python.
            "action_options": select_options(form.fields["action"].choices, filters["action"]),
            "actor_options": select_options(form.fields["actor"].choices, str(filters["actor_id"])),
        },
    )


@capability_required(VIEW_AUDIT_LOG)
@require_GET
def audit_event_export_csv(request: HttpRequest) -> StreamingHttpResponse:
    """Every event the current filter finds (not only a page) as CSV, for auditors; Admins
    only, as the page. Not itself recorded: exporting the users CSV is not either."""
    _form, _filters, events = _filtered(request)
    return audit_event_csv(events=events, organisation=request.organisation)

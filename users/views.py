"""The *Gebruikers* pages (R13-R20): the two lists, the add wizard, edit, delete, export.

Views only answer requests: who may do what is in the decorators, the rules in
``users.services`` (which re-checks everything the wizard checked), the data in
``users.selectors`` (always filtered on ``request.organisation``).
"""

from __future__ import annotations

import contextlib
from http import HTTPStatus

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import admin_required, organisation_required
from accounts.emails import canonical_email_or_none
from accounts.models import Membership
from accounts.permissions import MANAGE_USERS
from accounts.services import user_is_activated
from core.formatters import select_options
from core.sorting import sort_header
from users.exports import user_list_csv
from users.forms import EmailStepForm, RemovalForm, UserDetailsForm, UserFilterForm
from users.rows import user_rows
from users.selectors import (
    EmailOutcome,
    email_check,
    job_function_choices,
    membership_get,
    organisation_user_list,
)
from users.services import (
    AccessAdded,
    AccessUpdated,
    membership_add,
    membership_remove,
    membership_update,
    welcome_resend,
)
from users.wizard import WizardStateError, wizard_email, wizard_start

PAGE_SIZE = 25

ORGANISATION = Membership.Kind.ORGANISATION
SUPPORT = Membership.Kind.SUPPORT
URL_NAMES = {
    ORGANISATION: {"list": "users:list", "add": "users:add", "details": "users:add_details"},
    SUPPORT: {
        "list": "users:support_list",
        "add": "users:support_add",
        "details": "users:support_add_details",
    },
}


def _list_url(kind: str) -> str:
    return reverse(URL_NAMES[kind]["list"])


def _kind_context(kind: str) -> dict:
    return {
        "kind": kind,
        "kind_label": Membership.Kind(kind).label,
        "is_support": kind == SUPPORT,
        "list_url": _list_url(kind),
        "add_url": reverse(URL_NAMES[kind]["add"]),
    }


@require_GET
@organisation_required
def user_list(request: HttpRequest, kind: str) -> HttpResponse:
    """One tab of *Gebruikers*: the organisation's users of one kind, searchable, filtered by
    role, status and security/privacy flag, sorted by name, e-mail or role, 25 a page. Every
    link of the page (page numbers, sort headers) keeps the query."""
    form = UserFilterForm(request.GET, kind=kind)
    filters = form.filters()
    memberships = organisation_user_list(
        organisation=request.organisation, kind=kind, filters=filters
    )
    page = Paginator(memberships, PAGE_SIZE).get_page(request.GET.get("page"))
    can_manage = request.can.has(MANAGE_USERS)
    rows = user_rows(page.object_list, is_support=kind == SUPPORT, can_manage=can_manage)
    query, current = request.GET, filters.sort
    return render(
        request,
        "users/user_list.html",
        {
            **_kind_context(kind),
            "form": form,
            "filters": filters,
            "query": filters.query,
            "filtered": filters.filtered,
            "page": page,
            "rows": rows,
            "can_manage": can_manage,
            "role_options": (
                select_options(form.fields["role"].choices, filters.role)
                if "role" in form.fields
                else []
            ),
            "status_options": select_options(form.fields["status"].choices, filters.status),
            "security_options": select_options(
                form.fields["security_contact"].choices, filters.security_contact
            ),
            "sort_by_name": sort_header(query, current, "name", _("Last name")),
            "sort_by_email": sort_header(query, current, "email", _("E-mail")),
            "sort_by_role": sort_header(query, current, "role", _("Role")),
        },
    )


def _render_email_step(
    request: HttpRequest,
    kind: str,
    form: EmailStepForm,
    status: int = HTTPStatus.OK,
    restart: str = "",
) -> HttpResponse:
    return render(
        request,
        "users/user_add_email.html",
        {**_kind_context(kind), "form": form, "restart": restart},
        status=status,
    )


def _restart(request: HttpRequest, kind: str) -> HttpResponse:
    """A state that cannot be trusted: back to step 1 with an explanation, nothing stored."""
    message = _("This form has expired or was changed. Start again with the e-mail address.")
    return _render_email_step(
        request, kind, EmailStepForm(), status=HTTPStatus.BAD_REQUEST, restart=message
    )


def _refused(request: HttpRequest, kind: str, email: str, message: str) -> HttpResponse:
    form = EmailStepForm({"email": email})
    form.is_valid()
    form.add_error("email", message)
    return _render_email_step(request, kind, form)


@never_cache
@admin_required
@require_http_methods(["GET", "POST"])
def user_add(request: HttpRequest, kind: str) -> HttpResponse:
    """Step 1 of adding a user (R14): the e-mail address decides what happens next."""
    if request.method == "POST":
        form = EmailStepForm(request.POST)
        if form.is_valid():
            check = email_check(
                organisation=request.organisation, email=form.cleaned_data["email"], kind=kind
            )
            if check.allowed:
                state = wizard_start(request, kind=kind, email=check.email)
                details = reverse(URL_NAMES[kind]["details"])
                return redirect(f"{details}?{urlencode({'state': state})}")
            form.add_error("email", check.message)
        return _render_email_step(request, kind, form)
    initial = {}
    if state := request.GET.get("state"):  # back from step 2 (*Vorige*): the e-mail stays
        with contextlib.suppress(WizardStateError):
            initial["email"] = wizard_email(request, kind=kind, key=state)
    return _render_email_step(request, kind, EmailStepForm(initial=initial))


@never_cache
@admin_required
@require_http_methods(["GET", "POST"])
def user_add_details(request: HttpRequest, kind: str) -> HttpResponse:
    """Step 2 of adding a user: the person's details, prefilled for a known contact."""
    state = request.GET.get("state", "")
    if not state:
        return redirect(URL_NAMES[kind]["add"])
    try:
        email = wizard_email(request, kind=kind, key=state)
    except WizardStateError:
        return _restart(request, kind)
    if request.method == "POST" and canonical_email_or_none(request.POST.get("email", "")) != email:
        # The address is shown read-only: a different one was not typed here.
        return _restart(request, kind)
    check = email_check(organisation=request.organisation, email=email, kind=kind)
    if not check.allowed:  # e.g. added meanwhile by another Admin, or a replayed state
        return _refused(request, kind, email, check.message)

    options = {
        "kind": kind,
        "job_functions": job_function_choices(),
        "current_function_id": check.user.job_function_id if check.user else None,
        # A new person's language (R22); a known contact keeps the one they chose.
        "with_language": check.outcome == EmailOutcome.NEW,
    }
    if request.method == "POST":
        form = UserDetailsForm(request.POST, **options)
        if form.is_valid():
            try:
                added = membership_add(
                    by=request.user,
                    organisation=request.organisation,
                    email=email,
                    kind=kind,
                    request=request,
                    **form.service_kwargs(),
                )
            except ValidationError as error:
                form.add_service_error(error)
            else:
                _added_message(request, added)
                return redirect(_list_url(kind))
    else:
        initial = UserDetailsForm.initial_from(check.user) if check.user else {}
        initial.setdefault("language", request.user.language)  # the Admin's, by default
        form = UserDetailsForm(initial=initial, **options)
    back = f"{reverse(URL_NAMES[kind]['add'])}?{urlencode({'state': state})}"
    return render(
        request,
        "users/user_add_details.html",
        {
            **_kind_context(kind),
            "form": form,
            "email": email,
            "back_url": back,
            "known": check.outcome == EmailOutcome.KNOWN,
            "reactivate": check.outcome == EmailOutcome.REACTIVATE,
        },
    )


def _added_message(request: HttpRequest, added: AccessAdded) -> None:
    membership, welcome = added.membership, added.welcome
    person = membership.user
    values = {"name": person.get_full_name(), "access": membership.get_kind_display()}
    text = _("%(name)s now has access to %(access)s.") % values
    if welcome.sent:
        text += " " + _(
            "We have sent %(email)s a welcome e-mail with a link to activate the account."
        ) % {"email": person.email}
    elif added.notice:
        text += " " + _("We have told %(email)s by e-mail.") % {"email": person.email}
    messages.success(request, text)
    if welcome.limit is not None:
        # The access stands; the mail waits for the limit (and *Welkomstmail opnieuw sturen*).
        messages.warning(request, welcome.message)


@never_cache
@admin_required
@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Editing a person's details and this access (R15); the rules are the service's."""
    membership = membership_get(organisation=request.organisation, pk=pk)
    kind = membership.kind
    options = {
        "kind": kind,
        "job_functions": job_function_choices(),
        "current_function_id": membership.user.job_function_id,
        "with_email": True,
        # The language of the invitation, while there is one (R22); then it is the person's.
        "with_language": not user_is_activated(membership.user),
    }
    if request.method == "POST":
        form = UserDetailsForm(request.POST, **options)
        if form.is_valid():
            try:
                updated = membership_update(
                    by=request.user, membership=membership, request=request, **form.service_kwargs()
                )
            except ValidationError as error:
                form.add_service_error(error)
            else:
                _saved_message(request, updated)
                return redirect(_list_url(kind))
    else:
        form = UserDetailsForm(
            initial=UserDetailsForm.initial_from(membership.user, membership), **options
        )
    return render(
        request,
        "users/user_edit.html",
        {**_kind_context(kind), "form": form, "membership": membership, "person": membership.user},
    )


def _saved_message(request: HttpRequest, updated: AccessUpdated) -> None:
    """What the edit did, a changed login address (R15) and its mails included."""
    name = updated.membership.user.get_full_name()
    parts = [_("The details of %(name)s have been saved.") % {"name": name}]
    change = updated.email_change
    if change is not None:
        values = {"name": name, "old": change.old, "new": change.new}
        if change.welcome.sent:
            parts.append(
                _(
                    "The invitation sent to %(old)s no longer works; we have sent %(new)s a new "
                    "welcome e-mail."
                )
                % values
            )
        elif change.welcome.limit is not None:
            parts.append(_("The invitation sent to %(old)s no longer works.") % values)
        else:
            parts.append(
                _("%(name)s now logs in with %(new)s; we have told %(old)s and %(new)s by e-mail.")
                % values
            )
    messages.success(request, " ".join(parts))
    if change is not None and change.welcome.limit is not None:
        messages.warning(request, change.welcome.message)


@never_cache
@admin_required
@require_http_methods(["GET", "POST"])
def user_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """*Weet je het zeker?* (R16): this access ends, or with the box the contact altogether."""
    membership = membership_get(organisation=request.organisation, pk=pk)
    kind = membership.kind
    person = membership.user
    form = RemovalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        deactivate = form.cleaned_data["deactivate"]
        try:
            membership_remove(
                by=request.user,
                membership=membership,
                reason=form.cleaned_data["reason"],
                deactivate=deactivate,
                request=request,
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            values = {"name": person.get_full_name(), "access": membership.get_kind_display()}
            if deactivate:
                text = _("%(name)s has been deactivated: every access has ended.") % values
            else:
                text = _("%(name)s no longer has access to %(access)s.") % values
            messages.success(request, text)
            if person.pk == request.user.pk and (deactivate or kind == ORGANISATION):
                # Their own access here has ended: this list is no longer theirs to see.
                return redirect("portal:home")
            return redirect(_list_url(kind))
    return render(
        request,
        "users/user_delete.html",
        {**_kind_context(kind), "form": form, "membership": membership, "person": person},
    )


@admin_required
@require_POST
def user_resend_welcome(request: HttpRequest, pk: int) -> HttpResponse:
    """Sends the welcome e-mail again to a person who never activated (within the limits of
    ``users.services.welcome_send``)."""
    membership = membership_get(organisation=request.organisation, pk=pk)
    person = membership.user
    result = welcome_resend(by=request.user, membership=membership, request=request)
    if result.sent:
        messages.success(
            request,
            _("We have sent %(email)s a new welcome e-mail.") % {"email": person.email},
        )
    elif result.limit is not None:
        messages.error(request, result.message)
    else:
        messages.info(
            request,
            _("%(name)s has already activated the account; no e-mail was sent.")
            % {"name": person.get_full_name()},
        )
    return redirect(_list_url(membership.kind))


@require_GET
@organisation_required
def user_export_csv(request: HttpRequest) -> StreamingHttpResponse:
    """Both lists of the active organisation as one CSV (``;``, UTF-8 with BOM), for every
    Viewer and Admin: a Viewer sees everything in *Mijn organisatie* (R21), this list too."""
    lists = [
        organisation_user_list(organisation=request.organisation, kind=kind)
        for kind in (ORGANISATION, SUPPORT)
    ]
    return user_list_csv(lists=lists, organisation=request.organisation)

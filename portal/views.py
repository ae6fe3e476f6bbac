"""Home (the launcher), the *Mijn organisatie* start page, organisation and language switching."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from http import HTTPStatus

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

from accounts.decorators import organisation_required
from accounts.language import language_is_supported
from accounts.middleware import set_active_organisation
from accounts.models import Membership
from accounts.selectors import user_has_support_access
from accounts.services import user_language_update
from audit.models import AuditEvent
from audit.services import audit_record
from portal.overview import overview_build
from portal.selectors import access_removed

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Tile:
    key: str
    title: str
    description: str
    url: str
    external: bool = False


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The launcher (*Visma Home*, R5): the apps this user holds; with one, go straight in."""
    tiles: list[Tile] = []
    if request.organisation_memberships:
        tiles.append(
            Tile(
                key="organisation",
                title=gettext("Mijn organisatie"),
                description=gettext("Invoices, billing address and users of your organisation."),
                url=reverse("portal:organisation_home"),
            )
        )
    if user_has_support_access(user=request.user):
        tiles.append(
            Tile(
                key="support",
                title=gettext("Mijn support"),
                description=gettext("File and follow service requests in the support portal."),
                url=settings.SUPPORT_PORTAL_URL,
                external=True,
            )
        )
    if request.user.is_staff:
        tiles.append(
            Tile(
                key="admin",
                title=gettext("Management"),
                description=gettext("Customers, organisations and users, for the vendor's staff."),
                url=reverse("admin:index"),
            )
        )
    if len(tiles) == 1:
        return redirect(tiles[0].url)
    # Without any app: was access taken away, or not given yet? They need different words.
    removed = not tiles and access_removed(user=request.user)
    return render(request, "portal/home.html", {"tiles": tiles, "access_removed": removed})


@require_GET
@organisation_required
def organisation_home(request: HttpRequest) -> HttpResponse:
    """The overview of *Mijn organisatie*: the state of the active organisation's account, its
    latest invoices, billing address and people, and for Admins the latest activity."""
    overview = overview_build(
        organisation=request.organisation, can=request.can, now=timezone.now()
    )
    return render(request, "portal/organisation_home.html", {"overview": overview})


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 403 page (``handler403``), in the words of the refusal: a role without the right,
    no *Mijn organisatie* access yet, or an access that was removed (R16, R21).

    Django's own handler renders the same template without knowing which; the page the
    decorators' refusal leads to must not tell a removed person "your role"."""
    # A refusal before the user is known (a middleware's) is about neither.
    user = getattr(request, "user", None)
    no_access = bool(
        user is not None
        and user.is_authenticated
        and hasattr(request, "membership")
        and request.membership is None
    )
    removed = no_access and access_removed(user=user, kind=Membership.Kind.ORGANISATION)
    return render(
        request,
        "403.html",
        {"no_access": no_access, "access_removed": removed},
        status=HTTPStatus.FORBIDDEN,
    )


def _safe_next(request: HttpRequest, fallback: str) -> str:
    candidate = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


@require_POST
def switch_organisation(request: HttpRequest) -> HttpResponse:
    """Makes another of the user's organisations the active one (R6).

    Only organisations the user holds *Mijn organisatie* access to can be chosen; any other id,
    existing or not, answers 404 so the answer does not reveal what exists.
    """
    wanted = request.POST.get("organisation", "")
    membership = next(
        (m for m in request.organisation_memberships if str(m.organisation_id) == wanted), None
    )
    if membership is None:
        raise Http404(_("No such organisation."))
    previous = request.organisation
    set_active_organisation(request, membership.organisation)
    if previous is None or previous.pk != membership.organisation_id:
        # Recorded in the organisation chosen, so its Admins see who started working in it.
        audit_record(
            action=AuditEvent.Action.ORGANISATION_SWITCHED,
            actor=request.user,
            organisation=membership.organisation,
            target=membership.organisation,
            target_label=membership.organisation.name,
            before={"organisation": previous.name} if previous is not None else {},
            request=request,
        )
    messages.success(
        request,
        gettext("You are now working in %(organisation)s.")
        % {"organisation": membership.organisation.name},
    )
    return HttpResponseRedirect(_safe_next(request, reverse("portal:organisation_home")))


@login_not_required
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, which also keeps a logged-in user's choice (R22)."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language_is_supported(language):
        user_language_update(user=request.user, language=language)
    return response


@login_not_required
def not_available(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """Answers 404 for library pages this portal switches off (see portal/urls.py)."""
    raise Http404


def database_pool():
    """The PostgreSQL connection pool, or None (SQLite, or the pool switched off)."""
    return getattr(connection, "pool", None)


def database_answers() -> bool:
    """Whether the database answers ``SELECT 1`` within ``HEALTH_CHECK_TIMEOUT``.

    Through the pool the wait is bounded by the pool's timeout (a connection attempt runs in
    the pool's own thread); without a pool by libpq's connect_timeout."""
    pool = database_pool()
    try:
        if pool is not None:
            pool.open()
            with pool.connection(timeout=settings.HEALTH_CHECK_TIMEOUT) as conn:
                conn.execute("SELECT 1").fetchone()
        else:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
    except Exception:  # psycopg's errors, the pool's timeout, Django's DatabaseError
        logger.warning("Health check: the database does not answer", exc_info=True)
        return False
    return True


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Readiness, for load balancers: 200 when the database answers, 503 otherwise, within
    2 s. Answered by portal.middleware.HealthCheckMiddleware before sessions and users are
    read, so a cookie changes nothing."""
    if not database_answers():
        return JsonResponse(
            {"status": "error", "database": "unavailable"},
            status=HTTPStatus.SERVICE_UNAVAILABLE,
        )
    return JsonResponse({"status": "ok", "database": "ok"})


@login_not_required
@never_cache
@require_GET
def livez(request: HttpRequest) -> JsonResponse:
    """Liveness: the process serves requests. Needs no database (a restart would not help)."""
    return JsonResponse({"status": "ok"})

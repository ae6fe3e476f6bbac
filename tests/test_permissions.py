"""The permission matrix: every portal URL x who asks x method -> the expected status.

Who asks:
- anonymous            not logged in
- viewer / admin       Viewer / Admin of the organisation the URL's object belongs to
- support              holds only *Mijn support* access there
- other_organisation   Admin of an organisation of another customer
- revoked              was a Viewer, access withdrawn while logged in

The test at the bottom fails when a URL pattern of the portal is missing from the table.
"""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import Membership, User
from tests.conftest import logged_in

OK = HTTPStatus.OK
FOUND = HTTPStatus.FOUND
FORBIDDEN = HTTPStatus.FORBIDDEN
NOT_FOUND = HTTPStatus.NOT_FOUND
NOT_ALLOWED = HTTPStatus.METHOD_NOT_ALLOWED
LOGIN = "login"  # a redirect to the login page

WHO = ["anonymous", "viewer", "admin", "support", "other_organisation", "revoked"]


def everyone(status):
    return dict.fromkeys(WHO, status)


def logged_in_only(status, anonymous=LOGIN):
    return {**everyone(status), "anonymous": anonymous}


def ADMIN_ONLY(status, *, other_organisation):  # noqa: N802 - reads as a table entry
    """An Admin-only URL about an object of the organisation: only its Admin gets ``status``."""
    return {
        "anonymous": LOGIN,
        "viewer": FORBIDDEN,
        "admin": status,
        "support": FORBIDDEN,
        "other_organisation": other_organisation,
        "revoked": FORBIDDEN,
    }


def ADMIN_ONLY_OWN_ORGANISATION(status):  # noqa: N802
    """An Admin-only URL about the active organisation: another customer's Admin gets the
    same answer, about their own organisation."""
    return ADMIN_ONLY(status, other_organisation=status)


# url name -> (kwargs builder, {method: {who: expected}}, POST data builder)
MATRIX = {
    "portal:home": {
        "GET": {
            "anonymous": LOGIN,
            # one app each: straight into it
            "viewer": FOUND,
            "admin": FOUND,
            "support": FOUND,
            "other_organisation": FOUND,
            "revoked": OK,  # no app left: the page says so
        },
        "POST": logged_in_only(NOT_ALLOWED),
    },
    "portal:organisation_home": {
        "GET": {
            "anonymous": LOGIN,
            "viewer": OK,
            "admin": OK,
            "support": FORBIDDEN,
            "other_organisation": OK,  # their own organisation
            "revoked": FORBIDDEN,
        },
        "POST": logged_in_only(NOT_ALLOWED),
    },
    "portal:switch_organisation": {
        "GET": logged_in_only(NOT_ALLOWED),
        "POST": {
            "anonymous": LOGIN,
            "viewer": FOUND,
            "admin": FOUND,
            "support": NOT_FOUND,
            "other_organisation": NOT_FOUND,
            "revoked": NOT_FOUND,
        },
    },
    "portal:set_language": {
        "GET": everyone(NOT_ALLOWED),
        "POST": everyone(FOUND),
    },
    "allauth_email_disabled": {
        "GET": everyone(NOT_FOUND),
        "POST": everyone(NOT_FOUND),
    },
    "allauth_confirm_email_disabled": {
        "GET": everyone(NOT_FOUND),
        "POST": everyone(NOT_FOUND),
    },
    "portal:healthz": {
        "GET": everyone(OK),
        "POST": everyone(NOT_ALLOWED),
    },
    "portal:livez": {
        "GET": everyone(OK),
        "POST": everyone(NOT_ALLOWED),
    },
    "invoices:list": {
        "GET": {
            "anonymous": LOGIN,
            "viewer": OK,
            "admin": OK,
            "support": FORBIDDEN,
            "other_organisation": OK,  # their own organisation's (empty) list
            "revoked": FORBIDDEN,
        },
        "POST": logged_in_only(NOT_ALLOWED),
    },
    "invoices:export_csv": {
        "GET": {
            "anonymous": LOGIN,
            "viewer": OK,
            "admin": OK,
            "support": FORBIDDEN,
            "other_organisation": OK,  # their own organisation's invoices: none
            "revoked": FORBIDDEN,
        },
        "POST": logged_in_only(NOT_ALLOWED),
    },
    "invoices:download_zip": {
        "GET": {
            "anonymous": LOGIN,
            "viewer": OK,
            "admin": OK,
            "support": FORBIDDEN,
            "other_organisation": FOUND,  # nothing of theirs to zip: back to the list
            "revoked": FORBIDDEN,
        },
        "POST": logged_in_only(NOT_ALLOWED),
    },
    "invoices:download": {
        "GET": {
            "anonymous": LOGIN,
            "viewer": OK,
            "admin": OK,
            "support": FORBIDDEN,
            "other_organisation": NOT_FOUND,  # never reveals that the invoice exists
            "revoked": FORBIDDEN,
        },
        "POST": logged_in_only(NOT_ALLOWED),
    },
    # An invoice's page: Viewers and Admins alike; another organisation's is a 404.
    "invoices:detail": {
        "GET": {
            "anonymous": LOGIN,
            "viewer": OK,
            "admin": OK,
            "support": FORBIDDEN,
            "other_organisation": NOT_FOUND,  # never reveals that the invoice exists
            "revoked": FORBIDDEN,
        },
        "POST": logged_in_only(NOT_ALLOWED),
    },
    "billing_address:detail": {
        "GET": {
            "anonymous": LOGIN,
            "viewer": OK,
            "admin": OK,
            "support": FORBIDDEN,
            "other_organisation": OK,  # their own organisation's address
            "revoked": FORBIDDEN,
        },
        "POST": logged_in_only(NOT_ALLOWED),
    },
    # Admin and Viewer differ: only an Admin edits the billing address (R12, R21).
    "billing_address:edit": {
        "GET": {
            "anonymous": LOGIN,
            "viewer": FORBIDDEN,
            "admin": OK,
            "support": FORBIDDEN,
            "other_organisation": OK,  # their own organisation's address
            "revoked": FORBIDDEN,
        },
        "POST": {
            "anonymous": LOGIN,
            "viewer": FORBIDDEN,
            "admin": FOUND,  # saved
            "support": FORBIDDEN,
            "other_organisation": FOUND,  # saved, for their own organisation
            "revoked": FORBIDDEN,
        },
    },
    # Admins only (R25): a Viewer is refused whatever the method.
    "audit:list": {
        "GET": {
            "anonymous": LOGIN,
            "viewer": FORBIDDEN,
            "admin": OK,
            "support": FORBIDDEN,
            "other_organisation": OK,  # their own organisation's log
            "revoked": FORBIDDEN,
        },
        "POST": {
            "anonymous": LOGIN,
            "viewer": FORBIDDEN,
            "admin": NOT_ALLOWED,
            "support": FORBIDDEN,
            "other_organisation": NOT_ALLOWED,
            "revoked": FORBIDDEN,
        },
    },
    # Public: a forged or stale activation link answers the plain "link no longer works" page.
    "accounts:activate": {
        "GET": everyone(OK),
        "POST": everyone(NOT_ALLOWED),
    },
    "accounts:activate_password": {
        "GET": everyone(OK),
        "POST": everyone(OK),
    },
    # Public: the login code offered during an attack (accounts/login_code.py); a logged-in
    # person is sent home. Without an asked-for code the confirm page sends to the login.
    "accounts:login_code_request": {
        "GET": {**everyone(FOUND), "anonymous": OK},
        "POST": {**everyone(FOUND), "anonymous": OK},  # an empty form: its error
    },
    "accounts:login_code_confirm": {
        "GET": {**everyone(FOUND), "anonymous": LOGIN},
        "POST": {**everyone(FOUND), "anonymous": LOGIN},
    },
    "accounts:profile": {
        "GET": logged_in_only(OK),
        "POST": logged_in_only(FOUND),
    },
    # Gebruikers (R13-R20): every organisation user sees the lists; only an Admin changes.
    "users:list": {
        "GET": {
            "anonymous": LOGIN,
            "viewer": OK,
            "admin": OK,
            "support": FORBIDDEN,
            "other_organisation": OK,  # their own organisation's list
            "revoked": FORBIDDEN,
        },
        "POST": logged_in_only(NOT_ALLOWED),
    },
    "users:support_list": {
        "GET": {
            "anonymous": LOGIN,
            "viewer": OK,
            "admin": OK,
            "support": FORBIDDEN,
            "other_organisation": OK,
            "revoked": FORBIDDEN,
        },
        "POST": logged_in_only(NOT_ALLOWED),
    },
    **{
        name: {
            "GET": ADMIN_ONLY_OWN_ORGANISATION(OK),
            "POST": ADMIN_ONLY_OWN_ORGANISATION(FOUND),  # a new address: on to step 2
        }
        for name in ("users:add", "users:support_add")
    },
    **{
        # without a state, step 2 sends the browser back to step 1
        name: {
            "GET": ADMIN_ONLY_OWN_ORGANISATION(FOUND),
            "POST": ADMIN_ONLY_OWN_ORGANISATION(FOUND),
        }
        for name in ("users:add_details", "users:support_add_details")
    },
    "users:edit": {
        "GET": ADMIN_ONLY(OK, other_organisation=NOT_FOUND),
        "POST": ADMIN_ONLY(FOUND, other_organisation=NOT_FOUND),
    },
    "users:delete": {
        "GET": ADMIN_ONLY(OK, other_organisation=NOT_FOUND),
        "POST": ADMIN_ONLY(FOUND, other_organisation=NOT_FOUND),
    },
    "users:resend_welcome": {
        "GET": ADMIN_ONLY(NOT_ALLOWED, other_organisation=NOT_ALLOWED),
        "POST": ADMIN_ONLY(FOUND, other_organisation=NOT_FOUND),
    },
    "users:export_csv": {
        "GET": ADMIN_ONLY_OWN_ORGANISATION(OK),  # their own organisation's users
        "POST": ADMIN_ONLY_OWN_ORGANISATION(NOT_ALLOWED),
    },
}

# URL kwargs per URL, given the objects of ``organisation`` the matrix is about.
URL_KWARGS = {
    "invoices:download": lambda objects: {"number": objects["invoice"].number},
    "invoices:detail": lambda objects: {"number": objects["invoice"].number},
    "accounts:activate": lambda objects: {"uid": "1:forged-signature", "token": "abc-123"},
    "users:edit": lambda objects: {"pk": objects["membership"].pk},
    "users:delete": lambda objects: {"pk": objects["membership"].pk},
    "users:resend_welcome": lambda objects: {"pk": objects["membership"].pk},
}

# POST bodies per URL, given the organisation the matrix is about.
POST_DATA = {
    "portal:switch_organisation": lambda org: {"organisation": org.pk, "next": "/organisation/"},
    "portal:set_language": lambda org: {"language": "en", "next": "/"},
    "accounts:activate_password": lambda org: {
        "new_password1": "Correct-Horse-42",
        "new_password2": "Correct-Horse-42",
    },
    "accounts:profile": lambda org: {"first_name": "Ann", "last_name": "Example", "language": "nl"},
    "billing_address:edit": lambda org: {
        "organisation_name": "Rode Lente",
        "street": "Lange Gracht 16B",
        "postcode": "1234 AB",
        "city": "Amsterdam",
        "country": "NL",
        "email": "invoices@rodelente.example",
        "version": "0",
    },
    "users:add": lambda org: {"email": "matrix-new@rodelente.example"},
    "users:support_add": lambda org: {"email": "matrix-new@rodelente.example"},
    "users:edit": lambda org: {
        "first_name": "Wim",
        "last_name": "Matrix",
        "role": "viewer",
        "job_function": _job_function().pk,
    },
    "users:delete": lambda org: {"reason": "Matrix test."},
}


def _job_function():
    from tests.users.factories import JobFunctionFactory

    return JobFunctionFactory(name_nl="Controller", name_en="Controller")


@pytest.fixture
def who(request, organisation, viewer, support_user, other_organisation_admin):
    """A client for one kind of requester, all about ``organisation``."""
    kind = request.param
    if kind == "anonymous":
        return Client()
    if kind == "viewer":
        return logged_in(viewer)
    if kind == "admin":
        membership = Membership.objects.create(
            user=User.objects.create_user(
                "matrix-admin@rodelente.example", customer=organisation.customer
            ),
            organisation=organisation,
            kind=Membership.Kind.ORGANISATION,
            role=Membership.Role.ADMIN,
        )
        return logged_in(membership.user)
    if kind == "support":
        return logged_in(support_user)
    if kind == "other_organisation":
        return logged_in(other_organisation_admin)
    if kind == "revoked":
        client = logged_in(viewer)
        client.get(reverse("portal:organisation_home"))  # session now holds the organisation
        Membership.objects.filter(user=viewer).delete()
        return client
    raise AssertionError(kind)


@pytest.fixture
def matrix_objects(organisation):
    """Records of ``organisation`` that URLs of the matrix point at."""
    from tests.accounts.factories import MembershipFactory
    from tests.invoices.factories import InvoiceFactory

    waiting = MembershipFactory(organisation=organisation, user__email="wim@rodelente.example")
    waiting.user.set_unusable_password()  # never activated: the welcome e-mail can go again
    waiting.user.save()
    return {
        "invoice": InvoiceFactory(organisation=organisation, with_pdf=True),
        "membership": waiting,
    }


CASES = [
    pytest.param(name, method, who_, expected, id=f"{name}-{method}-{who_}")
    for name, methods in MATRIX.items()
    for method, expectations in methods.items()
    for who_, expected in expectations.items()
]


@pytest.mark.parametrize(("url_name", "method", "who", "expected"), CASES, indirect=["who"])
def test_permission_matrix(url_name, method, who, expected, organisation, matrix_objects):
    url = reverse(url_name, kwargs=URL_KWARGS.get(url_name, lambda objects: {})(matrix_objects))
    if method == "GET":
        response = who.get(url)
    else:
        data = POST_DATA.get(url_name, lambda org: {})(organisation)
        response = who.post(url, data)
    if expected == LOGIN:
        assert response.status_code == FOUND
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == expected, response.content[:500]


PORTAL_PACKAGES = ("portal", "accounts", "invoices", "billing_address", "users", "outbox", "audit")


def _portal_url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            if entry.namespace == "admin":
                continue
            yield from _portal_url_names(entry, ns)
        elif isinstance(entry, URLPattern):
            module = getattr(entry.callback, "__module__", "")
            if module.split(".")[0] in PORTAL_PACKAGES:
                yield f"{namespace}{entry.name}"


def test_every_portal_url_is_in_the_matrix():
    names = set(_portal_url_names())
    assert names, "no portal URL found: the walk over the URLconf is broken"
    missing = names - set(MATRIX)
    assert not missing, f"URL patterns missing from the permission matrix: {sorted(missing)}"
    for name in MATRIX:
        for method in ("GET", "POST"):
            assert set(MATRIX[name][method]) == set(WHO), (name, method)


@pytest.mark.parametrize("who", ["viewer", "support", "revoked"], indirect=True)
def test_a_refused_billing_address_edit_stores_nothing(who, organisation):
    from billing_address.models import BillingAddress

    who.post(reverse("billing_address:edit"), POST_DATA["billing_address:edit"](organisation))
    assert not BillingAddress.objects.exists()

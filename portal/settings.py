"""Settings of Mijn organisatie, read from the environment (see `.env.example`)."""

from __future__ import annotations

from pathlib import Path

import environ
import jinja2
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from core.bank import bic_is_valid, bic_normalise, iban_is_valid, iban_normalise

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

# A secret key is only allowed to fall back to a fixed value on a developer's machine.
if DEBUG:
    SECRET_KEY = env("SECRET_KEY", default="django-insecure-development-only-key-do-not-deploy")
else:
    SECRET_KEY = env("SECRET_KEY")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Where the vendor's separate support portal lives (the *Mijn support* tile on Home). Only a
# developer's machine falls back to an example address; production must name the real one.
SUPPORT_PORTAL_URL = env(
    "SUPPORT_PORTAL_URL", default="https://support.example.com/" if DEBUG else None
)
if not SUPPORT_PORTAL_URL:
    raise ImproperlyConfigured("Set SUPPORT_PORTAL_URL, e.g. https://support.example.com/")

# The vendor's bank account: the payment instructions of an open invoice show it and its EPC
# QR code carries it (docs/invoices.md). Only a developer's machine falls back to the demo
# account; production must name the real one. Checked here, at start-up: the IBAN's check
# digits (mod 97), the BIC's shape and the name's length (70 characters in an EPC QR code),
# so a typo stops the start instead of sending a customer's transfer astray.
VENDOR_NAME = " ".join(
    env("VENDOR_NAME", default="HR & Payroll Software B.V." if DEBUG else "").split()
)
VENDOR_IBAN = iban_normalise(env("VENDOR_IBAN", default="NL44RABO0123456789" if DEBUG else ""))
VENDOR_BIC = bic_normalise(env("VENDOR_BIC", default="RABONL2U" if DEBUG else ""))
if not VENDOR_NAME or len(VENDOR_NAME) > 70:
    raise ImproperlyConfigured("Set VENDOR_NAME, the account holder's name (at most 70 characters)")
if not iban_is_valid(VENDOR_IBAN):
    raise ImproperlyConfigured("Set VENDOR_IBAN to the vendor's IBAN (its check digits failed)")
if not bic_is_valid(VENDOR_BIC):
    raise ImproperlyConfigured(
        "Set VENDOR_BIC to the BIC of the vendor's bank (8 or 11 characters)"
    )

DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]
THIRD_PARTY_APPS = [
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "crispy_forms",
    "crispy_bootstrap5",
    "portal.third_party_apps.TasksConfig",  # django_tasks_db, with a translated name
    "django_countries",
    "phonenumber_field",
]
LOCAL_APPS = [
    "core",
    "portal",
    "accounts",
    "invoices",
    "billing_address",
    "users",
    "outbox",
    "audit",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    # First: /healthz and /livez answer without sessions, users or an HTTPS redirect.
    "portal.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions and the database: Internet Explorer gets a plain page (R23).
    "portal.middleware.UnsupportedBrowserMiddleware",
    # A NUL character in the path or query: 400 before anything looks it up; control
    # characters in headers become spaces before anything reads or stores them.
    "portal.middleware.RequestTextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Logged-in pages: Cache-Control private, no-store (set on the way out).
    "portal.middleware.PrivatePagesMiddleware",
    # After authentication: the language is resolved user -> cookie -> browser -> default.
    "accounts.language.UserLocaleMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.ActiveOrganisationMiddleware",
]

# Database sessions whose key from the cookie is checked before any lookup: a malformed
# cookie is an anonymous request and is cleared, never a 500 (portal/sessions.py).
SESSION_ENGINE = "portal.sessions"

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
            ],
        },
    },
    {
        # Mail subjects and plain-text bodies are text, not HTML: the same templates, rendered
        # without autoescaping, so "O'Brien" stays "O'Brien" (outbox/rendering.py renders every
        # mail's .txt templates with it; HTML bodies keep the engine above and stay escaped).
        "NAME": "mail_text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
    {
        # The repeated parts of the list pages only (the rows of Facturen, Gebruikers and
        # Activiteit, filter options, page links), from templates/jinja2/ through
        # {% fragment %} (core/templatetags/portal_fragments.py): Django's engine takes about
        # 25 µs for a row of a dozen cells, Jinja2 about 5 (issue 16). Everything else, the
        # page header and the blocks, stays a Django template.
        "NAME": "fragments",
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            # Jinja2's environment with the portal's filters (email_parts).
            "environment": "core.jinja.environment",
            "autoescape": True,
            # A misspelt or missing value is an error, not an empty cell.
            "undefined": jinja2.StrictUndefined,
            "trim_blocks": True,
            "lstrip_blocks": True,
        },
    },
]

# Database: an embedded SQLite file for a first run, PostgreSQL (psycopg 3 with its
# connection pool) wherever DATABASE_URL says so.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Timeouts, chosen so that an outage costs seconds, not minutes, and requests fail fast
    # instead of piling up (docs/operations.md "Database timeouts"):
    # - libpq gives up on a connection attempt after DATABASE_CONNECT_TIMEOUT s (2 is libpq's
    #   minimum), so an unreachable host never holds a worker for long;
    # - PostgreSQL ends a statement after DATABASE_STATEMENT_TIMEOUT ms (below gunicorn's
    #   --timeout of 30 s; 0 switches it off, e.g. for a long migration).
    _db_options = DATABASES["default"].setdefault("OPTIONS", {})
    _db_options.setdefault("connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=2))
    _statement_timeout = env.int("DATABASE_STATEMENT_TIMEOUT", default=20_000)
    if _statement_timeout:
        _db_options["options"] = (
            f"{_db_options.get('options', '')} -c statement_timeout={_statement_timeout}".strip()
        )
    if env.bool("DATABASE_POOL", default=True):
        from core.db import pool_check_connection

        # The pool requires CONN_MAX_AGE = 0. Size max_size from workers x threads.
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        _db_options["pool"] = {
            "min_size": env.int("DATABASE_POOL_MIN_SIZE", default=1),
            "max_size": env.int("DATABASE_POOL_MAX_SIZE", default=8),
            # How long a request waits for a connection: while the database is away a request
            # fails after 2 s instead of blocking its worker (pool default: 30 s).
            "timeout": env.float("DATABASE_POOL_TIMEOUT", default=1.0),
            # Connections are renewed now and then, and idle ones above min_size closed.
            "max_lifetime": env.float("DATABASE_POOL_MAX_LIFETIME", default=1800.0),
            "max_idle": env.float("DATABASE_POOL_MAX_IDLE", default=300.0),
            # A background reconnection gives up after 2 s (pool default: 300 s with a backoff
            # doubling to minutes, which kept errors going long after the database was back);
            # the next request that needs a connection starts a fresh attempt at once.
            "reconnect_timeout": env.float("DATABASE_POOL_RECONNECT_TIMEOUT", default=2.0),
            # Each connection is checked before a request gets it (ConnectionPool's own check);
            # the first broken one makes the pool check and drop all its idle ones, so after a
            # restart no request runs into a row of dead connections (core/db.py).
            "check": pool_check_connection,
        }
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# /healthz waits at most this long for the database before it answers 503.
HEALTH_CHECK_TIMEOUT = env.float("HEALTH_CHECK_TIMEOUT", default=0.75)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# models.W040: the invoice indexes include ``id`` so PostgreSQL reads a page's keys from the
# index alone; SQLite ignores ``include`` and that is fine.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
AUTHENTICATION_BACKENDS = [
    # Django's and allauth's, reading the user and the memberships in one query.
    "accounts.backends.ModelBackend",
    "accounts.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Password-reset links (allauth) live 24 hours; welcome/activation links have their own
# lifetime and token generator (accounts.tokens), so the two can differ.
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=24 * 60 * 60)
ACCOUNT_ACTIVATION_TIMEOUT = env.int("ACCOUNT_ACTIVATION_TIMEOUT", default=24 * 60 * 60)
# The portal's public address, for links in mails sent outside a request (the welcome mail).
PORTAL_URL = env("PORTAL_URL", default="http://127.0.0.1:8000" if DEBUG else None)
if not PORTAL_URL:
    raise ImproperlyConfigured("Set PORTAL_URL, e.g. https://portal.example.com")
PORTAL_URL = PORTAL_URL.rstrip("/")
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:home"

# django-allauth: login by e-mail only, no public sign-up (see accounts.adapter).
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# allauth's forms with the portal's labels (one term per concept in both languages).
ACCOUNT_FORMS = {
    "login": "accounts.forms.LoginForm",
    "change_password": "accounts.forms.ChangePasswordForm",
    "set_password": "accounts.forms.SetPasswordForm",
    "reset_password": "accounts.forms.ResetPasswordForm",
    "reset_password_from_key": "accounts.forms.ResetPasswordKeyForm",
}
MFA_FORMS = {"activate_totp": "accounts.forms.ActivateTOTPForm"}
# Rate limits (R4), counted in the shared cache below so every app process sees the same
# counts. Behind a proxy set ALLAUTH_TRUSTED_PROXY_COUNT, or every client shares the proxy's IP.
# login_failed's "key" is the address *and* the client (accounts/lockout.py): nobody can lock
# someone else out; LOGIN_FAILED_ACCOUNT_CEILING bounds all unknown clients together.
ACCOUNT_RATE_LIMITS = {
    "login": env("RATE_LIMIT_LOGIN", default="30/m/ip"),
    "login_failed": env("RATE_LIMIT_LOGIN_FAILED", default="10/m/ip,5/5m/key"),
    "reset_password": env("RATE_LIMIT_RESET_PASSWORD", default="20/m/ip,5/m/key"),
    "reset_password_from_key": env("RATE_LIMIT_RESET_PASSWORD_FROM_KEY", default="20/m/ip"),
    "change_password": env("RATE_LIMIT_CHANGE_PASSWORD", default="5/m/user"),
    "reauthenticate": "10/m/user",
}
LOGIN_FAILED_ACCOUNT_CEILING = env("RATE_LIMIT_LOGIN_FAILED_ACCOUNT", default="100/h/key")
# While that ceiling refuses new browsers, the login page offers a one-time code by e-mail
# (accounts/login_code.py): one live code per address, valid this long (seconds), and the
# requests and entries of codes limited per client, never per address.
LOGIN_CODE_TIMEOUT = env.int("LOGIN_CODE_TIMEOUT", default=15 * 60)
RATE_LIMIT_LOGIN_CODE_REQUEST = env("RATE_LIMIT_LOGIN_CODE_REQUEST", default="10/h/ip")
RATE_LIMIT_LOGIN_CODE_CONFIRM = env("RATE_LIMIT_LOGIN_CODE_CONFIRM", default="20/h/ip")
# Welcome mails a portal Admin may send in an hour (issue 15; users.services.welcome_send);
# counted from the audit log, so every process sees the same count. Staff are not bound by
# it; one welcome mail per person per 10 minutes holds for everyone.
WELCOME_MAILS_PER_ADMIN_PER_HOUR = env.int("RATE_LIMIT_WELCOME_MAILS_PER_ADMIN", default=20)
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("ALLAUTH_TRUSTED_PROXY_COUNT", default=0)
# Two-factor login (allauth.mfa): an authenticator app (TOTP) with recovery codes.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Mijn organisatie"
# allauth refuses two-factor login while an address is "unverified". Here every address is
# given by an Admin or staff and proven by the activation link sent to it, and people cannot
# add addresses themselves (allauth's e-mail pages are switched off in portal/urls.py).
MFA_ALLOW_UNVERIFIED_EMAIL = True
USERSESSIONS_TRACK_ACTIVITY = False

# The cache holds the rate-limit counters; it must be shared by all app processes, hence the
# database by default (`manage.py createcachetable`). CACHE_URL may point at Redis instead.
CACHES = {
    "default": env.cache("CACHE_URL", default="dbcache://portal_cache"),
}

# Background work (e-mail): django-tasks-db keeps the queue in the database and
# `manage.py db_worker` runs it. Mails are retried with back-off (outbox.tasks).
TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}}
EMAIL_MAX_ATTEMPTS = env.int("EMAIL_MAX_ATTEMPTS", default=5)
EMAIL_RETRY_DELAYS = [
    int(seconds)
    for seconds in env.list("EMAIL_RETRY_DELAYS", default=["60", "300", "1800", "7200"])
]

# Languages: Dutch is the default, English the source language of every msgid.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["portal.formats"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Invoice PDFs: local disk under MEDIA_ROOT by default (never served by URL; the portal
    # streams them after its access check); object storage by naming another backend, e.g.
    # INVOICE_STORAGE_BACKEND=storages.backends.s3.S3Storage with its options as JSON.
    "invoices": {
        "BACKEND": env(
            "INVOICE_STORAGE_BACKEND", default="django.core.files.storage.FileSystemStorage"
        ),
        "OPTIONS": env.json("INVOICE_STORAGE_OPTIONS", default={}),
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}

# The largest bank statement staff may upload in admin. The task worker imports it (one
# transaction, all or nothing) while its bytes wait in the database row, so the limit bounds
# both; larger files go through `manage.py import_payments`. 5 MB is some 15,000 CAMT entries.
STATEMENT_UPLOAD_MAX_BYTES = env.int("STATEMENT_UPLOAD_MAX_BYTES", default=5_000_000)
# An upload still waiting or running after this many seconds shows as stalled in admin: the
# worker died during the import (which then rolled back) or is not running.
STATEMENT_IMPORT_STALE_AFTER = env.int("STATEMENT_IMPORT_STALE_AFTER", default=3600)

# The most invoice PDFs one ZIP download may hold (the list says so above a larger result).
INVOICE_ZIP_MAX_FILES = env.int("INVOICE_ZIP_MAX_FILES", default=100)

# Phone numbers (R12, R19) are stored as E.164; a number written without a country code is
# read as Dutch.
PHONENUMBER_DEFAULT_REGION = "NL"
PHONENUMBER_DB_FORMAT = "E164"

# Billing addresses: the countries customers are mostly in come first in the pick list.
COUNTRIES_FIRST = ["NL", "BE", "DE", "LU", "FR", "GB"]
COUNTRIES_FIRST_REPEAT = True
COUNTRIES_FIRST_BREAK = "──────────"

# The audit log (R25) keeps events this many days; `manage.py prune_audit_events` removes older.
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=730)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail (Django 6.1's MAILERS): console on a developer's machine, SMTP in production.
if env.bool("EMAIL_CONSOLE", default=DEBUG):
    MAILERS = {"default": {"BACKEND": "outbox.backends.ReadableConsoleBackend"}}
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env("EMAIL_HOST", default="localhost"),
                "port": env.int("EMAIL_PORT", default=587),
                "username": env("EMAIL_HOST_USER", default=""),
                "password": env("EMAIL_HOST_PASSWORD", default=""),
                "use_tls": env.bool("EMAIL_USE_TLS", default=True),
                "timeout": env.int("EMAIL_TIMEOUT", default=10),
            },
        }
    }
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Mijn organisatie <noreply@example.com>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security headers. The policy allows only our own scripts and styles (Bootstrap is vendored).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", default=False) else None
)
# HTTPS only in production (`manage.py check --deploy` prints nothing with the settings of
# .env.example): plain HTTP is redirected (behind a TLS proxy it knows the scheme from
# X-Forwarded-Proto, see BEHIND_TLS_PROXY; /healthz and /livez are answered before this),
# and browsers are told to use HTTPS for a year, for the portal's own subdomains too. HSTS is
# only sent over HTTPS. Preloading is for the owner of the registered domain to decide
# (hstspreload.org), so it stays off and its check is silenced below.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS.append("security.W021")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A refusal (403) is one line at WARNING (method, path, user, reason), no traceback;
    # server errors keep theirs (portal/log_filters.py).
    "filters": {"refusals": {"()": "portal.log_filters.RefusalFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "django.request": {"filters": ["refusals"]},
        "django.security.csrf": {"filters": ["refusals"]},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

"""Settings for the test suite: fast hashing, e-mail in memory, files in a temporary folder."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECURE_COOKIES", "0")
# The test client and the browser tests speak plain HTTP.
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("PORTAL_URL", "http://testserver")
os.environ.setdefault("SUPPORT_PORTAL_URL", "https://support.example.com/")
# The vendor's account of the payment instructions (a valid IBAN: settings check it).
os.environ.setdefault("VENDOR_NAME", "HR & Payroll Software B.V.")
os.environ.setdefault("VENDOR_IBAN", "NL44RABO0123456789")
os.environ.setdefault("VENDOR_BIC", "RABONL2U")
# Playwright's sync API runs an event loop in the test thread; ORM calls from fixtures beside
# the live server would otherwise raise SynchronousOnlyOperation. Tests only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from portal.settings import *  # noqa: E402, F403
from portal.settings import STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
MEDIA_ROOT = tempfile.mkdtemp(prefix="portal-test-media-")
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LANGUAGE_CODE = "nl"
# Tasks run at once, inside the test (after commit, like the real queue).
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
# Serve static files from the finders: the suite never runs collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

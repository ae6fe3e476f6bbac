"""Sessions name the backend that logged the person in, and Django treats a session whose
backend is no longer in ``AUTHENTICATION_BACKENDS`` as logged out. The portal's backends
(``accounts.backends``, which read the user and the memberships in one query) replace
Django's and allauth's: this rewrites the name in every stored session, so nobody is logged
out by the change (two-factor logins included)."""

from django.db import migrations

RENAMED = {
    "django.contrib.auth.backends.ModelBackend": "accounts.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend": (
        "accounts.backends.AuthenticationBackend"
    ),
}


def _rename(apps, names: dict[str, str]) -> None:
    from django.contrib.auth import BACKEND_SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session_model = apps.get_model("sessions", "Session")
    store = SessionStore()
    for session in session_model.objects.iterator(chunk_size=500):
        data = store.decode(session.session_data)  # {} for a session it cannot read
        backend = data.get(BACKEND_SESSION_KEY)
        if backend in names:
            data[BACKEND_SESSION_KEY] = names[backend]
            session.session_data = store.encode(data)
            session.save(update_fields=["session_data"])


def forwards(apps, schema_editor):
    _rename(apps, RENAMED)


def backwards(apps, schema_editor):
    _rename(apps, {new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_organisation_invoice_count"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

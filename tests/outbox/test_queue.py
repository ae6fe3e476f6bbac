"""The e-mail queue: mails leave after commit, failures are retried with back-off, then
marked failed for staff, who can send them again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.urls import reverse

from outbox.models import OutgoingEmail
from outbox.services import email_enqueue, outgoing_email_retry
from outbox.tasks import outgoing_email_deliver, retry_delay
from tests.accounts.factories import MembershipFactory

pytestmark = pytest.mark.django_db

FAILING = {"default": {"BACKEND": "tests.outbox.test_queue.FailingBackend"}}


class FailingBackend(BaseEmailBackend):
    """A mail server that is down."""

    calls = 0

    def send_messages(self, email_messages):
        FailingBackend.calls += 1
        raise ConnectionRefusedError("mail server down")


def _queue(**overrides) -> OutgoingEmail:
    fields = {"kind": "test", "to": "a@example.com", "subject": "Hi", "body_text": "Body"}
    return email_enqueue(**{**fields, **overrides})


def test_mail_leaves_only_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        email = _queue(body_html="<p>Body</p>")
        assert mail.outbox == []  # nothing sent inside the transaction
    assert len(callbacks) == 1
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert email.attempts == 1
    assert email.sent_at is not None
    [sent] = mail.outbox
    assert sent.to == ["a@example.com"]
    assert sent.alternatives[0].mimetype == "text/html"


def test_a_rolled_back_change_sends_nothing(django_capture_on_commit_callbacks):
    class Boom(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Boom),
        transaction.atomic(),
    ):
        _queue()
        raise Boom
    assert not OutgoingEmail.objects.exists()
    assert mail.outbox == []


def test_a_failing_mail_server_keeps_the_mutation_retries_then_marks_failed(
    settings, django_capture_on_commit_callbacks
):
    """The welcome mail of a new user fails to go out: the user stays, the mail is retried
    the configured number of times and then marked failed with the error."""
    from accounts.services import user_send_welcome

    settings.MAILERS = FAILING
    settings.EMAIL_MAX_ATTEMPTS = 3
    FailingBackend.calls = 0
    user = MembershipFactory(user__password=None).user
    user.set_unusable_password()
    user.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert user_send_welcome(user=user)
    user.refresh_from_db()
    assert user.welcome_sent_at is not None  # the mutation is in place
    email = OutgoingEmail.objects.get(to=user.email)
    assert email.status == OutgoingEmail.Status.FAILED
    assert email.attempts == 3
    assert FailingBackend.calls == 3
    assert "ConnectionRefusedError: mail server down" in email.last_error
    assert mail.outbox == []


def test_a_failed_attempt_schedules_the_next_with_back_off(settings, time_machine):
    """One attempt at a time, as the worker runs them: the retry waits the first delay."""
    settings.MAILERS = FAILING
    settings.EMAIL_RETRY_DELAYS = [60, 300]
    time_machine.move_to("2026-11-30 10:00:00+01:00", tick=False)
    email = _queue()  # on_commit never fires in this test: we drive the attempts
    assert outgoing_email_deliver(email_id=email.pk) == OutgoingEmail.Status.QUEUED
    email.refresh_from_db()
    assert email.attempts == 1
    assert email.next_attempt_at - email.created_at == timedelta(seconds=60)
    outgoing_email_deliver(email_id=email.pk)
    email.refresh_from_db()
    assert email.next_attempt_at - email.created_at == timedelta(seconds=300)
    assert retry_delay(7) == timedelta(seconds=300)  # the last delay repeats


def test_a_sent_mail_is_never_sent_twice():
    email = _queue()
    assert outgoing_email_deliver(email_id=email.pk) == OutgoingEmail.Status.SENT
    assert outgoing_email_deliver(email_id=email.pk) == "skipped"
    assert len(mail.outbox) == 1


def test_staff_see_failed_mails_and_send_them_again(
    client, staff, django_capture_on_commit_callbacks
):
    email = _queue()
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=OutgoingEmail.Status.FAILED, attempts=5, last_error="SMTPException: down"
    )
    client.force_login(staff)
    changelist = reverse("admin:outbox_outgoingemail_changelist")
    page = client.get(changelist, {"status__exact": "failed"}).content.decode()
    assert "a@example.com" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            changelist, {"action": "retry", "_selected_action": [email.pk]}, follow=True
        )
    assert response.status_code == 200
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert len(mail.outbox) == 1


def test_one_time_links_are_withheld_from_staff_and_erased_once_sent(
    django_capture_on_commit_callbacks, staff, client, settings
):
    settings.MAILERS = FAILING
    link = "https://portal.example/activate/1:abc/secret-token/"
    with django_capture_on_commit_callbacks(execute=True):
        email = _queue(body_text=f"Choose a password: {link}", contains_secret=True)
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.FAILED  # the text is kept for a retry
    assert link in email.body_text
    client.force_login(staff)
    page = client.get(reverse("admin:outbox_outgoingemail_change", args=[email.pk]))
    content = page.content.decode()
    assert "secret-token" not in content
    assert "eenmalige link" in content  # "withheld" note, in Dutch

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        assert outgoing_email_retry(email=email)
    [sent] = mail.outbox
    assert link in sent.body  # the person gets the link
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert "secret-token" not in email.body_text + email.body_html


def test_ordinary_mails_stay_readable_for_staff(staff, client):
    email = _queue(body_text="Anne was removed by Ruud.")
    client.force_login(staff)
    page = client.get(reverse("admin:outbox_outgoingemail_change", args=[email.pk]))
    assert "Anne was removed by Ruud." in page.content.decode()


def test_welcome_and_reset_mails_are_marked_secret(viewer, client):
    from accounts.services import user_send_welcome

    viewer.set_unusable_password()
    viewer.last_login = None
    viewer.save()
    user_send_welcome(user=viewer)
    client.post(reverse("account_reset_password"), {"email": viewer.email})
    kinds = dict(OutgoingEmail.objects.values_list("kind", "contains_secret"))
    assert kinds["welcome"] is True
    assert kinds["password_reset_key"] is True


def test_the_worker_side_never_imports_the_services():
    """outbox.services enqueues through outbox.tasks; the reverse import (once hidden inside
    a function) made the two modules depend on each other in a circle."""
    import ast
    from pathlib import Path

    import outbox.tasks

    tree = ast.parse(Path(outbox.tasks.__file__).read_text())
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)} | {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    assert "outbox.services" not in imported

"""Writes of the e-mail queue: queue a mail, deliver it, retry it.

django-tasks-db does not retry a failed task by itself, so the retry policy lives here: a
failed delivery re-enqueues the task to run after a growing delay (``EMAIL_RETRY_DELAYS``),
at most ``EMAIL_MAX_ATTEMPTS`` attempts in all, then the mail is marked failed for staff.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.tasks.exceptions import InvalidTask
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation

from outbox.models import OutgoingEmail

logger = logging.getLogger(__name__)


def _delivery_enqueue(*, email_id: int, run_after: datetime | None = None) -> None:
    from outbox.tasks import email_deliver

    if run_after is not None:
        try:
            email_deliver.using(run_after=run_after).enqueue(email_id=email_id)
            return
        except InvalidTask:
            # A backend without deferred tasks (the immediate one of the test suite): retry now.
            pass
    email_deliver.enqueue(email_id=email_id)


def email_enqueue(
    *,
    kind: str,
    to: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    contains_secret: bool = False,
) -> OutgoingEmail:
    """Queues a rendered e-mail. Call it inside the transaction of the change it reports.

    The row shares that transaction, and the delivery task is enqueued on commit: a
    rolled-back change sends nothing, and the user's request never waits for a mail server.
    A mail that ``contains_secret`` (a link that logs someone in or sets a password) is never
    shown in admin and its text is erased once sent, so neither staff nor a backup can use it.
    """
    email = OutgoingEmail(
        kind=kind,
        to=to,
        subject=" ".join(subject.splitlines()).strip()[:255],
        body_text=body_text,
        body_html=body_html,
        contains_secret=contains_secret,
        from_email=settings.DEFAULT_FROM_EMAIL,
    )
    email.full_clean()
    email.save()
    transaction.on_commit(lambda: _delivery_enqueue(email_id=email.pk))
    return email


def email_enqueue_template(
    *,
    kind: str,
    to: str,
    language: str,
    template_prefix: str,
    context: dict,
    contains_secret: bool = False,
) -> OutgoingEmail:
    """Renders ``<prefix>_subject.txt``, ``_message.txt`` and (if present) ``_message.html``
    in the recipient's language, then queues the mail."""
    with translation.override(language):
        subject = render_to_string(f"{template_prefix}_subject.txt", context)
        body_text = render_to_string(f"{template_prefix}_message.txt", context)
        try:
            body_html = render_to_string(f"{template_prefix}_message.html", context)
        except TemplateDoesNotExist:
            body_html = ""
    return email_enqueue(
        kind=kind,
        to=to,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        contains_secret=contains_secret,
    )


def retry_delay(attempt: int) -> timedelta:
    """The wait after the given failed attempt (1-based); the last delay repeats."""
    delays = settings.EMAIL_RETRY_DELAYS
    return timedelta(seconds=delays[min(attempt, len(delays)) - 1])


def outgoing_email_deliver(*, email_id: int) -> str:
    """Sends a queued mail once; on failure schedules the next attempt or gives up.

    The row is locked while sending so two workers never send the same mail twice.
    """
    with transaction.atomic():
        email = (
            OutgoingEmail.objects.select_for_update()
            .filter(pk=email_id, status=OutgoingEmail.Status.QUEUED)
            .first()
        )
        if email is None:
            return "skipped"
        email.attempts += 1
        now = timezone.now()
        try:
            email.message().send()
        except Exception as error:  # any failure of the mail server or the network
            email.last_error = f"{type(error).__name__}: {error}"[:2000]
            if email.attempts >= settings.EMAIL_MAX_ATTEMPTS:
                email.status = OutgoingEmail.Status.FAILED
                email.next_attempt_at = None
                logger.error("E-mail %s to %s failed for good: %s", email.pk, email.to, error)
            else:
                email.next_attempt_at = now + retry_delay(email.attempts)
                run_after = email.next_attempt_at
                transaction.on_commit(
                    lambda: _delivery_enqueue(email_id=email_id, run_after=run_after)
                )
                logger.warning(
                    "E-mail %s to %s failed (attempt %s), retrying at %s: %s",
                    email.pk,
                    email.to,
                    email.attempts,
                    run_after.isoformat(),
                    error,
                )
            email.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
            return email.status
        email.status = OutgoingEmail.Status.SENT
        email.sent_at = now
        email.next_attempt_at = None
        fields = ["attempts", "status", "sent_at", "next_attempt_at"]
        if email.contains_secret:
            email.body_text = OutgoingEmail.ERASED
            email.body_html = ""
            fields += ["body_text", "body_html"]
        email.save(update_fields=fields)
        return email.status


@transaction.atomic
def outgoing_email_retry(*, email: OutgoingEmail) -> bool:
    """Staff send a failed (or stuck) mail again: a fresh round of attempts. Sent mails stay."""
    locked = OutgoingEmail.objects.select_for_update().get(pk=email.pk)
    if locked.status == OutgoingEmail.Status.SENT:
        return False
    locked.status = OutgoingEmail.Status.QUEUED
    locked.attempts = 0
    locked.next_attempt_at = None
    locked.save(update_fields=["status", "attempts", "next_attempt_at"])
    transaction.on_commit(lambda: _delivery_enqueue(email_id=locked.pk))
    return True

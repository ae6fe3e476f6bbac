"""The worker's side of the e-mail queue, run by `manage.py run_worker` (django-tasks-db):
the delivery task, how it is enqueued, and the retry policy.

django-tasks-db does not retry a failed task by itself, so the retry policy lives here: a
failed delivery re-enqueues the task to run after a growing delay (``EMAIL_RETRY_DELAYS``),
at most ``EMAIL_MAX_ATTEMPTS`` attempts in all, then the mail is marked failed for staff.
``outbox.services`` queues mails through ``email_delivery_enqueue``; this module never imports
the services, so the two do not depend on each other in a circle.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.tasks.exceptions import InvalidTask
from django.utils import timezone

from outbox.models import OutgoingEmail

logger = logging.getLogger(__name__)


@task(queue_name="default")
def email_deliver(*, email_id: int) -> str:
    """Sends one queued e-mail; ``outgoing_email_deliver`` decides about retries."""
    return outgoing_email_deliver(email_id=email_id)


def email_delivery_enqueue(*, email_id: int, run_after: datetime | None = None) -> None:
    if run_after is not None:
        try:
            email_deliver.using(run_after=run_after).enqueue(email_id=email_id)
            return
        except InvalidTask:
            # A backend without deferred tasks (the immediate one of the test suite): retry now.
            pass
    email_deliver.enqueue(email_id=email_id)


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
                    lambda: email_delivery_enqueue(email_id=email_id, run_after=run_after)
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

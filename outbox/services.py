"""Writes of the e-mail queue: queue a mail, and send a failed one again (staff).

The delivery itself, with its retry policy, is the worker's side: ``outbox.tasks``. This
module uses it; it never uses this one, so the two do not import each other.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import translation

from outbox.models import OutgoingEmail
from outbox.rendering import email_render, email_subject_line
from outbox.tasks import email_delivery_enqueue


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
        subject=email_subject_line(subject)[:255],
        body_text=body_text,
        body_html=body_html,
        contains_secret=contains_secret,
        from_email=settings.DEFAULT_FROM_EMAIL,
    )
    email.full_clean()
    email.save()
    transaction.on_commit(lambda: email_delivery_enqueue(email_id=email.pk))
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
    in the recipient's language (subject and text as text, see ``outbox.rendering``), then
    queues the mail."""
    with translation.override(language):
        rendered = email_render(template_prefix=template_prefix, context=context)
    return email_enqueue(
        kind=kind,
        to=to,
        subject=rendered.subject,
        body_text=rendered.body_text,
        body_html=rendered.body_html,
        contains_secret=contains_secret,
    )


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
    transaction.on_commit(lambda: email_delivery_enqueue(email_id=locked.pk))
    return True

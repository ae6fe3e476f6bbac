"""Background work of the e-mail queue, run by `manage.py db_worker` (django-tasks-db)."""

from __future__ import annotations

from django.tasks import task


@task(queue_name="default")
def email_deliver(*, email_id: int) -> str:
    """Sends one queued e-mail; the service decides about retries (see outbox.services)."""
    from outbox.services import outgoing_email_deliver

    return outgoing_email_deliver(email_id=email_id)

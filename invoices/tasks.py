"""The worker's side of statement uploads (R10): the task that imports an uploaded bank
statement, how it is enqueued, and how its progress and result reach the upload's record.

The import itself is ``payment_statement_import``, unchanged: one transaction, all or nothing.
What this module adds is bookkeeping around it on the ``StatementImport`` row, each step
committed on its own so the staff member's admin page sees it at once: *reading the file*
(with the number of entries once read), *importing*, then *done* with the counts, or *failed*
with the message and the line or element at fault. There is no half-way progress inside the
import's transaction, so none is claimed.
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.tasks import TaskContext, task
from django.utils import timezone, translation
from django.utils.translation import gettext

from invoices.models import PaymentImport, StatementImport
from invoices.services import ImportResult, payment_statement_import
from invoices.statements import StatementError, parse_statement

logger = logging.getLogger(__name__)


@task(queue_name="default", takes_context=True)
def statement_import_process(context: TaskContext, *, statement_import_id: int) -> str:
    """Imports one uploaded statement; ``statement_import_run`` does the work."""
    return statement_import_run(
        statement_import_id=statement_import_id, task_id=context.task_result.id
    )


def statement_import_enqueue(*, statement_import_id: int) -> None:
    statement_import_process.enqueue(statement_import_id=statement_import_id)


def _update(record: StatementImport, **fields) -> None:
    """Writes the fields at once (outside any transaction of the import) and on the object."""
    for name, value in fields.items():
        setattr(record, name, value)
    StatementImport.objects.filter(pk=record.pk).update(**fields)


def statement_import_run(*, statement_import_id: int, task_id: str = "") -> str:
    """Runs the import of one queued upload and records every step and the outcome.

    The row is claimed under a lock (queued -> reading), so a task enqueued twice imports once.
    The run that claimed it may claim it again: ``run_worker`` puts a task interrupted by a
    database outage back on the queue, and the interrupted import was rolled back with the
    connection (had it committed, the service finds the file imported before).
    A malformed file ends *failed* with the parser's message and location; any other error
    ends *failed* too, with its type and message, and is raised again so the worker logs the
    task as failed. Either way the import's own transaction was rolled back: nothing stored.
    """
    record = _claim(statement_import_id=statement_import_id, task_id=task_id)
    if record is None:
        return "skipped"
    # Messages are written in the language of the person who uploaded the file.
    language = getattr(record.uploaded_by, "language", "") or settings.LANGUAGE_CODE
    content = bytes(record.content)
    try:
        with translation.override(language):
            _format, entries = parse_statement(content)
            _update(record, status=StatementImport.Status.IMPORTING, entries_total=len(entries))
            result = payment_statement_import(
                file_name=record.file_name, content=content, imported_by=record.uploaded_by
            )
    except StatementError as exc:
        _update(
            record,
            status=StatementImport.Status.FAILED,
            finished_at=timezone.now(),
            error=exc.message,
            error_location=exc.location[:255],
        )
        return record.status
    except Exception as exc:
        with translation.override(language):
            message = gettext(
                "The import stopped on an unexpected error (%(error)s). Nothing was imported."
            ) % {"error": f"{type(exc).__name__}: {exc}"[:1000]}
        _update(
            record, status=StatementImport.Status.FAILED, finished_at=timezone.now(), error=message
        )
        logger.exception("Statement upload %s (%s) failed", record.pk, record.file_name)
        raise
    _done(record, result=result, content=content)
    return record.status


@transaction.atomic
def _claim(*, statement_import_id: int, task_id: str) -> StatementImport | None:
    """Claims the upload for this task (queued -> reading) under a lock; None when it is not
    waiting for this task (done, failed, or claimed by another run)."""
    record = (
        StatementImport.objects.select_for_update()
        .filter(pk=statement_import_id)
        .filter(
            Q(status=StatementImport.Status.QUEUED)
            | Q(status__in=StatementImport.RUNNING, task_id=task_id or None)
        )
        .first()
    )
    if record is not None:
        record.status = StatementImport.Status.PARSING
        record.started_at = timezone.now()
        record.task_id = task_id
        record.entries_total = None
        record.save(update_fields=["status", "started_at", "task_id", "entries_total"])
    return record


def _done(record: StatementImport, *, result: ImportResult, content: bytes) -> None:
    """Records the import's result on the upload, and lets go of the file's bytes."""
    digest = hashlib.sha256(content).hexdigest()
    _update(
        record,
        status=StatementImport.Status.DONE,
        finished_at=timezone.now(),
        entries_processed=result.entries,
        duplicate_file=result.duplicate_file,
        added=result.added,
        matched=result.matched,
        unmatched=result.unmatched,
        already_known=result.already_known,
        skipped_outgoing=result.skipped_outgoing,
        payment_import=PaymentImport.objects.filter(sha256=digest).first(),
        # The payments hold what the file said; its bytes need not be kept.
        content=b"",
    )

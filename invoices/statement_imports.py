"""Writes of statement uploads: staff upload a bank statement in admin and the task worker
imports it (``invoices.tasks``). Kept apart from ``services.py``, whose import internals are
the import itself; this module only queues it and never changes how it works.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from invoices.models import StatementImport
from invoices.tasks import statement_import_enqueue

if TYPE_CHECKING:
    from accounts.models import User


def statement_import_create(
    *, file_name: str, content: bytes, uploaded_by: User | None
) -> StatementImport:
    """Stores an uploaded statement and queues its import once the row is committed (a
    worker must find the row). An enqueue that fails after the commit is logged and leaves the
    upload waiting, which admin shows as stalled after ``STATEMENT_IMPORT_STALE_AFTER``."""
    record = StatementImport(
        file_name=file_name[:255], content=content, size=len(content), uploaded_by=uploaded_by
    )
    record.full_clean()
    with transaction.atomic():
        record.save()
        transaction.on_commit(
            lambda: statement_import_enqueue(statement_import_id=record.pk), robust=True
        )
    return record

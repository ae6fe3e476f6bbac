from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from audit.models import AuditEvent
from tests.audit.factories import AuditEventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def aged(organisation):
    """Events 10, 100 and 800 days old."""
    now = timezone.now()
    for days in (10, 100, 800):
        event = AuditEventFactory(organisation=organisation)
        AuditEvent.objects.filter(pk=event.pk).update(created_at=now - timedelta(days=days))


def _prune(*args) -> str:
    out = StringIO()
    call_command("prune_audit_events", *args, stdout=out)
    return out.getvalue().strip()


def test_by_default_events_older_than_730_days_are_deleted(aged):
    assert _prune() == "Deleted 1 events older than 730 days."
    assert AuditEvent.objects.count() == 2


def test_days_overrides_the_setting(aged):
    assert _prune("--days", "50") == "Deleted 2 events older than 50 days."
    assert AuditEvent.objects.count() == 1


def test_dry_run_deletes_nothing(aged):
    assert _prune("--days", "50", "--dry-run") == "2 events older than 50 days would be deleted."
    assert AuditEvent.objects.count() == 3


def test_days_below_one_is_refused(aged):
    with pytest.raises(CommandError, match="at least 1"):
        _prune("--days", "0")
    assert AuditEvent.objects.count() == 3

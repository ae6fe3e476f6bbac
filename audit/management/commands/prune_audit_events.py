"""Deletes audit events older than the retention period (AUDIT_RETENTION_DAYS, default 730)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from audit.services import audit_event_prune


class Command(BaseCommand):
    help = "Delete activity-log events older than AUDIT_RETENTION_DAYS (or --days) days."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Keep this many days instead of AUDIT_RETENTION_DAYS.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count what would be deleted."
        )

    def handle(self, *args, days: int | None, dry_run: bool, **options) -> None:
        days = settings.AUDIT_RETENTION_DAYS if days is None else days
        if days < 1:
            raise CommandError("--days must be at least 1.")
        count = audit_event_prune(older_than_days=days, dry_run=dry_run)
        if dry_run:
            self.stdout.write(f"{count} events older than {days} days would be deleted.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Deleted {count} events older than {days} days."))

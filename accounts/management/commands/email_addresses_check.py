"""Lists the stored e-mail addresses that have no canonical form or would collide in it
(accounts/emails.py): what migration accounts/0008 refuses to merge. Read-only."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from accounts.emails import canonical_plan
from accounts.models import User


class Command(BaseCommand):
    help = "List e-mail addresses that are not canonical or share a canonical form."

    def handle(self, *args, **options) -> None:
        plan = canonical_plan(User.objects.order_by("pk").values_list("pk", "email"))
        for problem in plan.problems:
            self.stdout.write(problem)
        if plan.problems:
            raise CommandError(f"{len(plan.problems)} address problem(s) to resolve.")
        self.stdout.write(
            f"Every address has one canonical form; {len(plan.updates)} to rewrite in it."
        )

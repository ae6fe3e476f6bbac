"""Loads the demo data of every app; running it again changes nothing."""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

# Each app that has demo records offers a `demo.seed()`; later apps add themselves here.
DEMO_MODULES = [
    "accounts.demo",
    "users.demo",
    "billing_address.demo",
    "invoices.demo",
    "audit.demo",
]


class Command(BaseCommand):
    help = "Create or update the demo customer Rode Lente with its organisations and users."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load the demo with DEBUG off too (a test or drill machine, never production).",
        )

    def handle(self, *args, **options) -> None:
        # The demo's accounts, staff included, share a password printed in the README.
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_demo creates accounts with the published demo password, so it runs only "
                "with DEBUG on. On a machine that is not production, add --force."
            )
        for module_name in DEMO_MODULES:
            module = import_module(module_name)
            module.seed()
            self.stdout.write(f"Demo data of {module_name.partition('.')[0]} is in place.")
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))

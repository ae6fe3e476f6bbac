"""Loads the demo data of every app; running it again changes nothing."""

from __future__ import annotations

from importlib import import_module

from django.core.management.base import BaseCommand

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

    def handle(self, *args, **options) -> None:
        for module_name in DEMO_MODULES:
            module = import_module(module_name)
            module.seed()
            self.stdout.write(f"Demo data of {module_name.partition('.')[0]} is in place.")
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))

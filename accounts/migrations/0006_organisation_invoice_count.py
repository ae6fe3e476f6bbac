"""The organisation's stored invoice count (kept by triggers of invoices/0007, which fill it).

SQLite rebuilds accounts_organisation to add a NOT NULL column, which drops the triggers on the
table and is refused while a trigger names it: the membership triggers of 0002 are dropped
around the rebuild and created again, as in 0004.
"""

from importlib import import_module

from django.db import migrations, models

triggers = import_module("accounts.migrations.0002_membership_same_customer_trigger")


def sqlite_triggers(index: int):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in triggers.SQLITE_FORWARD if index == 0 else triggers.SQLITE_REVERSE:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_allauth_admin_proxies"),
    ]

    operations = [
        migrations.RunPython(sqlite_triggers(1), sqlite_triggers(0)),
        migrations.AddField(
            model_name="organisation",
            name="invoice_count",
            field=models.PositiveBigIntegerField(
                default=0, editable=False, verbose_name="invoices"
            ),
        ),
        migrations.RunPython(sqlite_triggers(0), sqlite_triggers(1)),
    ]

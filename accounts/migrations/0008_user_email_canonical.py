"""E-mail addresses in their canonical form (issue 15, accounts/emails.py).

Existing addresses are rewritten in that form. A row that cannot be (no canonical form, or
several users whose addresses would become one) is never merged or dropped: the migration
stops and lists every such row, so that staff decide which account stays (change the other's
address in admin, or in a shell), then run it again. ``manage.py email_addresses_check``
prints the same list before the upgrade.

SQLite rebuilds accounts_user for the constraints and refuses to rename a table that a trigger
names: the membership triggers of 0002 are dropped around the rebuild and created again.
"""

from importlib import import_module

import accounts.emails
import django.db.models.functions.text
from django.db import migrations, models

triggers = import_module("accounts.migrations.0002_membership_same_customer_trigger")


def sqlite_triggers(index: int):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in triggers.SQLITE_FORWARD if index == 0 else triggers.SQLITE_REVERSE:
                schema_editor.execute(statement)

    return run


def canonicalise_addresses(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    plan = accounts.emails.canonical_plan(User.objects.order_by("pk").values_list("pk", "email"))
    if plan.problems:
        raise RuntimeError(
            "E-mail addresses that cannot be made canonical; resolve them and migrate again:\n"
            + "\n".join(f"- {problem}" for problem in plan.problems)
        )
    for pk, email in plan.updates.items():
        User.objects.filter(pk=pk).update(email=email)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0007_sessions_use_portal_backends'),
    ]

    operations = [
        migrations.RunPython(canonicalise_addresses, migrations.RunPython.noop),
        migrations.RunPython(sqlite_triggers(1), sqlite_triggers(0)),
        migrations.RemoveConstraint(
            model_name='user',
            name='accounts_user_email_ci_unique',
        ),
        migrations.AlterField(
            model_name='user',
            name='email',
            field=models.EmailField(error_messages={'unique': 'A user with this e-mail address already exists.'}, max_length=254, unique=True, validators=[accounts.emails.validate_canonical_email], verbose_name='e-mail address'),
        ),
        migrations.AddConstraint(
            model_name='user',
            constraint=models.CheckConstraint(condition=models.Q(('email', django.db.models.functions.text.Lower('email')), ('email__regex', '^[!-~]+$')), name='accounts_user_email_canonical', violation_error_message='Enter a valid e-mail address.'),
        ),
        migrations.RunPython(sqlite_triggers(0), sqlite_triggers(1)),
    ]

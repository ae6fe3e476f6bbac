"""A contact's function, business-card title and phone numbers (R18, R19).

SQLite rebuilds accounts_user to add a foreign key, and refuses to rename a table that a
trigger names; the membership triggers of 0002 are dropped around the rebuild and created again.
"""

from importlib import import_module

import django.db.models.deletion
import phonenumber_field.modelfields
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
        ('accounts', '0003_user_welcome_sent_at'),
        ('users', '0001_initial'),
    ]

    operations = [
        migrations.RunPython(sqlite_triggers(1), sqlite_triggers(0)),
        migrations.AddField(
            model_name='user',
            name='job_function',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='users.jobfunction', verbose_name='function'),
        ),
        migrations.AddField(
            model_name='user',
            name='job_title',
            field=models.CharField(blank=True, help_text="The person's formal title (Functie visitekaart).", max_length=150, verbose_name='business card title'),
        ),
        migrations.AddField(
            model_name='user',
            name='mobile',
            field=phonenumber_field.modelfields.PhoneNumberField(blank=True, max_length=128, region=None, verbose_name='mobile phone number'),
        ),
        migrations.AddField(
            model_name='user',
            name='phone',
            field=phonenumber_field.modelfields.PhoneNumberField(blank=True, max_length=128, region=None, verbose_name='phone number'),
        ),
        migrations.RunPython(sqlite_triggers(0), sqlite_triggers(1)),
    ]

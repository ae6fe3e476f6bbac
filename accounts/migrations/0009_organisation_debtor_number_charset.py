"""The debtor number's character set, held by the database (issue 15, item 7).

Letters A-Z and a-z, digits, ``.``, ``_`` and ``-``, starting with a letter or a digit (see
``accounts/validators.py``). Before the check is added, every existing debtor number is read:
if any breaks the rule, the migration stops with a report naming each organisation (pk,
name, value, what is wrong) and changes nothing. Staff correct them (docs/accounts.md,
*Debtor numbers*) and run ``migrate`` again. The rule is copied here, frozen, so the report stays
what this migration checks whatever the application's code becomes.

The check is ``TRIM(debtor_number, <allowed characters>) = ''``, which SQLite and PostgreSQL
evaluate alike (a regular expression is not portable: SQLite's REGEXP exists only on
Django's own connections).

SQLite adds a check by rebuilding ``accounts_organisation``, which drops the triggers on the
table and is refused while another trigger names it (the membership triggers of 0002, the
invoice count triggers of invoices/0007, when that has run). Every trigger that names the
table is set aside, exactly as stored, around the rebuild and created again after it.
"""

import string
import unicodedata

import django.db.models.functions.text
import django.db.models.lookups
from django.core.management.base import CommandError
from django.db import migrations, models

import accounts.validators

FIRST = string.ascii_letters + string.digits
ALLOWED = FIRST + "._-"
NAME = "accounts_organisation_debtor_number_charset"


def _character(char):
    name = unicodedata.name(char, f"U+{ord(char):04X}")
    return f"{char!r} ({name})"


def _problem(value):
    """What is wrong with a debtor number, or "" when nothing is."""
    if value == "":
        return "is empty"
    outside = [char for char in dict.fromkeys(value) if char not in ALLOWED]
    if outside:
        return "contains " + ", ".join(_character(char) for char in outside)
    if value[0] not in FIRST:
        return f"starts with {value[0]!r}"
    return ""


def report_bad_debtor_numbers(apps, schema_editor):
    organisation_model = apps.get_model("accounts", "Organisation")
    rows = organisation_model.objects.order_by("pk").values_list("pk", "name", "debtor_number")
    bad = [
        f"  pk {pk}, {name!r}: {value!r} {problem}"
        for pk, name, value in rows
        if (problem := _problem(value))
    ]
    if bad:
        count = (
            "1 organisation has" if len(bad) == 1 else f"{len(bad)} organisations have"
        )
        raise CommandError(
            f"{count} a debtor number outside the allowed characters (letters A-Z and a-z, "
            "digits, '.', '_' and '-', starting with a letter or a digit). Nothing was "
            "changed. Correct each one (Django admin, Organisations; and in the billing "
            "system, whose invoice exports name it), then run migrate again:\n"
            + "\n".join(bad)
        )


_set_aside = []


def triggers_set_aside(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql LIKE %s",
            ["%accounts_organisation%"],
        )
        _set_aside[:] = cursor.fetchall()
    for name, _sql in _set_aside:
        schema_editor.execute(f'DROP TRIGGER "{name}"')


def triggers_restore(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for _name, sql in _set_aside:
        schema_editor.execute(sql)
    _set_aside.clear()


def _trimmed(expression, characters):
    return models.Func(
        expression, models.Value(characters), function="TRIM", output_field=models.CharField()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_user_email_canonical"),
    ]

    operations = [
        migrations.RunPython(report_bad_debtor_numbers, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="organisation",
            name="debtor_number",
            field=models.CharField(
                help_text=(
                    "Letters A-Z, digits, dots, hyphens and underscores; starting with a "
                    "letter or a digit."
                ),
                max_length=20,
                unique=True,
                validators=[accounts.validators.validate_debtor_number],
                verbose_name="debtor number",
            ),
        ),
        migrations.RunPython(triggers_set_aside, triggers_restore),
        migrations.AddConstraint(
            model_name="organisation",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("debtor_number", ""), _negated=True),
                    django.db.models.lookups.Exact(
                        _trimmed(models.F("debtor_number"), ALLOWED), models.Value("")
                    ),
                    django.db.models.lookups.Exact(
                        _trimmed(
                            django.db.models.functions.text.Left(models.F("debtor_number"), 1),
                            FIRST,
                        ),
                        models.Value(""),
                    ),
                ),
                name=NAME,
            ),
        ),
        migrations.RunPython(triggers_restore, triggers_set_aside),
    ]

"""Why a contact is inactive (issue 15, item 4): deactivated through a removal (R16, an Admin may
give access again) or blocked by staff (only staff lift it). NULL exactly when active.

The reason of a contact who was already inactive was never stored, so it is inferred here,
taking the safe side: a staff block, which an Admin cannot undo (staff can, with *Reactivate*),
unless the records show a deactivation through a removal, namely

- the person's latest removal record (users.UserRemoval) deactivated them, and
- no access is left (a removal with deactivation ends every access; a block keeps them), and
- no staff block is in the audit log after that removal (``contact_block`` records a
  ``contact.deactivated`` event without an organisation; the removal's own event names one).

The audit log is pruned after ``AUDIT_RETENTION_DAYS``; a block older than that cannot be seen
and such a contact counts as deactivated through the removal, as the portal treated them
until now. The migration reads the users and audit apps' tables (their models through
``apps``, never imported), so it depends on their migrations.

SQLite rebuilds accounts_user to add the check constraint, which is refused while a trigger
names the table: the membership triggers of 0002 are dropped around the rebuild and created
again, as in 0004 and 0006.
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


def _was_deactivated_through_a_removal(apps, user) -> bool:
    removal_model = apps.get_model("users", "UserRemoval")
    membership_model = apps.get_model("accounts", "Membership")
    event_model = apps.get_model("audit", "AuditEvent")
    latest = (
        removal_model.objects.filter(user_id=user.pk).order_by("-removed_at", "-pk").first()
    )
    if latest is None or not latest.deactivated:
        return False
    if membership_model.objects.filter(user_id=user.pk).exists():
        return False
    blocked_later = event_model.objects.filter(
        action="contact.deactivated",
        target_type="user",
        target_id=str(user.pk),
        organisation__isnull=True,
        created_at__gt=latest.removed_at,
    ).exists()
    return not blocked_later


def fill(apps, schema_editor):
    user_model = apps.get_model("accounts", "User")
    deactivated, blocked = [], []
    for user in user_model.objects.filter(is_active=False).only("pk").iterator(chunk_size=500):
        if _was_deactivated_through_a_removal(apps, user):
            deactivated.append(user.pk)
        else:
            blocked.append(user.pk)
    for reason, pks in (("deactivated", deactivated), ("blocked", blocked)):
        for start in range(0, len(pks), 500):
            user_model.objects.filter(pk__in=pks[start : start + 500]).update(
                inactive_reason=reason
            )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0009_organisation_debtor_number_charset"),
        ("users", "0002_removal_choices"),
        ("audit", "0002_unescaped_json"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="inactive_reason",
            field=models.CharField(
                blank=True,
                choices=[
                    ("deactivated", "Deactivated through a removal"),
                    ("blocked", "Blocked by staff"),
                ],
                help_text=(
                    "Deactivated through a removal: an Admin may give access again. Blocked by "
                    "staff: only staff lift it, with Reactivate."
                ),
                max_length=16,
                null=True,
                verbose_name="why inactive",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(sqlite_triggers(1), sqlite_triggers(0)),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.CheckConstraint(
                condition=models.Q(("inactive_reason__isnull", True), ("is_active", True))
                | models.Q(
                    ("inactive_reason__in", ["deactivated", "blocked"]),
                    ("inactive_reason__isnull", False),
                    ("is_active", False),
                ),
                name="accounts_user_inactive_reason_iff_inactive",
                violation_error_message=(
                    "An inactive contact needs the reason why; an active one has none."
                ),
            ),
        ),
        migrations.RunPython(sqlite_triggers(0), sqlite_triggers(1)),
    ]

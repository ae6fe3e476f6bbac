"""After the drill: is every acknowledged mutation in the database and in the audit log, and is
every queued mail sent or still on its way? Run by ``drill.run`` in a subprocess with the
drill's environment:

    python -m drill.verify acknowledged.json   # prints the findings as JSON

It only reads.
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from datetime import datetime


def verify(acknowledged: dict, since: datetime) -> dict:
    from django_tasks_db.models import DBTaskResult

    from accounts.models import Membership
    from audit.models import AuditEvent
    from billing_address.models import BillingAddressChange
    from outbox.models import OutgoingEmail
    from users.models import UserRemoval

    missing: list[str] = []
    checked = Counter()
    events = AuditEvent.objects.filter(created_at__gte=since)

    for ack in acknowledged["billing"]:
        checked["billing"] += 1
        city = ack["city"]
        if not BillingAddressChange.objects.filter(after__city=city).exists():
            missing.append(f"billing address change to {city!r}: not in the history")
        if not events.filter(
            action=AuditEvent.Action.BILLING_ADDRESS_CHANGED, after__city=city
        ).exists():
            missing.append(f"billing address change to {city!r}: not in the audit log")

    removed = {ack["email"]: ack for ack in acknowledged["removed"]}
    for ack in acknowledged["added"]:
        checked["added"] += 1
        email = ack["email"]
        if not events.filter(action=AuditEvent.Action.ACCESS_GRANTED, after__email=email).exists():
            missing.append(f"access of {email} granted: not in the audit log")
        has_access = Membership.objects.filter(
            user__email__iexact=email, kind=Membership.Kind.ORGANISATION
        ).exists()
        was_removed = UserRemoval.objects.filter(user_email__iexact=email).exists()
        if email in removed:
            continue  # checked below
        if not has_access:
            missing.append(
                f"access of {email} granted: no access in the database"
                + (" (removed, though no removal was acknowledged)" if was_removed else "")
            )

    for email, ack in removed.items():
        checked["removed"] += 1
        if Membership.objects.filter(
            user__email__iexact=email, kind=Membership.Kind.ORGANISATION
        ).exists():
            missing.append(f"removal of {email}: the access is still in the database")
        if not UserRemoval.objects.filter(user_email__iexact=email, reason=ack["reason"]).exists():
            missing.append(f"removal of {email}: no removal record")
        if not events.filter(
            action=AuditEvent.Action.ACCESS_REMOVED,
            before__email=email,
            after__reason=ack["reason"],
        ).exists():
            missing.append(f"removal of {email}: not in the audit log")

    mails = OutgoingEmail.objects.filter(created_at__gte=since)
    resets = Counter(ack["email"] for ack in acknowledged["reset"])
    for email, count in resets.items():
        checked["reset"] += count
        queued = mails.filter(to__iexact=email, kind="password_reset_key").count()
        if queued < count:
            missing.append(f"password reset for {email}: {count} acknowledged, {queued} mails")
    for ack in acknowledged["added"]:
        if not mails.filter(to__iexact=ack["email"], kind__startswith="welcome").exists():
            missing.append(f"welcome mail to {ack['email']}: not queued")

    notices = mails.filter(kind="access_removed").count()
    if notices < len(removed):
        missing.append(f"CSM mails about removals: {len(removed)} acknowledged, {notices} queued")

    # A queued mail is "pending" only while a task will still deliver it.
    tasks = DBTaskResult.objects.filter(task_path__endswith="email_deliver")
    live = set()
    for args in tasks.filter(status__in=["READY", "RUNNING"]).values_list("args_kwargs", flat=True):
        live.add((args or {}).get("kwargs", {}).get("email_id"))
    statuses = Counter(mails.values_list("status", flat=True))
    stranded = [
        f"{mail.pk} {mail.kind} to {mail.to}"
        for mail in mails.filter(status=OutgoingEmail.Status.QUEUED)
        if mail.pk not in live
    ]
    failed = [
        f"{mail.pk} {mail.kind} to {mail.to}: {mail.last_error[:200]}"
        for mail in mails.filter(status=OutgoingEmail.Status.FAILED)
    ]
    retried = mails.filter(attempts__gt=1).count()
    task_statuses = Counter(tasks.filter(enqueued_at__gte=since).values_list("status", flat=True))
    task_errors = Counter(
        tasks.filter(enqueued_at__gte=since, status="FAILED").values_list(
            "exception_class_path", flat=True
        )
    )
    kinds = Counter(mails.values_list("kind", flat=True))
    return {
        "checked": dict(checked),
        "missing": missing,
        "mails": {
            "total": sum(statuses.values()),
            "by_status": dict(statuses),
            "by_kind": dict(kinds),
            "retried": retried,
            "stranded": stranded,
            "failed": failed,
        },
        "tasks": {"by_status": dict(task_statuses), "errors": dict(task_errors)},
    }


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    with open(sys.argv[1], encoding="utf-8") as file:
        data = json.load(file)
    since = datetime.fromisoformat(data["since"])
    findings = verify(data["acknowledged"], since)
    # Controls: acknowledgements of changes nobody made. Each must be reported missing, or the
    # verification could not have noticed a lost change either.
    controls = verify(CONTROLS, since)["missing"]
    findings["controls_unnoticed"] = [
        identifier
        for identifier in CONTROL_IDENTIFIERS
        if not any(identifier in line for line in controls)
    ]
    json.dump(findings, sys.stdout, indent=2)


CONTROLS = {
    "billing": [{"city": "Drillstad never written"}],
    "added": [{"email": "drill-never-added@example.com"}],
    "removed": [{"email": "drill-never-removed@example.com", "reason": "never given"}],
    "reset": [{"email": "drill-never-asked@example.com"}],
}
CONTROL_IDENTIFIERS = [
    "Drillstad never written",
    "drill-never-added@example.com",
    "drill-never-removed@example.com",
    "drill-never-asked@example.com",
]


if __name__ == "__main__":
    main()

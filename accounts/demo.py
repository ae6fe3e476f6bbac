"""Demo records mirroring the user guide: customer *Rode Lente* and its people (demo only)."""

from __future__ import annotations

from django.db import transaction

from accounts.models import Customer, Membership, Organisation, User

DEMO_PASSWORD = "demo-portal-2026"  # noqa: S105 - documented demo-only password

ORGANISATIONS = [
    ("Rode Lente", "100001"),
    ("Rode Lente Services", "100002"),
]

PEOPLE = [
    # e-mail, first name, last name, [(organisation, kind, role, security contact)]
    (
        "ruud.coon@example.com",
        "Ruud",
        "Coon",
        [
            ("Rode Lente", Membership.Kind.ORGANISATION, Membership.Role.ADMIN, True),
            ("Rode Lente Services", Membership.Kind.ORGANISATION, Membership.Role.ADMIN, False),
        ],
    ),
    (
        "anne.vanamersfoort@example.com",
        "Anne",
        "van Amersfoort",
        [("Rode Lente", Membership.Kind.ORGANISATION, Membership.Role.VIEWER, True)],
    ),
    (
        "sanne.devries@example.com",
        "Sanne",
        "de Vries",
        [("Rode Lente", Membership.Kind.SUPPORT, None, False)],
    ),
]


def _user(email: str, **fields) -> User:
    user, created = User.objects.update_or_create(email=email, defaults=fields)
    if created or not user.has_usable_password():
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def seed() -> list[str]:
    customer, _ = Customer.objects.update_or_create(
        name="Rode Lente", defaults={"csm_email": "csm@example.com"}
    )
    organisations = {}
    for name, debtor_number in ORGANISATIONS:
        organisations[name], _ = Organisation.objects.update_or_create(
            debtor_number=debtor_number, defaults={"name": name, "customer": customer}
        )
    for email, first_name, last_name, accesses in PEOPLE:
        user = _user(email, first_name=first_name, last_name=last_name, customer=customer)
        for organisation_name, kind, role, security_contact in accesses:
            # The founding people are written here directly: there is no Admin yet to give the
            # first access through users.services (every later demo person goes through it).
            # Created once: a change made in the portal afterwards is kept.
            Membership.objects.get_or_create(
                user=user,
                organisation=organisations[organisation_name],
                kind=kind,
                defaults={"role": role, "security_contact": security_contact},
            )
    _user(
        "staff@example.com",
        first_name="Staff",
        last_name="Vendor",
        is_staff=True,
        is_superuser=True,
    )
    return [email for email, *_rest in PEOPLE] + ["staff@example.com"]

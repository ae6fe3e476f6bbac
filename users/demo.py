"""Demo people of *Rode Lente* for user management (demo only): about 30 users in Rode Lente
so search and paging show, a smaller set in Rode Lente Services, functions, phones, a few
security/privacy contacts and support users, and one person with both kinds of access."""

from __future__ import annotations

from django.db import transaction

from accounts.demo import DEMO_PASSWORD
from accounts.models import Customer, Membership, Organisation, User
from users.models import JobFunction
from users.services import membership_add

FUNCTIONS = [
    # Dutch, English
    ("HR-manager", "HR manager"),
    ("Salarisadministrateur", "Payroll administrator"),
    ("Controller", "Controller"),
    ("Financieel directeur", "Chief financial officer"),
    ("Directeur", "Director"),
    ("IT-beheerder", "IT administrator"),
    ("Functioneel beheerder", "Application administrator"),
    ("Functionaris gegevensbescherming", "Data protection officer"),
    ("Teamleider", "Team leader"),
    ("Anders", "Other"),
]

RL = "Rode Lente"
RLS = "Rode Lente Services"
ORG = Membership.Kind.ORGANISATION
SUPPORT = Membership.Kind.SUPPORT
ADMIN = Membership.Role.ADMIN
VIEWER = Membership.Role.VIEWER

# The people of accounts.demo get a function and phones here.
EXISTING = {
    "ruud.coon@example.com": ("Financieel directeur", "CFO", "+31 20 555 0101", "+31 6 12000101"),
    "anne.vanamersfoort@example.com": (
        "Functionaris gegevensbescherming",
        "Privacy officer",
        "+31 20 555 0102",
        "",
    ),
    "sanne.devries@example.com": ("Functioneel beheerder", "", "", "+31 6 12000103"),
}

# e-mail, first name, last name, function, [(organisation, kind, role, security contact)]
PEOPLE = [
    (
        "joost.bakker@example.com",
        "Joost",
        "Bakker",
        "IT-beheerder",
        [(RL, ORG, VIEWER, True), (RLS, SUPPORT, None, False)],
    ),
    ("marieke.jansen@example.com", "Marieke", "Jansen", "HR-manager", [(RL, ORG, ADMIN, False)]),
    (
        "pieter.smit@example.com",
        "Pieter",
        "Smit",
        "Controller",
        [(RL, ORG, VIEWER, False), (RLS, ORG, ADMIN, False)],
    ),
    (
        "fatima.elamrani@example.com",
        "Fatima",
        "El Amrani",
        "Salarisadministrateur",
        [(RL, ORG, VIEWER, False)],
    ),
    ("daan.visser@example.com", "Daan", "Visser", "Teamleider", [(RL, ORG, VIEWER, False)]),
    (
        "emma.mulder@example.com",
        "Emma",
        "Mulder",
        "Salarisadministrateur",
        [(RL, ORG, VIEWER, False)],
    ),
    ("lucas.deboer@example.com", "Lucas", "de Boer", "IT-beheerder", [(RL, ORG, VIEWER, True)]),
    ("sophie.dekker@example.com", "Sophie", "Dekker", "Directeur", [(RL, ORG, ADMIN, False)]),
    ("thomas.vandijk@example.com", "Thomas", "van Dijk", "Teamleider", [(RL, ORG, VIEWER, False)]),
    ("julia.bos@example.com", "Julia", "Bos", "Anders", [(RL, ORG, VIEWER, False)]),
    ("sem.vos@example.com", "Sem", "Vos", "Controller", [(RL, ORG, VIEWER, False)]),
    ("lotte.peters@example.com", "Lotte", "Peters", "HR-manager", [(RL, ORG, VIEWER, False)]),
    (
        "milan.hendriks@example.com",
        "Milan",
        "Hendriks",
        "Functioneel beheerder",
        [(RL, ORG, VIEWER, False)],
    ),
    (
        "anna.vanleeuwen@example.com",
        "Anna",
        "van Leeuwen",
        "Salarisadministrateur",
        [(RL, ORG, VIEWER, False)],
    ),
    ("noah.brouwer@example.com", "Noah", "Brouwer", "Teamleider", [(RL, ORG, VIEWER, False)]),
    ("eva.degroot@example.com", "Eva", "de Groot", "Anders", [(RL, ORG, VIEWER, False)]),
    (
        "finn.vanderberg@example.com",
        "Finn",
        "van der Berg",
        "IT-beheerder",
        [(RL, SUPPORT, None, False)],
    ),
    ("sara.kok@example.com", "Sara", "Kok", "Functioneel beheerder", [(RL, SUPPORT, None, False)]),
    (
        "levi.jacobs@example.com",
        "Levi",
        "Jacobs",
        "Functioneel beheerder",
        [(RL, SUPPORT, None, False)],
    ),
    ("tess.vermeulen@example.com", "Tess", "Vermeulen", "Teamleider", [(RL, ORG, VIEWER, False)]),
    (
        "jesse.vandenbroek@example.com",
        "Jesse",
        "van den Broek",
        "Controller",
        [(RL, ORG, VIEWER, False)],
    ),
    ("zoe.schouten@example.com", "Zoë", "Schouten", "HR-manager", [(RL, ORG, VIEWER, False)]),
    (
        "bram.willems@example.com",
        "Bram",
        "Willems",
        "Salarisadministrateur",
        [(RL, ORG, VIEWER, False)],
    ),
    ("isa.vandermeer@example.com", "Isa", "van der Meer", "Anders", [(RL, ORG, VIEWER, False)]),
    ("ruben.postma@example.com", "Ruben", "Postma", "Teamleider", [(RL, ORG, VIEWER, False)]),
    (
        "noor.kuipers@example.com",
        "Noor",
        "Kuipers",
        "Functionaris gegevensbescherming",
        [(RL, ORG, VIEWER, True)],
    ),
    ("gijs.koster@example.com", "Gijs", "Koster", "Directeur", [(RL, ORG, VIEWER, False)]),
    ("femke.prins@example.com", "Femke", "Prins", "Controller", [(RL, ORG, VIEWER, False)]),
    # Rode Lente Services' own people.
    (
        "mila.huisman@example.com",
        "Mila",
        "Huisman",
        "Salarisadministrateur",
        [(RLS, ORG, VIEWER, True)],
    ),
    ("luuk.wolters@example.com", "Luuk", "Wolters", "HR-manager", [(RLS, ORG, VIEWER, False)]),
    ("yara.bosman@example.com", "Yara", "Bosman", "Anders", [(RLS, ORG, VIEWER, False)]),
    ("tim.kramer@example.com", "Tim", "Kramer", "IT-beheerder", [(RLS, SUPPORT, None, False)]),
]


def _phones(index: int) -> tuple[str, str]:
    """Valid Dutch numbers: an Amsterdam landline for most, a mobile for every other person."""
    phone = f"+31 20 555 {1000 + index:04d}" if index % 4 != 3 else ""
    mobile = f"+31 6 1200 {2000 + index:04d}" if index % 2 == 0 else ""
    return phone, mobile


def _person(email: str, customer: Customer, **fields) -> User:
    user = User.objects.by_email(email).first() or User(email=email)
    for name, value in fields.items():
        setattr(user, name, value)
    user.customer = customer
    if user.pk is None or not user.has_usable_password():
        user.set_password(DEMO_PASSWORD)  # demo users count as activated
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def seed() -> list[str]:
    functions = {}
    for order, (name_nl, name_en) in enumerate(FUNCTIONS, start=1):
        functions[name_nl], _ = JobFunction.objects.update_or_create(
            name_nl=name_nl, defaults={"name_en": name_en, "order": order * 10, "active": True}
        )
    customer = Customer.objects.get(name="Rode Lente")
    organisations = {o.name: o for o in Organisation.objects.filter(customer=customer)}
    # Who gives the demo people their access: the first Admin of each organisation.
    admins = {}
    for membership in (
        Membership.objects.filter(organisation__customer=customer, kind=ORG, role=ADMIN)
        .select_related("user")
        .order_by("pk")
    ):
        admins.setdefault(membership.organisation_id, membership.user)

    for email, (function, title, phone, mobile) in EXISTING.items():
        user = User.objects.get(email=email)
        user.job_function, user.job_title = functions[function], title
        user.phone, user.mobile = phone, mobile
        user.full_clean()
        user.save(update_fields=["job_function", "job_title", "phone", "mobile"])

    for index, (email, first_name, last_name, function, accesses) in enumerate(PEOPLE):
        phone, mobile = _phones(index)
        user = _person(
            email,
            customer,
            first_name=first_name,
            last_name=last_name,
            job_function=functions[function],
            phone=phone,
            mobile=mobile,
            is_active=True,
        )
        for organisation_name, kind, role, security_contact in accesses:
            organisation = organisations[organisation_name]
            if Membership.objects.filter(user=user, organisation=organisation, kind=kind).exists():
                continue  # given once; a later change in the portal is kept
            # Access goes through the one write path, as an Admin of the organisation gives it.
            membership_add(
                by=admins.get(organisation.pk),
                organisation=organisation,
                email=user.email,
                kind=kind,
                role=role,
                security_contact=security_contact,
                notify=False,  # demo people have no mailbox to tell
                **user.contact_details(),
            )
    return [email for email, *_rest in PEOPLE]

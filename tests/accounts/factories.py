from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from accounts.models import Customer, Membership, Organisation, User

PASSWORD = "correct-horse-battery"


class CustomerFactory(DjangoModelFactory):
    class Meta:
        model = Customer

    name = factory.Sequence(lambda n: f"Customer {n}")
    csm_email = factory.Sequence(lambda n: f"csm{n}@vendor.example")


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    customer = factory.SubFactory(CustomerFactory)
    name = factory.Sequence(lambda n: f"Organisation {n:03d}")
    debtor_number = factory.Sequence(lambda n: f"{200000 + n}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@customer.example")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    customer = factory.SubFactory(CustomerFactory)
    language = "nl"
    is_active = True
    # The database wants the reason exactly when inactive: a plain inactive contact is one
    # deactivated through a removal; pass BLOCKED for a staff block.
    inactive_reason = factory.LazyAttribute(
        lambda o: None if o.is_active else User.InactiveReason.DEACTIVATED
    )

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(
        UserFactory, customer=factory.SelfAttribute("..organisation.customer")
    )
    kind = Membership.Kind.ORGANISATION
    role = Membership.Role.VIEWER
    security_contact = False


class SupportMembershipFactory(MembershipFactory):
    kind = Membership.Kind.SUPPORT
    role = None

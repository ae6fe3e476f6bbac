from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from users.models import JobFunction


class JobFunctionFactory(DjangoModelFactory):
    class Meta:
        model = JobFunction
        django_get_or_create = ["name_nl"]

    name_nl = factory.Sequence(lambda n: f"Functie {n}")
    name_en = factory.Sequence(lambda n: f"Function {n}")
    order = factory.Sequence(lambda n: n)
    active = True

"""A contact's details are one list (``User.CONTACT_FIELDS``): the portal's form, admin's
forms and fieldsets, the users services and their audit snapshots take it from there, so a
field added to the list shows up everywhere or a test here fails."""

from __future__ import annotations

import inspect
import re
from http import HTTPStatus

import pytest
from django.contrib import admin
from django.urls import reverse

from accounts.models import User
from audit.models import AuditEvent
from tests.conftest import logged_in
from tests.users.factories import JobFunctionFactory
from users import services
from users.admin import UserAdmin
from users.admin_forms import AdminUserAddForm
from users.forms import UserDetailsForm
from users.models import JobFunction

pytestmark = pytest.mark.django_db


def _fieldset_fields(fieldsets) -> list[str]:
    return [field for _name, options in fieldsets for field in options["fields"]]


def test_the_list_names_the_users_fields():
    assert User.CONTACT_FIELDS == (
        "first_name",
        "last_name",
        "job_function",
        "job_title",
        "phone",
        "mobile",
    )
    for field in User.CONTACT_FIELDS:
        assert User._meta.get_field(field).editable


def test_every_form_admin_page_and_service_takes_every_contact_field():
    user_admin = admin.site._registry[User]
    assert isinstance(user_admin, UserAdmin)
    for fields in (
        AdminUserAddForm.Meta.fields,
        _fieldset_fields(user_admin.fieldsets),
        _fieldset_fields(user_admin.add_fieldsets),
        list(UserDetailsForm(kind="organisation", job_functions=None).fields),
        list(inspect.signature(services.membership_add).parameters),
        list(inspect.signature(services.membership_update).parameters),
        services.STAFF_CONTACT_FIELDS,
    ):
        for field in User.CONTACT_FIELDS:
            assert list(fields).count(field) == 1, (field, fields)


def test_the_portal_form_prefills_and_hands_on_exactly_the_contact_fields(admin, organisation):
    function = JobFunctionFactory(name_nl="Controller", name_en="Controller")
    person = User(
        first_name="Nina",
        last_name="Nieuw",
        job_function=function,
        job_title="Hoofd",
        phone="+31201234567",
        mobile="+31612345678",
    )
    initial = UserDetailsForm.initial_from(person)
    assert initial == {
        "first_name": "Nina",
        "last_name": "Nieuw",
        "job_function": function.pk,
        "job_title": "Hoofd",
        "phone": person.phone,
        "mobile": person.mobile,
        # shown when editing (the address) and for someone new (the language)
        "email": "",
        "language": "nl",
    }
    form = UserDetailsForm(
        {**initial, "role": "viewer", "phone": "020 123 4567", "mobile": ""},
        kind="organisation",
        job_functions=JobFunction.objects.all(),
    )
    assert form.is_valid(), form.errors
    assert set(form.service_kwargs()) == {*User.CONTACT_FIELDS, "role", "security_contact"}


def test_staff_edits_of_every_contact_field_are_in_the_log(staff, viewer):
    """Admin's user page through the one list: each field staff change is recorded."""
    function = JobFunctionFactory(name_nl="Controller", name_en="Controller")
    page = reverse("admin:accounts_user_change", args=[viewer.pk])
    client = logged_in(staff)
    form = client.get(page).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in {"password", "groups", "user_permissions"}
    }
    data |= {
        "first_name": "Anna",
        "last_name": "Amersfoort",
        "job_function": function.pk,
        "job_title": "Hoofd",
        "phone": "020 123 4567",
        "mobile": "06 1234 5678",
        "is_active": "on",
        "date_joined_0": viewer.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": viewer.date_joined.strftime("%H:%M:%S"),
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    data.pop("date_joined", None)
    response = client.post(page, data)
    assert response.status_code == HTTPStatus.FOUND, re.findall(
        r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode(), re.S
    )
    event = AuditEvent.objects.get(action=AuditEvent.Action.CONTACT_CHANGED, target_id=viewer.pk)
    assert set(event.after) == set(User.CONTACT_FIELDS)
    assert event.after["phone"] == "+31201234567"

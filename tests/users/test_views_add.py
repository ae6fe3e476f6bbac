"""The add wizard (R14): step 1's rules on the page, the signed state, step 2 for every kind of
contact, and what ends up stored."""

from __future__ import annotations

import re
from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Membership, User
from outbox.models import OutgoingEmail
from tests.accounts.factories import MembershipFactory, SupportMembershipFactory, UserFactory
from tests.conftest import logged_in
from tests.users.factories import JobFunctionFactory

ADD = reverse("users:add")
DETAILS = reverse("users:add_details")
SUPPORT_ADD = reverse("users:support_add")
SUPPORT_DETAILS = reverse("users:support_add_details")
LIST = reverse("users:list")
ASTERISK = '<span class="asteriskField">\\*</span>'


@pytest.fixture
def controller(db):
    return JobFunctionFactory(name_nl="Controller", name_en="Controller")


@pytest.fixture
def english_admin(admin):
    User.objects.filter(pk=admin.pk).update(language="en")
    return logged_in(admin)


def state_of(location: str) -> str:
    return parse_qs(urlsplit(location).query)["state"][0]


def start(client, email: str, url: str = ADD) -> str:
    """Step 1; returns the URL of step 2."""
    response = client.post(url, {"email": email})
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[-3000:]
    return response["Location"]


def details(controller, **overrides) -> dict:
    data = {
        "first_name": "Nina",
        "last_name": "Nieuw",
        "role": "viewer",
        "job_function": controller.pk,
        "job_title": "Hoofd salarisadministratie",
        "phone": "020 123 4567",
        "mobile": "",
        "security_contact": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def field_error(content: str, field: str) -> str:
    match = re.search(
        rf'<[^>]+id="error_1_id_{field}"[^>]*>\s*<strong>(.*?)</strong>', content, re.S
    )
    return match.group(1).strip() if match else ""


# --- step 1 --------------------------------------------------------------------------------


def test_step_1_asks_the_email_with_the_guides_explanation(admin_client_portal):
    response = admin_client_portal.get(ADD)
    assert response.status_code == HTTPStatus.OK
    content = response.content.decode()
    assert "<h1" in content and "Gebruiker toevoegen</h1>" in content
    assert "<summary>Toon meer</summary>" in content
    assert "Op basis van één e-mailadres kan een gebruiker toegang krijgen tot:" in content
    assert "&#x27;Mijn support&#x27; voor één organisatie;" not in content  # not escaped twice
    assert "'Mijn support' voor één organisatie;" in content
    assert "'Mijn organisatie' voor verschillende organisaties." in content
    assert "Een e-mailadres dat wij kennen bij een andere klant is niet beschikbaar." in content
    assert re.search(r'<input type="email" name="email"[^>]*autofocus', content)
    assert f'<a class="btn btn-outline-secondary" href="{LIST}">Annuleer</a>' in content
    assert '<button type="submit" class="btn btn-primary">Volgende</button>' in content


def test_step_1_new_address_goes_to_step_2(admin_client_portal):
    location = start(admin_client_portal, "  Nina.Nieuw@RodeLente.example ")
    assert location.startswith(f"{DETAILS}?state=")
    content = admin_client_portal.get(location).content.decode()
    assert 'data-testid="email">nina.nieuw@rodelente.example</p>' in content
    assert '<input type="hidden" name="email" value="nina.nieuw@rodelente.example">' in content
    assert "Stap 2 van 2" in content
    assert 'data-testid="wizard-notice"' not in content


def test_step_1_invalid_address(admin_client_portal):
    response = admin_client_portal.post(ADD, {"email": "not-an-address"})
    assert response.status_code == HTTPStatus.OK
    assert field_error(response.content.decode(), "email") == "Voer een geldig e-mailadres in."


def test_step_1_address_of_another_customer_is_not_available(english_admin, other_organisation):
    MembershipFactory(
        organisation=other_organisation,
        user__email="piet@blauweherfst.example",
        user__first_name="Piet",
    )
    response = english_admin.post(ADD, {"email": "PIET@blauweherfst.example"})
    assert response.status_code == HTTPStatus.OK
    content = response.content.decode()
    assert field_error(content, "email") == "This e-mail address is not available."
    assert "Blauwe Herfst" not in content
    assert "Piet" not in content


def test_step_1_staff_address_is_not_available(english_admin, staff):
    response = english_admin.post(ADD, {"email": staff.email.upper()})
    assert field_error(response.content.decode(), "email") == (
        "This e-mail address is not available."
    )


def test_step_1_person_with_this_access_already(english_admin, viewer):
    response = english_admin.post(ADD, {"email": "ANNE@rodelente.example"})
    assert field_error(response.content.decode(), "email") == (
        "This person already has Mijn organisatie access to Rode Lente."
    )


def test_step_1_support_access_already_here(english_admin, support_user):
    response = english_admin.post(SUPPORT_ADD, {"email": "Sanne@RodeLente.example"})
    assert field_error(response.content.decode(), "email") == (
        "This person already has Mijn support access to Rode Lente."
    )


def test_step_1_support_access_for_one_organisation_only(english_admin, second_organisation):
    SupportMembershipFactory(organisation=second_organisation, user__email="kees@rodelente.example")
    response = english_admin.post(SUPPORT_ADD, {"email": "KEES@rodelente.example"})
    assert field_error(response.content.decode(), "email") == (
        "This person already has Mijn support access to Rode Lente Services. "
        "Mijn support access exists for one organisation only."
    )


def test_step_1_organisation_access_for_several_organisations(
    admin_client_portal, second_organisation
):
    MembershipFactory(organisation=second_organisation, user__email="kees@rodelente.example")
    location = start(admin_client_portal, "Kees@RodeLente.example")
    content = admin_client_portal.get(location).content.decode()
    assert "Deze persoon is bij ons al bekend als contactpersoon van jouw organisatie" in content


def test_support_user_may_get_organisation_access_too(admin_client_portal, support_user):
    assert start(admin_client_portal, "sanne@rodelente.example").startswith(DETAILS)


# --- the state between the steps -----------------------------------------------------------


def test_previous_keeps_the_email(admin_client_portal):
    location = start(admin_client_portal, "nina@rodelente.example")
    content = admin_client_portal.get(location).content.decode()
    back = re.search(r'<a class="btn btn-outline-secondary" href="([^"]+)">Vorige</a>', content)
    assert back, "no Vorige link"
    step_1 = admin_client_portal.get(back.group(1).replace("&amp;", "&")).content.decode()
    assert 'value="nina@rodelente.example"' in step_1


def test_step_2_without_state_goes_back_to_step_1(admin_client_portal):
    response = admin_client_portal.get(DETAILS)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == ADD


@pytest.mark.parametrize("state", ["garbage", "eyJlbWFpbCI6ImEifQ:1abc:xyz", "a:b:c:d"])
def test_garbage_state_is_refused(admin_client_portal, controller, state):
    response = admin_client_portal.post(
        f"{DETAILS}?state={state}", details(controller, email="nina@rodelente.example")
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Dit formulier is verlopen of gewijzigd. Begin opnieuw met het e-mailadres." in (
        response.content.decode()
    )
    assert not User.objects.filter(email="nina@rodelente.example").exists()


def test_changed_email_in_step_2_is_refused(admin_client_portal, controller):
    location = start(admin_client_portal, "nina@rodelente.example")
    response = admin_client_portal.post(
        location, details(controller, email="someone-else@rodelente.example")
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert not User.objects.filter(
        email__in=["nina@rodelente.example", "someone-else@rodelente.example"]
    ).exists()


def test_the_address_never_travels_in_a_url(admin_client_portal):
    location = start(admin_client_portal, "nina@rodelente.example")
    assert "nina" not in location and "rodelente" not in location
    content = admin_client_portal.get(location).content.decode()
    back = re.search(r'href="([^"]+)">Vorige</a>', content).group(1)
    assert "nina" not in back


def test_a_state_of_another_session_is_refused(admin, admin_client_portal, controller):
    location = start(admin_client_portal, "nina@rodelente.example")
    other_session = logged_in(admin)  # the same Admin, another browser
    response = other_session.post(location, details(controller, email="nina@rodelente.example"))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert not User.objects.filter(email="nina@rodelente.example").exists()


def test_state_for_another_organisation_is_refused(
    admin, admin_client_portal, second_organisation, controller
):
    location = start(admin_client_portal, "nina@rodelente.example")  # in Rode Lente
    admin_client_portal.post(
        reverse("portal:switch_organisation"), {"organisation": second_organisation.pk}
    )
    response = admin_client_portal.post(
        location, details(controller, email="nina@rodelente.example")
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert not Membership.objects.filter(user__email="nina@rodelente.example").exists()


def test_state_for_the_other_kind_is_refused(admin_client_portal, controller):
    location = start(admin_client_portal, "nina@rodelente.example")  # organisation access
    response = admin_client_portal.post(
        f"{SUPPORT_DETAILS}?state={state_of(location)}",
        details(controller, email="nina@rodelente.example"),
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert not User.objects.filter(email="nina@rodelente.example").exists()


def test_state_of_another_admin_is_refused(admin_client_portal, organisation, controller):
    other_admin = MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).user
    location = start(logged_in(other_admin), "nina@rodelente.example")
    response = admin_client_portal.post(
        location, details(controller, email="nina@rodelente.example")
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST


def test_expired_state_is_refused(admin_client_portal, controller):
    with time_machine.travel("2026-06-01 10:00:00+02:00", tick=False):
        location = start(admin_client_portal, "nina@rodelente.example")
    with time_machine.travel("2026-06-01 11:01:00+02:00", tick=False):
        response = admin_client_portal.get(location)
    assert response.status_code == HTTPStatus.BAD_REQUEST


def test_replayed_state_after_the_person_was_added_stores_nothing(
    english_admin, organisation, controller
):
    location = start(english_admin, "nina@rodelente.example")
    first = english_admin.post(location, details(controller, email="nina@rodelente.example"))
    assert first.status_code == HTTPStatus.FOUND
    again = english_admin.post(location, details(controller, email="nina@rodelente.example"))
    assert again.status_code == HTTPStatus.OK
    assert field_error(again.content.decode(), "email") == (
        "This person already has Mijn organisatie access to Rode Lente."
    )
    assert Membership.objects.filter(user__email="nina@rodelente.example").count() == 1


# --- step 2 and what is stored -------------------------------------------------------------


def test_step_2_fields_and_buttons(admin_client_portal, controller):
    JobFunctionFactory(name_nl="Oud", name_en="Old", active=False)
    content = admin_client_portal.get(
        start(admin_client_portal, "nina@rodelente.example")
    ).content.decode()
    for label in [
        "Voornaam",
        "Achternaam",
        "Rol",
        "Functie",
        "Functie visitekaart",
        "Telefoonnummer",
        "Mobiel telefoonnummer",
        "Contactpersoon security/privacy",
    ]:
        assert re.search(
            rf"<label[^>]*>\s*{re.escape(label)}\s*({ASTERISK})?\s*</label>",
            content,
        ), label
    # The address of step 1 is shown, not asked again: text, not a field (issue 17, item 3).
    assert '<div class="form-label">E-mail</div>' in content
    for required in ["Voornaam", "Achternaam", "Rol", "Functie"]:
        assert re.search(rf"{required}\s*<span class=\"asteriskField\">\*</span>", content), (
            required
        )
    assert '<option value="viewer" selected>Viewer</option>' in content
    assert ">Controller</option>" in content
    assert ">Oud</option>" not in content  # retired functions cannot be chosen anew
    assert re.search(r'<input type="text" name="first_name"[^>]*autofocus', content)
    assert ">Annuleer</a>" in content
    assert ">Vorige</a>" in content
    assert '<button type="submit" class="btn btn-primary">Toevoegen</button>' in content


def test_add_a_new_contact(admin, admin_client_portal, organisation, controller):
    location = start(admin_client_portal, "Nina@RodeLente.example")
    response = admin_client_portal.post(
        location,
        details(controller, email="nina@rodelente.example", role="admin", mobile="06 12345678"),
        follow=True,
    )
    assert response.redirect_chain == [(LIST, HTTPStatus.FOUND)]
    content = response.content.decode()
    assert (
        "Nina Nieuw heeft nu toegang tot Mijn organisatie. We hebben nina@rodelente.example "
        "een welkomstmail gestuurd met een link om het account te activeren."
    ) in content
    person = User.objects.get(email="nina@rodelente.example")
    assert person.customer == organisation.customer
    assert (person.first_name, person.last_name) == ("Nina", "Nieuw")
    assert person.job_function == controller
    assert person.job_title == "Hoofd salarisadministratie"
    assert person.phone.as_e164 == "+31201234567"
    assert person.mobile.as_e164 == "+31612345678"
    membership = Membership.objects.get(user=person)
    assert membership.organisation == organisation
    assert membership.kind == Membership.Kind.ORGANISATION
    assert membership.role == Membership.Role.ADMIN
    assert membership.security_contact is True
    assert OutgoingEmail.objects.filter(kind="welcome", to="nina@rodelente.example").count() == 1


def test_add_a_known_contact_prefills_and_updates(
    admin_client_portal, organisation, second_organisation, controller
):
    known = MembershipFactory(
        organisation=second_organisation,
        user__email="kees@rodelente.example",
        user__first_name="Kees",
        user__last_name="Kaas",
        user__job_title="Boekhouder",
        user__phone="+31201234567",
        user__job_function=controller,
    ).user
    location = start(admin_client_portal, "KEES@rodelente.example")
    content = admin_client_portal.get(location).content.decode()
    assert 'value="Kees"' in content
    assert 'value="Kaas"' in content
    assert 'value="Boekhouder"' in content
    assert 'value="020 123 4567"' in content  # shown formatted
    assert f'<option value="{controller.pk}" selected>Controller</option>' in content
    response = admin_client_portal.post(
        location,
        details(
            controller,
            email="kees@rodelente.example",
            first_name="Kees",
            last_name="Kaas-Klein",
            security_contact=None,
        ),
    )
    assert response.status_code == HTTPStatus.FOUND
    known.refresh_from_db()
    assert known.last_name == "Kaas-Klein"
    assert User.objects.filter(email="kees@rodelente.example").count() == 1
    membership = Membership.objects.get(user=known, organisation=organisation)
    assert (membership.role, membership.security_contact) == ("viewer", False)
    assert Membership.objects.filter(user=known).count() == 2
    assert not OutgoingEmail.objects.filter(to="kees@rodelente.example").exists()  # activated


def test_add_a_deactivated_contact_reactivates_them(admin_client_portal, organisation, controller):
    gone = UserFactory(
        customer=organisation.customer,
        email="oud@rodelente.example",
        first_name="Olga",
        last_name="Oud",
        is_active=False,
    )
    location = start(admin_client_portal, "oud@rodelente.example")
    content = admin_client_portal.get(location).content.decode()
    assert "Deze contactpersoon van jouw organisatie is gedeactiveerd." in content
    assert 'value="Olga"' in content
    response = admin_client_portal.post(
        location,
        details(controller, email="oud@rodelente.example", first_name="Olga", last_name="Oud"),
        follow=True,
    )
    assert "Olga Oud heeft nu toegang tot Mijn organisatie." in response.content.decode()
    gone.refresh_from_db()
    assert gone.is_active is True
    assert Membership.objects.filter(user=gone, organisation=organisation).exists()


def test_add_a_support_user_has_no_role(admin_client_portal, organisation, controller):
    location = start(admin_client_portal, "hulp@rodelente.example", url=SUPPORT_ADD)
    assert location.startswith(SUPPORT_DETAILS)
    content = admin_client_portal.get(location).content.decode()
    assert 'name="role"' not in content
    response = admin_client_portal.post(
        location, details(controller, email="hulp@rodelente.example", role=None), follow=True
    )
    assert response.redirect_chain == [(reverse("users:support_list"), HTTPStatus.FOUND)]
    membership = Membership.objects.get(user__email="hulp@rodelente.example")
    assert (membership.kind, membership.role) == ("support", None)


def test_step_2_field_errors_keep_the_input(admin_client_portal, controller):
    location = start(admin_client_portal, "nina@rodelente.example")
    response = admin_client_portal.post(
        location,
        details(
            controller, email="nina@rodelente.example", last_name="", phone="12", job_function=""
        ),
    )
    assert response.status_code == HTTPStatus.OK
    content = response.content.decode()
    assert field_error(content, "last_name") == "Dit veld is verplicht."
    assert field_error(content, "job_function") == "Dit veld is verplicht."
    assert field_error(content, "phone").startswith("Vul een geldig telefoonnummer in")
    assert 'value="Nina"' in content
    assert 'value="Hoofd salarisadministratie"' in content
    assert re.search(r'<input type="text" name="last_name"[^>]*autofocus', content)
    assert not User.objects.filter(email="nina@rodelente.example").exists()


def test_service_errors_are_shown_on_the_form(admin_client_portal, controller, monkeypatch):
    def refuse(**kwargs):
        raise ValidationError(
            {
                "role": "Role refused.",
                "email": "Address refused.",
                "__all__": "Everything refused.",
            }
        )

    monkeypatch.setattr("users.views.membership_add", refuse)
    location = start(admin_client_portal, "nina@rodelente.example")
    response = admin_client_portal.post(
        location, details(controller, email="nina@rodelente.example")
    )
    assert response.status_code == HTTPStatus.OK
    content = response.content.decode()
    assert field_error(content, "role") == "Role refused."
    assert '<p class="mb-0">Address refused.</p>' in content
    assert '<p class="mb-0">Everything refused.</p>' in content
    assert 'value="Nina"' in content


# --- who may ------------------------------------------------------------------------------


def test_viewer_cannot_use_the_wizard(viewer_client, admin_client_portal, controller):
    state = state_of(start(admin_client_portal, "nina@rodelente.example"))
    assert viewer_client.get(ADD).status_code == HTTPStatus.FORBIDDEN
    assert viewer_client.post(ADD, {"email": "nina@rodelente.example"}).status_code == (
        HTTPStatus.FORBIDDEN
    )
    for url in [DETAILS, SUPPORT_DETAILS]:
        response = viewer_client.post(
            f"{url}?state={state}", details(controller, email="nina@rodelente.example")
        )
        assert response.status_code == HTTPStatus.FORBIDDEN
    assert not User.objects.filter(email="nina@rodelente.example").exists()

"""Edit (R15), delete (R16), resend the welcome e-mail, and a Viewer's hands off all of it."""

from __future__ import annotations

import re
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.models import Membership, User
from audit.models import AuditEvent
from audit.sentences import event_sentence
from outbox.models import OutgoingEmail
from tests.accounts.factories import PASSWORD, MembershipFactory, SupportMembershipFactory
from tests.conftest import logged_in
from tests.users.factories import JobFunctionFactory
from users.models import UserRemoval

LIST = reverse("users:list")
SUPPORT_LIST = reverse("users:support_list")


def edit_url(membership) -> str:
    return reverse("users:edit", kwargs={"pk": membership.pk})


def delete_url(membership) -> str:
    return reverse("users:delete", kwargs={"pk": membership.pk})


def resend_url(membership) -> str:
    return reverse("users:resend_welcome", kwargs={"pk": membership.pk})


def field_error(content: str, field: str) -> str:
    match = re.search(
        rf'<[^>]+id="error_1_id_{field}"[^>]*>\s*<strong>(.*?)</strong>', content, re.S
    )
    return match.group(1).strip() if match else ""


@pytest.fixture
def controller(db):
    return JobFunctionFactory(name_nl="Controller", name_en="Controller")


@pytest.fixture
def anne(viewer, organisation, controller):
    User.objects.filter(pk=viewer.pk).update(job_function=controller, phone="+31201234567")
    return Membership.objects.get(user=viewer, organisation=organisation)


@pytest.fixture
def ruud(admin, organisation):
    return Membership.objects.get(user=admin, organisation=organisation)


def edit_data(controller, **overrides) -> dict:
    data = {
        "first_name": "Anne",
        "last_name": "van Amersfoort",
        "email": "anne@rodelente.example",
        "role": "viewer",
        "job_function": controller.pk,
        "job_title": "",
        "phone": "020 123 4567",
        "mobile": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# --- edit ---------------------------------------------------------------------------------


def test_edit_page_is_prefilled(admin_client_portal, anne, controller):
    Membership.objects.filter(pk=anne.pk).update(security_contact=True)
    response = admin_client_portal.get(edit_url(anne))
    assert response.status_code == HTTPStatus.OK
    content = response.content.decode()
    assert "Anne van Amersfoort bewerken</h1>" in content
    assert 'value="Anne"' in content
    assert 'value="van Amersfoort"' in content
    # The address is a field of the edit page (R15, issue 17), not read-only.
    assert re.search(r'<input type="email" name="email" value="anne@rodelente.example"', content)
    assert "readonly" not in content
    assert '<option value="viewer" selected>Viewer</option>' in content
    assert f'<option value="{controller.pk}" selected>Controller</option>' in content
    assert 'value="020 123 4567"' in content
    assert re.search(r'name="security_contact"[^>]*checked', content)
    assert f'href="{LIST}">Annuleer</a>' in content


def test_edit_saves_details_and_role_live_on_the_next_request(
    admin_client_portal, anne, viewer, controller
):
    viewer_client = logged_in(viewer)
    assert "Voeg gebruiker toe" not in viewer_client.get(LIST).content.decode()
    response = admin_client_portal.post(
        edit_url(anne),
        edit_data(
            controller,
            last_name="van Amersfoort-Jansen",
            role="admin",
            mobile="+32 470 12 34 56",
            security_contact="on",
        ),
        follow=True,
    )
    assert response.redirect_chain == [(LIST, HTTPStatus.FOUND)]
    assert "De gegevens van Anne van Amersfoort-Jansen zijn opgeslagen." in (
        response.content.decode()
    )
    anne.refresh_from_db()
    viewer.refresh_from_db()
    assert anne.role == Membership.Role.ADMIN
    assert anne.security_contact is True
    assert viewer.last_name == "van Amersfoort-Jansen"
    assert viewer.mobile.as_e164 == "+32470123456"
    # the same session, next request: now an Admin
    assert "Voeg gebruiker toe" in viewer_client.get(LIST).content.decode()


def test_edit_a_support_user_has_no_role(admin_client_portal, support_user, controller):
    membership = Membership.objects.get(user=support_user)
    content = admin_client_portal.get(edit_url(membership)).content.decode()
    assert 'name="role"' not in content
    response = admin_client_portal.post(
        edit_url(membership),
        edit_data(controller, first_name="Sanne", last_name="de Vries-Bos", role=None),
    )
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == SUPPORT_LIST
    support_user.refresh_from_db()
    assert support_user.last_name == "de Vries-Bos"


def test_edit_refuses_demoting_the_last_admin(admin, ruud, controller):
    User.objects.filter(pk=admin.pk).update(language="en")
    response = logged_in(admin).post(
        edit_url(ruud),
        edit_data(controller, first_name="Ruud", last_name="Coon", role="viewer"),
    )
    assert response.status_code == HTTPStatus.OK
    assert field_error(response.content.decode(), "role") == (
        "Ruud Coon is the last Admin of Rode Lente. An organisation always keeps at least "
        "one Admin: make someone else Admin first."
    )
    ruud.refresh_from_db()
    assert ruud.role == Membership.Role.ADMIN


def test_edit_field_errors(admin_client_portal, anne, controller):
    response = admin_client_portal.post(edit_url(anne), edit_data(controller, first_name=""))
    assert field_error(response.content.decode(), "first_name") == "Dit veld is verplicht."


def test_edit_keeps_a_retired_function_on_its_holder(admin_client_portal, anne, viewer):
    retired = JobFunctionFactory(name_nl="Oud", name_en="Old", active=False)
    User.objects.filter(pk=viewer.pk).update(job_function=retired)
    content = admin_client_portal.get(edit_url(anne)).content.decode()
    assert f'<option value="{retired.pk}" selected>Oud</option>' in content
    response = admin_client_portal.post(edit_url(anne), edit_data(retired))
    assert response.status_code == HTTPStatus.FOUND


def test_edit_another_organisations_membership_is_404(
    admin_client_portal, other_organisation, second_organisation, controller
):
    foreign = MembershipFactory(organisation=other_organisation)
    # the Admin's own other organisation is not the active one: 404 as well
    sibling = MembershipFactory(organisation=second_organisation)
    for membership in (foreign, sibling):
        assert admin_client_portal.get(edit_url(membership)).status_code == HTTPStatus.NOT_FOUND
        response = admin_client_portal.post(edit_url(membership), edit_data(controller))
        assert response.status_code == HTTPStatus.NOT_FOUND
        assert admin_client_portal.get(delete_url(membership)).status_code == (HTTPStatus.NOT_FOUND)
    assert not UserRemoval.objects.exists()


# --- delete -------------------------------------------------------------------------------


def test_delete_page_is_the_guides_confirmation(admin_client_portal, anne):
    response = admin_client_portal.get(delete_url(anne))
    assert response.status_code == HTTPStatus.OK
    content = response.content.decode()
    assert "<title>Weet je het zeker? · Mijn organisatie</title>" in content
    assert '<h1 class="h3 mb-3">Weet je het zeker?</h1>' in content
    assert '<dd class="col-sm-8">Anne</dd>' in content
    assert '<dd class="col-sm-8">van Amersfoort</dd>' in content
    # The address breaks only at its @ (issue 17, section 3).
    assert (
        '<dd class="col-sm-8"><span class="email-address"><span class="email-part">anne@</span>'
        '<wbr><span class="email-part">rodelente.example</span></span></dd>'
    ) in content
    assert (
        "Verwijderen kan niet ongedaan worden gemaakt. Werkt de persoon niet meer voor jouw "
        "organisatie, dan verliest hij of zij ook een eventuele toegang tot Mijn support, en "
        "daarmee tot de eigen serviceaanvragen."
    ) in content
    assert re.search(r"Reden\s*<span class=\"asteriskField\">\*</span>", content)
    assert re.search(r'<textarea name="reason"[^>]*autofocus', content)
    assert "Deze persoon werkt niet meer voor onze organisatie" in content
    assert f'href="{LIST}">Annuleer</a>' in content
    assert '<button type="submit" class="btn btn-danger">Verwijderen</button>' in content


def test_delete_needs_a_reason(admin_client_portal, anne):
    response = admin_client_portal.post(delete_url(anne), {"reason": "  "})
    assert response.status_code == HTTPStatus.OK
    assert field_error(response.content.decode(), "reason") == "Dit veld is verplicht."
    assert Membership.objects.filter(pk=anne.pk).exists()
    assert not UserRemoval.objects.exists()


def test_delete_without_the_box_ends_this_access_only(
    admin, admin_client_portal, anne, viewer, second_organisation
):
    MembershipFactory(organisation=second_organisation, user=viewer)
    response = admin_client_portal.post(
        delete_url(anne), {"reason": "Anne heeft sinds 1 mei een andere functie."}, follow=True
    )
    assert response.redirect_chain == [(LIST, HTTPStatus.FOUND)]
    assert "Anne van Amersfoort heeft geen toegang meer tot Mijn organisatie." in (
        response.content.decode()
    )
    assert not Membership.objects.filter(pk=anne.pk).exists()
    viewer.refresh_from_db()
    assert viewer.is_active is True
    assert Membership.objects.filter(user=viewer, organisation=second_organisation).exists()
    removal = UserRemoval.objects.get()
    assert (removal.removed_by, removal.user, removal.deactivated) == (admin, viewer, False)
    assert removal.reason == "Anne heeft sinds 1 mei een andere functie."
    assert OutgoingEmail.objects.filter(to="csm@vendor.example").count() == 1


def test_delete_with_the_box_deactivates_the_contact(
    admin_client_portal, anne, viewer, second_organisation
):
    MembershipFactory(organisation=second_organisation, user=viewer)
    response = admin_client_portal.post(
        delete_url(anne), {"reason": "Uit dienst.", "deactivate": "on"}, follow=True
    )
    assert "Anne van Amersfoort is gedeactiveerd: alle toegang is beëindigd." in (
        response.content.decode()
    )
    viewer.refresh_from_db()
    assert viewer.is_active is False
    assert not Membership.objects.filter(user=viewer).exists()
    removal = UserRemoval.objects.get()
    assert (removal.deactivated, removal.reason) == (True, "Uit dienst.")


def test_delete_a_support_user_goes_back_to_the_support_tab(admin_client_portal, support_user):
    membership = Membership.objects.get(user=support_user)
    response = admin_client_portal.post(delete_url(membership), {"reason": "Geen support meer."})
    assert response["Location"] == SUPPORT_LIST
    assert not Membership.objects.filter(user=support_user).exists()


def test_delete_refuses_the_last_admin(admin, ruud):
    User.objects.filter(pk=admin.pk).update(language="en")
    response = logged_in(admin).post(delete_url(ruud), {"reason": "Weg."})
    assert response.status_code == HTTPStatus.OK
    assert (
        "Ruud Coon is the last Admin of Rode Lente. An organisation always keeps at least one "
        "Admin: make someone else Admin first."
    ) in response.content.decode()
    assert Membership.objects.filter(pk=ruud.pk).exists()
    assert not UserRemoval.objects.exists()


def test_admin_removing_their_own_access_goes_home(admin, admin_client_portal, ruud, organisation):
    MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN)
    response = admin_client_portal.post(delete_url(ruud), {"reason": "Ik stop hier."})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("portal:home")
    assert not Membership.objects.filter(pk=ruud.pk).exists()


# --- resend the welcome e-mail ---------------------------------------------------------------


@pytest.fixture
def waiting(organisation):
    membership = MembershipFactory(
        organisation=organisation,
        user__first_name="Wim",
        user__last_name="Wacht",
        user__email="wim@rodelente.example",
    )
    membership.user.set_unusable_password()
    membership.user.save()
    return membership


def test_resend_welcome_then_rate_limited(admin, waiting, time_machine):
    time_machine.move_to("2026-06-01 10:00:00+02:00", tick=False)
    User.objects.filter(pk=admin.pk).update(language="en")
    client = logged_in(admin)
    response = client.post(resend_url(waiting), follow=True)
    assert response.redirect_chain == [(LIST, HTTPStatus.FOUND)]
    assert "We have sent wim@rodelente.example a new welcome e-mail." in response.content.decode()
    assert OutgoingEmail.objects.filter(kind="welcome", to="wim@rodelente.example").count() == 1
    again = client.post(resend_url(waiting), follow=True)
    assert (
        "No welcome e-mail was sent to wim@rodelente.example: one was sent less than 10 "
        "minutes ago. It can be sent again from 10:10." in again.content.decode()
    )
    assert OutgoingEmail.objects.filter(kind="welcome", to="wim@rodelente.example").count() == 1


def test_resend_welcome_message_in_dutch(admin_client_portal, waiting):
    response = admin_client_portal.post(resend_url(waiting), follow=True)
    assert "We hebben wim@rodelente.example opnieuw een welkomstmail gestuurd." in (
        response.content.decode()
    )


def test_resend_to_an_activated_person_sends_nothing(admin_client_portal, anne):
    response = admin_client_portal.post(resend_url(anne), follow=True)
    assert (
        "Anne van Amersfoort heeft het account al geactiveerd; er is geen e-mail gestuurd."
        in response.content.decode()
    )
    assert not OutgoingEmail.objects.exists()


def test_resend_is_post_only(admin_client_portal, waiting):
    assert admin_client_portal.get(resend_url(waiting)).status_code == (
        HTTPStatus.METHOD_NOT_ALLOWED
    )
    assert not OutgoingEmail.objects.exists()


# --- a Viewer ------------------------------------------------------------------------------


def test_viewer_gets_403_on_every_mutation_and_nothing_is_stored(
    viewer_client, organisation, ruud, waiting, controller
):
    before = (
        list(Membership.objects.order_by("pk").values()),
        list(User.objects.order_by("pk").values()),
    )
    requests = [
        ("get", reverse("users:add"), {}),
        ("post", reverse("users:add"), {"email": "nina@rodelente.example"}),
        ("post", reverse("users:support_add"), {"email": "nina@rodelente.example"}),
        ("get", edit_url(ruud), {}),
        ("post", edit_url(ruud), edit_data(controller, role="viewer")),
        ("get", delete_url(ruud), {}),
        ("post", delete_url(ruud), {"reason": "Weg.", "deactivate": "on"}),
        ("post", delete_url(waiting), {"reason": "Weg."}),
        ("get", resend_url(waiting), {}),
        ("post", resend_url(waiting), {}),
    ]
    for method, url, data in requests:
        response = getattr(viewer_client, method)(url, data)
        assert response.status_code == HTTPStatus.FORBIDDEN, (method, url)
    after = (
        list(Membership.objects.order_by("pk").values()),
        list(User.objects.order_by("pk").values()),
    )
    assert after == before
    assert not UserRemoval.objects.exists()
    assert not OutgoingEmail.objects.exists()


def test_support_only_user_gets_403(support_user, organisation):
    client = logged_in(support_user)
    assert client.get(LIST).status_code == HTTPStatus.FORBIDDEN
    assert client.get(SUPPORT_LIST).status_code == HTTPStatus.FORBIDDEN
    other = SupportMembershipFactory(organisation=organisation)
    assert client.post(delete_url(other), {"reason": "x"}).status_code == HTTPStatus.FORBIDDEN


def test_the_support_delete_page_warns_about_service_requests(admin_client_portal, organisation):
    from tests.accounts.factories import SupportMembershipFactory

    support = SupportMembershipFactory(organisation=organisation)
    response = admin_client_portal.get(reverse("users:delete", kwargs={"pk": support.pk}))
    assert (
        "Verwijderen kan niet ongedaan worden gemaakt. Een verwijderde support gebruiker "
        "verliest toegang tot zijn/haar serviceaanvragen."
    ) in response.content.decode()


# --- changing the e-mail address (R15, issue 17) ----------------------------------------------


def test_the_edit_form_offers_the_email_address(admin_client_portal, anne):
    content = admin_client_portal.get(edit_url(anne)).content.decode()
    assert re.search(r'<input type="email" name="email" value="anne@rodelente.example"', content)
    assert "Het adres waarmee de persoon inlogt." in content
    assert "readonly" not in content
    assert 'id="id_language"' not in content  # Anne activated: her language is her own


def test_an_admin_changes_an_email_address(
    admin_client_portal, anne, viewer, controller, django_capture_on_commit_callbacks
):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=viewer, email=viewer.email, verified=True, primary=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_portal.post(
            edit_url(anne), edit_data(controller, email=" Anne.Bos@RodeLente.example "), follow=True
        )
    assert response.redirect_chain == [(LIST, HTTPStatus.FOUND)]
    assert (
        "De gegevens van Anne van Amersfoort zijn opgeslagen. Anne van Amersfoort logt nu in met "
        "anne.bos@rodelente.example; we hebben anne@rodelente.example en "
        "anne.bos@rodelente.example dat per e-mail laten weten."
    ) in response.content.decode()
    viewer.refresh_from_db()
    assert viewer.email == "anne.bos@rodelente.example"  # the canonical form
    assert not EmailAddress.objects.filter(user=viewer).exists()
    # Told at both addresses, in her language; the old one is named too.
    old = OutgoingEmail.objects.get(to="anne@rodelente.example")
    new = OutgoingEmail.objects.get(to="anne.bos@rodelente.example")
    assert old.subject == new.subject == "Je e-mailadres voor Mijn organisatie is gewijzigd"
    for mail in (old, new):
        assert "Ruud Coon heeft het e-mailadres gewijzigd waarmee je inlogt" in mail.body_text
        assert "Oud adres: anne@rodelente.example" in mail.body_text
        assert "Nieuw adres: anne.bos@rodelente.example" in mail.body_text
    # In the log, with before and after.
    event = AuditEvent.objects.get(action=AuditEvent.Action.CONTACT_EMAIL_CHANGED)
    assert (event.before, event.after) == (
        {"email": "anne@rodelente.example"},
        {"email": "anne.bos@rodelente.example"},
    )
    with translation.override("nl"):
        assert event_sentence(event) == (
            "Ruud Coon wijzigde het e-mailadres van Anne van Amersfoort "
            "(anne.bos@rodelente.example): e-mailadres anne@rodelente.example → "
            "anne.bos@rodelente.example"
        )
    # Login works with the new address only.
    login = reverse("account_login")
    assert (
        Client().post(login, {"login": "anne@rodelente.example", "password": PASSWORD}).status_code
        == HTTPStatus.OK
    )
    assert (
        Client()
        .post(login, {"login": "Anne.Bos@rodelente.example", "password": PASSWORD})
        .status_code
        == HTTPStatus.FOUND
    )


@pytest.mark.parametrize(
    ("email", "message"),
    [
        (
            "ruud@rodelente.example",
            "Een andere contactpersoon van jouw organisatie heeft dit e-mailadres al.",
        ),
        ("stranger@blauw.example", "Dit e-mailadres is niet beschikbaar."),
        ("staff@vendor.example", "Dit e-mailadres is niet beschikbaar."),
        ("geen-adres", "Voer een geldig e-mailadres in."),
        ("", "Dit veld is verplicht."),
    ],
)
def test_an_email_address_change_follows_step_1s_rules(
    admin_client_portal, anne, viewer, controller, other_organisation, staff, email, message
):
    MembershipFactory(organisation=other_organisation, user__email="stranger@blauw.example")
    response = admin_client_portal.post(
        edit_url(anne), edit_data(controller, email=email, last_name="Anders")
    )
    assert response.status_code == HTTPStatus.OK
    assert field_error(response.content.decode(), "email") == message
    viewer.refresh_from_db()
    assert (viewer.email, viewer.last_name) == ("anne@rodelente.example", "van Amersfoort")
    assert not OutgoingEmail.objects.exists()


def test_an_admin_cannot_change_the_address_of_someone_beyond_their_organisations(
    admin_client_portal, anne, viewer, controller, customer
):
    from tests.accounts.factories import OrganisationFactory

    elsewhere = OrganisationFactory(customer=customer, name="Rode Lente Holding")
    SupportMembershipFactory(organisation=elsewhere, user=viewer)
    response = admin_client_portal.post(
        edit_url(anne), edit_data(controller, email="anne.bos@rodelente.example")
    )
    assert field_error(response.content.decode(), "email") == (
        "Anne van Amersfoort heeft ook toegang tot een organisatie waarvan je geen Admin bent. "
        "Daarom kun je het e-mailadres niet wijzigen. Vraag ons om het te wijzigen."
    )
    viewer.refresh_from_db()
    assert viewer.email == "anne@rodelente.example"
    # the rest of the person can still be edited, with the address as it is
    response = admin_client_portal.post(edit_url(anne), edit_data(controller, last_name="Bos"))
    assert response.status_code == HTTPStatus.FOUND


def test_an_address_changes_at_most_once_in_ten_minutes(
    admin, anne, viewer, controller, time_machine
):
    time_machine.move_to("2026-11-16 10:00:30 +01:00", tick=False)
    client = logged_in(admin)
    assert (
        client.post(
            edit_url(anne), edit_data(controller, email="anne.bos@rodelente.example")
        ).status_code
        == HTTPStatus.FOUND
    )
    time_machine.move_to("2026-11-16 10:05 +01:00", tick=False)
    response = client.post(edit_url(anne), edit_data(controller, email="anne.b@rodelente.example"))
    assert field_error(response.content.decode(), "email") == (
        "Het e-mailadres van deze persoon is minder dan 10 minuten geleden gewijzigd. Het kan "
        "weer worden gewijzigd vanaf 10:11."
    )
    assert OutgoingEmail.objects.count() == 2
    time_machine.move_to("2026-11-16 10:11 +01:00", tick=False)
    assert (
        client.post(
            edit_url(anne), edit_data(controller, email="anne.b@rodelente.example")
        ).status_code
        == HTTPStatus.FOUND
    )
    viewer.refresh_from_db()
    assert viewer.email == "anne.b@rodelente.example"
    assert OutgoingEmail.objects.count() == 4


def test_a_typo_in_an_invitation_is_corrected(admin, organisation, controller, time_machine):
    """Added with a typo, corrected a minute later: the new address gets a new welcome mail
    (the old link stopped working), the typo'd one learns only that its link is void."""
    time_machine.move_to("2026-11-16 10:00 +01:00", tick=False)
    client = logged_in(admin)
    location = client.post(reverse("users:add"), {"email": "nina@rodelente.exmaple"})["Location"]
    client.post(
        location,
        {
            "first_name": "Nina",
            "last_name": "Nieuw",
            "email": "nina@rodelente.exmaple",  # step 1's, shown read-only
            "role": "viewer",
            "job_function": controller.pk,
            "language": "en",
        },
    )
    nina = Membership.objects.get(user__email="nina@rodelente.exmaple")
    old_welcome = OutgoingEmail.objects.get(kind="welcome")
    link = re.search(r"https?://[^/\s]+(/\S+)", old_welcome.body_text).group(1)
    time_machine.move_to("2026-11-16 10:01 +01:00", tick=False)
    content = client.get(edit_url(nina)).content.decode()
    assert (
        '<option value="en" selected>' in content
    )  # her invitation's language, still Admin's to set
    response = client.post(
        edit_url(nina),
        {
            "first_name": "Nina",
            "last_name": "Nieuw",
            "email": "nina@rodelente.example",
            "language": "en",
            "role": "viewer",
            "job_function": controller.pk,
        },
        follow=True,
    )
    assert (
        "De uitnodiging aan nina@rodelente.exmaple werkt niet meer; we hebben "
        "nina@rodelente.example een nieuwe welkomstmail gestuurd."
    ) in response.content.decode()
    welcome = OutgoingEmail.objects.get(kind="welcome", to="nina@rodelente.example")
    assert welcome.subject == "Welcome to Mijn organisatie: activate your account"
    void = OutgoingEmail.objects.get(kind="email_changed_old_address")
    assert void.to == "nina@rodelente.exmaple"
    assert "The link we sent to this address (nina@rodelente.exmaple) no longer works." in (
        void.body_text
    )
    assert "nina@rodelente.example" not in void.body_text  # a stranger's mailbox, maybe
    # The old link no longer works: the page that says so, not on to choosing a password.
    assert Client().get(link).status_code == HTTPStatus.OK


def test_the_language_of_an_invitation_can_be_changed_until_activation(
    admin_client_portal, waiting, controller, anne
):
    response = admin_client_portal.post(
        edit_url(waiting),
        edit_data(
            controller,
            first_name="Wim",
            last_name="Wacht",
            email="wim@rodelente.example",
            language="en",
        ),
    )
    assert response.status_code == HTTPStatus.FOUND
    waiting.user.refresh_from_db()
    assert waiting.user.language == "en"
    event = AuditEvent.objects.get(action=AuditEvent.Action.CONTACT_CHANGED)
    assert (event.before["language"], event.after["language"]) == ("nl", "en")
    # Anne activated: a language sent anyway is refused, nothing changes
    response = admin_client_portal.post(edit_url(anne), edit_data(controller, language="en"))
    assert response.status_code == HTTPStatus.FOUND  # the form has no such field: ignored
    assert User.objects.get(pk=anne.user_id).language == "nl"

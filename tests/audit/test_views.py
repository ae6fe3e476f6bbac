"""*Activiteit*: the active organisation's log for its Admins, filtered, searched and paged."""

from __future__ import annotations

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from tests.audit.factories import AuditEventFactory
from tests.conftest import logged_in
from tests.html_rows import table_rows

pytestmark = pytest.mark.django_db

LIST = reverse("audit:list")
Action = AuditEvent.Action


def event_rows(response) -> list[list[str]]:
    """The events the page shows, top to bottom, as [when, who, what]."""
    return table_rows(response.content.decode(), "event-row")


def sentences(response) -> list[str]:
    """The *What* column, top to bottom."""
    return [what for _when, _who, what in event_rows(response)]


def test_the_url():
    assert LIST == "/organisation/activity/"


def test_admin_sees_the_organisations_events_newest_first(admin_client_portal, admin, organisation):
    now = timezone.now()
    AuditEventFactory(organisation=organisation, actor=admin, created_at=now - timedelta(1))
    AuditEventFactory(
        organisation=organisation,
        actor=admin,
        before={"city": "Amsterdam"},
        after={"city": "Utrecht"},
        created_at=now,
    )
    response = admin_client_portal.get(LIST)
    assert response.status_code == HTTPStatus.OK
    assert [row[1:] for row in event_rows(response)] == [
        ["Ruud Coon", "Ruud Coon wijzigde het factuuradres: plaats Amsterdam → Utrecht"],
        ["Ruud Coon", "Ruud Coon wijzigde het factuuradres: postcode 1234 AB → 1017 AB"],
    ]
    assert '<h1 class="h3 mb-2">Activiteit</h1>' in response.content.decode()


def test_the_page_speaks_english_for_an_english_user(admin, organisation):
    admin.language = "en"
    admin.save()
    AuditEventFactory(organisation=organisation, actor=admin)
    client = logged_in(admin)
    client.cookies["django_language"] = "en"
    response = client.get(LIST)
    assert '<h1 class="h3 mb-2">Activity</h1>' in response.content.decode()
    assert sentences(response) == [
        "Ruud Coon changed the billing address: postcode 1234 AB → 1017 AB"
    ]


def test_viewer_and_support_are_refused(viewer_client, support_user):
    assert viewer_client.get(LIST).status_code == HTTPStatus.FORBIDDEN
    assert viewer_client.post(LIST).status_code == HTTPStatus.FORBIDDEN
    assert logged_in(support_user).get(LIST).status_code == HTTPStatus.FORBIDDEN


def test_anonymous_is_sent_to_login(client):
    response = client.get(LIST)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("account_login"))


def test_admin_post_is_not_allowed(admin_client_portal):
    assert admin_client_portal.post(LIST).status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_navigation_shows_activity_to_admins_only(admin_client_portal, viewer_client):
    home = reverse("portal:organisation_home")
    assert f'href="{LIST}">Activiteit</a>' in admin_client_portal.get(home).content.decode()
    assert LIST not in viewer_client.get(home).content.decode()


def test_no_ip_address_or_user_agent_on_the_page(admin_client_portal, admin, organisation):
    AuditEventFactory(
        organisation=organisation, actor=admin, ip_address="203.0.113.77", user_agent="SecretUA/1"
    )
    content = admin_client_portal.get(LIST).content.decode()
    assert "203.0.113.77" not in content
    assert "SecretUA" not in content


def test_other_organisations_and_personal_events_never_show(
    admin_client_portal, admin, organisation, second_organisation, other_organisation
):
    AuditEventFactory(organisation=organisation, actor=admin)
    # Told apart from the one above by their new postcodes, the only difference a reader sees.
    AuditEventFactory(
        organisation=second_organisation,
        actor=admin,
        target_label="Services",
        after={"postcode": "2000 AA"},
    )
    AuditEventFactory(
        organisation=other_organisation,
        target_label="Blauwe Herfst",
        after={"postcode": "3000 BB"},
    )
    AuditEvent.objects.create(  # a login: no organisation, staff only
        action=Action.LOGIN_SUCCEEDED, actor=admin, customer=organisation.customer
    )
    response = admin_client_portal.get(LIST)
    assert sentences(response) == [
        "Ruud Coon wijzigde het factuuradres: postcode 1234 AB → 1017 AB"
    ]
    assert "Blauwe Herfst" not in response.content.decode()
    # Filters cannot reach them either: an actor id from elsewhere is ignored, not obeyed.
    stranger = AuditEventFactory(organisation=other_organisation, actor=admin).actor_id
    response = admin_client_portal.get(LIST, {"actor": stranger, "q": "Herfst"})
    assert event_rows(response) == []
    assert "Geen activiteit voldoet aan deze zoekopdracht of filters." in response.content.decode()


def test_the_other_organisation_after_switching(admin_client_portal, admin, second_organisation):
    AuditEventFactory(organisation=second_organisation, actor=admin, target_label="Services")
    admin_client_portal.post(
        reverse("portal:switch_organisation"), {"organisation": second_organisation.pk}
    )
    response = admin_client_portal.get(LIST)
    # the switch itself is recorded in the organisation chosen
    assert sentences(response) == [
        "Ruud Coon koos organisatie Rode Lente Services",
        "Ruud Coon wijzigde het factuuradres: postcode 1234 AB → 1017 AB",
    ]


@pytest.fixture
def three_events(admin, viewer, organisation):
    """Ruud's address change (postcode 1234 AB → 1017 AB) and grant to Bert; Anne's switch."""
    AuditEventFactory(organisation=organisation, actor=admin)
    AuditEventFactory(
        organisation=organisation,
        actor=admin,
        action=Action.ACCESS_GRANTED,
        target_label="Bert Bos (bert@rodelente.example)",
        before={},
        after={"role": "viewer"},
    )
    AuditEventFactory(
        organisation=organisation,
        actor=viewer,
        action=Action.ORGANISATION_SWITCHED,
        target_label="Rode Lente",
        before={},
        after={},
    )


def test_filter_by_action_and_by_person(admin_client_portal, admin, viewer, three_events):
    response = admin_client_portal.get(LIST)
    form = response.context["form"]
    assert [value for value, _label in form.fields["action"].choices] == [
        "",
        Action.BILLING_ADDRESS_CHANGED,
        Action.ACCESS_GRANTED,
        Action.ORGANISATION_SWITCHED,
    ]
    assert [label for _value, label in form.fields["actor"].choices] == [
        "Iedereen",
        "Anne van Amersfoort (anne@rodelente.example)",
        "Ruud Coon (ruud@rodelente.example)",
    ]

    response = admin_client_portal.get(LIST, {"action": Action.ACCESS_GRANTED})
    assert sentences(response) == [
        "Ruud Coon gaf Bert Bos (bert@rodelente.example) toegang: rol Viewer"
    ]
    response = admin_client_portal.get(LIST, {"actor": viewer.pk})
    assert sentences(response) == ["Anne van Amersfoort koos organisatie Rode Lente"]
    response = admin_client_portal.get(
        LIST, {"actor": admin.pk, "action": Action.BILLING_ADDRESS_CHANGED}
    )
    assert sentences(response) == [
        "Ruud Coon wijzigde het factuuradres: postcode 1234 AB → 1017 AB"
    ]
    # an unknown action is ignored (everything shows), not an error
    response = admin_client_portal.get(LIST, {"action": "nonsense"})
    assert len(event_rows(response)) == 3


def test_search_over_actor_target_and_values(admin_client_portal, three_events):

    def found(query):
        return sentences(admin_client_portal.get(LIST, {"q": query}))

    assert found("bert@RODELENTE") == [
        "Ruud Coon gaf Bert Bos (bert@rodelente.example) toegang: rol Viewer"
    ]
    assert found("amersfoort") == ["Anne van Amersfoort koos organisatie Rode Lente"]
    assert found("anne@rodelente") == ["Anne van Amersfoort koos organisatie Rode Lente"]
    assert found("1017 ab") == ["Ruud Coon wijzigde het factuuradres: postcode 1234 AB → 1017 AB"]
    assert found("nothing like this") == []
    response = admin_client_portal.get(LIST, {"q": "nothing like this"})
    assert "Geen activiteit voldoet aan deze zoekopdracht of filters." in response.content.decode()


def test_empty_log_says_so(admin_client_portal):
    content = admin_client_portal.get(LIST).content.decode()
    assert "Nog geen activiteit." in content


def test_fifty_a_page(admin_client_portal, admin, organisation):
    now = timezone.now()
    AuditEvent.objects.bulk_create(
        AuditEvent(
            organisation=organisation,
            customer=organisation.customer,
            actor=admin,
            actor_name="Ruud Coon",
            action=Action.BILLING_ADDRESS_CHANGED,
            before={"city": f"Stad {n}"},
            after={"city": f"Stad {n + 1}"},
            created_at=now - timedelta(minutes=n),
        )
        for n in range(120)
    )
    first = admin_client_portal.get(LIST)
    assert len(sentences(first)) == 50
    assert "120 gebeurtenissen" in first.content.decode()
    assert sentences(first)[0].endswith("plaats Stad 0 → Stad 1")
    third = admin_client_portal.get(LIST, {"page": 3})
    assert len(sentences(third)) == 20
    assert sentences(third)[-1].endswith("plaats Stad 119 → Stad 120")
    assert 'aria-current="page">3</span>' in third.content.decode()


@pytest.mark.parametrize("count", [5, 5000])
def test_a_fixed_number_of_queries(
    admin_client_portal, admin, viewer, organisation, django_assert_num_queries, count
):
    now = timezone.now()
    people = [admin, viewer]
    AuditEvent.objects.bulk_create(
        AuditEvent(
            organisation=organisation,
            customer=organisation.customer,
            actor=people[n % 2],
            actor_name=people[n % 2].get_full_name(),
            actor_email=people[n % 2].email,
            action=Action.values[n % 8],
            target_label="Bert Bos (bert@rodelente.example)",
            before={"role": "viewer", "phone": "+31201234567"},
            after={"role": "admin", "phone": "+31201234568"},
            created_at=now - timedelta(seconds=n),
        )
        for n in range(count)
    )
    admin_client_portal.get(LIST)  # the first request stores the active organisation
    # session, user with memberships, actions present, people, count, page: for 5 and 5,000
    with django_assert_num_queries(6):
        response = admin_client_portal.get(LIST, {"q": "bert", "page": 2})
    assert response.status_code == HTTPStatus.OK
    # page 2 of 5 events is out of range: the last page shows
    assert len(event_rows(response)) == min(count, 50)


def test_search_finds_accented_values(admin_client_portal, admin, organisation):
    AuditEventFactory(
        organisation=organisation,
        actor=admin,
        before={"attention": "Afdeling Financiën"},
        after={"attention": "Crediteuren"},
    )
    found = sentences(admin_client_portal.get(LIST, {"q": "financiën"}))
    assert found == [
        "Ruud Coon wijzigde het factuuradres: t.a.v.-regel Afdeling Financiën → Crediteuren"
    ]

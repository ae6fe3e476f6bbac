"""Staff read every event in admin; nobody adds, edits or deletes one there."""

from __future__ import annotations

import datetime as dt
import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from tests.audit.factories import AuditEventFactory
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:audit_auditevent_changelist")


@pytest.fixture
def events(admin, organisation, other_organisation):
    return [
        AuditEventFactory(organisation=organisation, actor=admin, ip_address="203.0.113.7"),
        AuditEventFactory(organisation=other_organisation, target_label="Blauwe Herfst, Gouda"),
        AuditEvent.objects.create(
            action=AuditEvent.Action.LOGIN_FAILED,
            customer=organisation.customer,
            target_label="Anne van Amersfoort (anne@rodelente.example)",
        ),
    ]


def test_staff_see_all_events_with_ip_address_and_the_sentence(staff, events):
    response = logged_in(staff).get(CHANGELIST)
    assert response.status_code == HTTPStatus.OK
    assert response.context["cl"].result_count == 3
    content = response.content.decode()
    assert "203.0.113.7" in content
    assert "Blauwe Herfst, Gouda" in content
    detail = logged_in(staff).get(reverse("admin:audit_auditevent_change", args=[events[0].pk]))
    assert detail.status_code == HTTPStatus.OK
    assert "Ruud Coon wijzigde het factuuradres: postcode 1234 AB → 1017 AB" in (
        detail.content.decode()
    )


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ({"action__exact": AuditEvent.Action.LOGIN_FAILED}, 1),
        ({"customer__id__exact": "CUSTOMER"}, 2),
        ({"organisation__id__exact": "ORGANISATION"}, 1),
        ({"q": "anne@rodelente"}, 1),
        ({"q": "ruud@rodelente"}, 1),
    ],
)
def test_filters_and_search(staff, events, organisation, query, count):
    ids = {"CUSTOMER": organisation.customer_id, "ORGANISATION": organisation.pk}
    query = {key: ids.get(value, value) for key, value in query.items()}
    response = logged_in(staff).get(CHANGELIST, query)
    assert response.status_code == HTTPStatus.OK
    assert response.context["cl"].result_count == count


def test_the_date_hierarchy_drills_down(staff, events):
    event = events[0]
    response = logged_in(staff).get(
        CHANGELIST,
        {"created_at__year": event.created_at.year, "created_at__month": event.created_at.month},
    )
    assert response.status_code == HTTPStatus.OK


def test_read_only_no_add_no_change_no_delete(staff, events):
    client = logged_in(staff)
    event = events[0]
    assert client.get(reverse("admin:audit_auditevent_add")).status_code == HTTPStatus.FORBIDDEN
    change_url = reverse("admin:audit_auditevent_change", args=[event.pk])
    page = client.get(change_url)
    assert page.status_code == HTTPStatus.OK
    assert 'name="_save"' not in page.content.decode()
    response = client.post(change_url, {"target_label": "tampered", "action": "login.failed"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    delete_url = reverse("admin:audit_auditevent_delete", args=[event.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == HTTPStatus.FORBIDDEN
    response = client.post(
        CHANGELIST, {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"}
    )
    event.refresh_from_db()
    assert event.target_label == "Rode Lente, Amsterdam"
    assert AuditEvent.objects.count() == 3


# --- an event's own page: local time, the sentence, readable values (issue 17, item 7) -------


@pytest.fixture
def removal(admin, organisation):
    """An access removal recorded at 12:00 UTC on 7 December 2026, 13:00 in Amsterdam."""
    return AuditEventFactory(
        organisation=organisation,
        actor=admin,
        action=AuditEvent.Action.ACCESS_REMOVED,
        created_at=dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC),
        target_type="membership",
        target_label="Anne van Amersfoort (anne@rodelente.example)",
        before={
            "kind": "organisation",
            "role": "viewer",
            "phone": "+3225010211",
            "security_contact": True,
        },
        after={"reason": "Werkt hier niet meer", "deactivated": False},
    )


def test_the_event_page_is_titled_with_local_time_and_the_sentence(staff, removal):
    html = logged_in(staff).get(reverse("admin:audit_auditevent_change", args=[removal.pk]))
    html = html.content.decode()
    title = "7 december 2026 13:00 · Ruud Coon verwijderde de toegang van Anne van Amersfoort"
    assert re.search(rf"<title>{title}[^<]*\|", html)
    assert re.search(rf"<h2>{title}", html)
    # The breadcrumb (the event's name everywhere in admin): local time and the action.
    assert "7 december 2026 13:00 · Toegang verwijderd</li>" in html
    assert "12:00" not in html
    assert "access.removed" not in html


def test_before_and_after_are_a_readable_field_list(staff, removal):
    html = logged_in(staff).get(reverse("admin:audit_auditevent_change", args=[removal.pk]))
    html = " ".join(html.content.decode().split())
    for label, value in [
        ("Soort toegang", "Mijn organisatie"),
        ("Rol", "Viewer"),
        ("Telefoonnummer", "+32 2 501 02 11"),
        ("Contactpersoon security/privacy", "Ja"),
        ("Reden", "Werkt hier niet meer"),
    ]:
        assert f'<tr><th scope="row">{label}</th><td>{value}</td></tr>' in html, label
    assert '{"kind"' not in html
    assert "&quot;kind&quot;" not in html


def test_an_event_without_values_shows_the_empty_mark(staff, organisation):
    event = AuditEventFactory(
        organisation=organisation,
        action=AuditEvent.Action.LOGIN_SUCCEEDED,
        before={},
        after={},
    )
    html = logged_in(staff).get(reverse("admin:audit_auditevent_change", args=[event.pk]))
    assert '<div class="readonly">-</div>' in html.content.decode()


def test_the_events_name_is_local_time_and_the_action(removal):
    assert str(removal) == "7 december 2026 13:00 · Toegang verwijderd"

"""Staff read every event in admin; nobody adds, edits or deletes one there."""

from __future__ import annotations

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

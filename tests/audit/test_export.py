"""*Activiteit* as CSV (issue 17): every event of the current filter, for auditors, Admins only,
streamed in a fixed number of queries whatever the log's size."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from tests.audit.factories import AuditEventFactory
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db

EXPORT = reverse("audit:export_csv")
LIST = reverse("audit:list")
Action = AuditEvent.Action


def read(response) -> list[list[str]]:
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body.removeprefix("\ufeff")), delimiter=";"))


@pytest.fixture
def events(admin, viewer, organisation, other_organisation):
    moment = datetime(2026, 3, 4, 23, 30, 15, tzinfo=UTC)  # 5 March 00:30 in Amsterdam
    AuditEventFactory(organisation=organisation, actor=admin, created_at=moment)
    AuditEventFactory(
        organisation=organisation,
        actor=admin,
        action=Action.ACCESS_GRANTED,
        target_label="Bert Bos (bert@rodelente.example)",
        before={},
        after={"role": "viewer"},
        created_at=moment + timedelta(hours=1),
    )
    AuditEventFactory(
        organisation=organisation,
        actor=viewer,
        action=Action.ORGANISATION_SWITCHED,
        target_label="Rode Lente",
        before={},
        after={},
        created_at=moment + timedelta(hours=2),
    )
    # Not this organisation's: never in its file.
    AuditEventFactory(organisation=other_organisation, actor=None, created_at=moment)


def test_the_whole_log_as_the_page_tells_it(admin_client_portal, events):
    response = admin_client_portal.get(EXPORT)
    assert re.match(
        r'attachment; filename="activiteit-\d+-\d{4}-\d{2}-\d{2}\.csv"',
        response["Content-Disposition"],
    )
    assert read(response) == [
        ["Datum", "Tijd", "Wie", "E-mail", "Activiteit", "Wat"],
        [
            "2026-03-05",
            "02:30:15",
            "Anne van Amersfoort",
            "anne@rodelente.example",
            "Andere organisatie gekozen",
            "Anne van Amersfoort koos organisatie Rode Lente",
        ],
        [
            "2026-03-05",
            "01:30:15",
            "Ruud Coon",
            "ruud@rodelente.example",
            "Toegang gegeven",
            "Ruud Coon gaf Bert Bos (bert@rodelente.example) toegang: rol Viewer",
        ],
        [
            "2026-03-05",
            "00:30:15",
            "Ruud Coon",
            "ruud@rodelente.example",
            "Factuuradres gewijzigd",
            "Ruud Coon wijzigde het factuuradres: postcode 1234 AB → 1017 AB",
        ],
    ]


def test_the_current_filter_and_search(admin_client_portal, admin, viewer, events):
    rows = read(admin_client_portal.get(EXPORT, {"actor": admin.pk, "q": "bert", "page": 7}))
    assert [row[5] for row in rows[1:]] == [
        "Ruud Coon gaf Bert Bos (bert@rodelente.example) toegang: rol Viewer"
    ]
    rows = read(admin_client_portal.get(EXPORT, {"action": Action.ORGANISATION_SWITCHED}))
    assert [row[2] for row in rows[1:]] == ["Anne van Amersfoort"]
    rows = read(admin_client_portal.get(EXPORT, {"action": "nonsense"}))  # ignored, as the page
    assert len(rows) == 4


def test_in_english_for_an_english_admin(admin, events):
    admin.language = "en"
    admin.save(update_fields=["language"])
    response = logged_in(admin).get(EXPORT)
    assert response["Content-Disposition"].startswith('attachment; filename="activity-')
    rows = read(response)
    assert rows[0] == ["Date", "Time", "Who", "E-mail", "Activity", "What"]
    assert rows[1][4:] == [
        "Organisation switched",
        "Anne van Amersfoort switched to organisation Rode Lente",
    ]


def test_the_page_links_to_the_file_of_its_filter(admin_client_portal, admin, events):
    content = admin_client_portal.get(LIST, {"actor": admin.pk, "page": 1}).content.decode()
    assert f'href="{EXPORT}?actor={admin.pk}">Activiteit exporteren (CSV)</a>' in content


def test_viewers_and_support_get_no_file(viewer_client, support_user, events):
    assert viewer_client.get(EXPORT).status_code == HTTPStatus.FORBIDDEN
    assert logged_in(support_user).get(EXPORT).status_code == HTTPStatus.FORBIDDEN


def test_every_event_not_only_a_page(admin_client_portal, admin, organisation):
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
        for n in range(1234)
    )
    rows = read(admin_client_portal.get(EXPORT))
    assert len(rows) == 1 + 1234
    assert rows[1][5].endswith("plaats Stad 0 → Stad 1")
    assert rows[-1][5].endswith("plaats Stad 1233 → Stad 1234")


@pytest.mark.parametrize("count", [5, 3000])
def test_a_fixed_number_of_queries(
    admin_client_portal, admin, organisation, django_assert_num_queries, count
):
    now = timezone.now()
    AuditEvent.objects.bulk_create(
        AuditEvent(
            organisation=organisation,
            customer=organisation.customer,
            actor=admin,
            actor_name="Ruud Coon",
            action=Action.ACCESS_CHANGED,
            target_label="Bert Bos (bert@rodelente.example)",
            before={"role": "viewer"},
            after={"role": "admin"},
            created_at=now - timedelta(seconds=n),
        )
        for n in range(count)
    )
    admin_client_portal.get(LIST)  # the first request stores the active organisation
    # session, user with memberships, actions present, people, and the events: one query,
    # read in chunks while the file streams (a server-side cursor on PostgreSQL), so counted
    # until the last row is written.
    with django_assert_num_queries(5):
        response = admin_client_portal.get(EXPORT, {"q": "bert"})
        rows = read(response)
    assert len(rows) == 1 + count

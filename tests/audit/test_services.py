"""audit_record: the one way into the log, and the pruning of old events."""

from __future__ import annotations

import ast
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_event_prune, audit_own_account, audit_record
from tests.audit.factories import AuditEventFactory

pytestmark = pytest.mark.django_db


def test_unknown_action_is_refused(admin, organisation):
    with pytest.raises(ValueError, match="Unknown audit action"):
        audit_record(action="billing_address.deleted", actor=admin, organisation=organisation)
    assert not AuditEvent.objects.exists()


def test_actor_name_email_and_customer_are_copied(admin, organisation):
    event = audit_record(
        action=AuditEvent.Action.BILLING_ADDRESS_CHANGED,
        actor=admin,
        organisation=organisation,
        before={"postcode": "1234 AB"},
        after={"postcode": "1017 AB"},
    )
    event.refresh_from_db()
    assert (event.actor_id, event.actor_name, event.actor_email) == (
        admin.pk,
        "Ruud Coon",
        "ruud@rodelente.example",
    )
    assert event.customer_id == organisation.customer_id
    assert event.organisation_id == organisation.pk
    assert (event.before, event.after) == ({"postcode": "1234 AB"}, {"postcode": "1017 AB"})


def test_the_copied_actor_outlives_the_account(admin, organisation):
    event = audit_record(
        action=AuditEvent.Action.ACCESS_GRANTED, actor=admin, organisation=organisation
    )
    admin.memberships.all().delete()
    admin.delete()
    event.refresh_from_db()
    assert event.actor_id is None
    assert event.actor_name == "Ruud Coon"


def test_target_fills_type_id_and_label(admin, organisation, viewer):
    membership = viewer.memberships.get()
    event = audit_record(
        action=AuditEvent.Action.ACCESS_CHANGED,
        actor=admin,
        organisation=organisation,
        target=membership,
        target_label="Anne van Amersfoort (anne@rodelente.example)",
    )
    assert (event.target_type, event.target_id) == ("membership", str(membership.pk))
    assert event.target_label == "Anne van Amersfoort (anne@rodelente.example)"


def test_ip_address_and_user_agent_come_from_the_request(admin, organisation):
    request = RequestFactory().post(
        "/", REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Mozilla/5.0 " + "x" * 400
    )
    event = audit_record(
        action=AuditEvent.Action.BILLING_ADDRESS_CHANGED,
        actor=admin,
        organisation=organisation,
        request=request,
    )
    event.refresh_from_db()
    assert event.ip_address == "203.0.113.9"
    assert event.user_agent.startswith("Mozilla/5.0 x")
    assert len(event.user_agent) == 300


def test_without_organisation_the_customer_is_given_or_the_actors(viewer, customer, staff):
    failed = audit_record(action=AuditEvent.Action.LOGIN_FAILED, customer=customer)
    login = audit_record(action=AuditEvent.Action.LOGIN_SUCCEEDED, actor=viewer)
    staff_login = audit_record(action=AuditEvent.Action.LOGIN_SUCCEEDED, actor=staff)
    assert (failed.customer_id, failed.organisation_id) == (customer.pk, None)
    assert login.customer_id == customer.pk
    assert staff_login.customer_id is None


def test_prune_deletes_only_events_older_than_the_period(organisation):
    now = timezone.now()
    old = AuditEventFactory.create_batch(5, organisation=organisation)
    AuditEvent.objects.filter(pk__in=[e.pk for e in old]).update(
        created_at=now - timedelta(days=31)
    )
    kept = AuditEventFactory(organisation=organisation)
    AuditEvent.objects.filter(pk=kept.pk).update(created_at=now - timedelta(days=29))
    assert audit_event_prune(older_than_days=30, dry_run=True) == 5
    assert AuditEvent.objects.count() == 6
    assert audit_event_prune(older_than_days=30, batch_size=2) == 5  # three batches
    assert list(AuditEvent.objects.values_list("pk", flat=True)) == [kept.pk]


def test_prune_refuses_a_period_below_one_day():
    with pytest.raises(ValueError, match="at least one day"):
        audit_event_prune(older_than_days=0)


def test_an_event_on_ones_own_account_names_the_person_as_actor_and_target(viewer):
    request = RequestFactory().get("/", HTTP_USER_AGENT="Test/1.0", REMOTE_ADDR="198.51.100.9")
    event = audit_own_account(
        action=AuditEvent.Action.PASSWORD_CHANGED, user=viewer, request=request, after={"via": "x"}
    )
    event.refresh_from_db()
    assert (event.actor, event.actor_email) == (viewer, "anne@rodelente.example")
    assert (event.target_type, event.target_id) == ("user", str(viewer.pk))
    assert event.target_label == "Anne van Amersfoort (anne@rodelente.example)"
    assert (event.organisation_id, event.customer_id) == (None, viewer.customer_id)
    assert event.after == {"via": "x"}
    assert (event.ip_address, event.user_agent) == ("198.51.100.9", "Test/1.0")


def test_events_on_ones_own_account_are_written_by_the_one_helper():
    """A person acting on their own account (a login, a password, two-factor login) is
    recorded by ``audit_own_account`` only: no other app code passes one person as both the
    actor and the target of ``audit_record``."""
    root = Path(__file__).parents[2]
    callers = []
    for path in sorted(root.glob("*/**/*.py")):
        relative = path.relative_to(root)
        if relative.parts[0] in {".venv", "tests"} or "migrations" in relative.parts:
            continue
        for function in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if not isinstance(node, ast.Call):
                    continue
                name = getattr(node.func, "id", getattr(node.func, "attr", None))
                keywords = {k.arg: ast.unparse(k.value) for k in node.keywords}
                actor, target = keywords.get("actor"), keywords.get("target")
                if name == "audit_record" and actor is not None and actor == target:
                    callers.append(f"{relative}::{function.name}")
    assert sorted(set(callers)) == ["audit/services.py::audit_own_account"]

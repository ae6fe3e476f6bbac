"""Migration accounts/0010 fills ``inactive_reason`` for the contacts who were inactive before it.

Why an existing contact was made inactive was never stored, so the migration takes the safe
side, a staff block (only staff lift it), unless the records show a deactivation through a
removal (R16): the person's latest removal deactivated them, no access is left, and staff did
not block them after it (a ``contact.deactivated`` event without organisation is a block).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("accounts", "0009_organisation_debtor_number_charset")]
AFTER = [("accounts", "0010_user_inactive_reason")]


def _migrate(targets):
    """Migrates to ``targets`` and returns the models as they are there, the other apps'
    models as they are now."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    apps_named = {app for app, _name in targets}
    others = [node for node in executor.loader.graph.leaf_nodes() if node[0] not in apps_named]
    return executor.loader.project_state([*targets, *others]).apps


@pytest.fixture
def old_apps():
    yield _migrate(BEFORE)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_existing_inactive_contacts_get_the_safe_reason(old_apps):
    customer = old_apps.get_model("accounts", "Customer").objects.create(
        name="Rode Lente", csm_email="csm@vendor.example"
    )
    organisation = old_apps.get_model("accounts", "Organisation").objects.create(
        customer=customer, name="Rode Lente", debtor_number="200001"
    )
    user_model = old_apps.get_model("accounts", "User")
    removal_model = old_apps.get_model("users", "UserRemoval")
    membership_model = old_apps.get_model("accounts", "Membership")
    event_model = old_apps.get_model("audit", "AuditEvent")
    now = timezone.now()

    def person(name: str, *, active: bool = False):
        return user_model.objects.create(
            email=f"{name}@rodelente.example", customer=customer, is_active=active, password="!"
        )

    def removal(user, *, deactivated: bool, minutes_ago: int):
        return removal_model.objects.create(
            user=user,
            user_email=user.email,
            customer=customer,
            organisation=organisation,
            kind="organisation",
            role="viewer",
            reason="Weg",
            deactivated=deactivated,
            removed_at=now - timedelta(minutes=minutes_ago),
        )

    active = person("actief", active=True)
    unknown = person("onbekend")  # inactive, no record: the safe side
    left = person("vertrokken")  # R16 with the box
    removal(left, deactivated=True, minutes_ago=5)
    issue = person("issue")  # blocked by staff, then Remove access without the box
    removal(issue, deactivated=False, minutes_ago=5)
    earlier = person("eerder")  # deactivated long ago, but the latest removal kept the login
    removal(earlier, deactivated=True, minutes_ago=60)
    removal(earlier, deactivated=False, minutes_ago=5)
    kept = person("toegang")  # access left: only a block keeps access
    removal(kept, deactivated=True, minutes_ago=60)
    membership_model.objects.create(
        user=kept, organisation=organisation, kind="organisation", role="viewer"
    )
    blocked_after = person("geblokkeerd")  # R16, back, then a staff block (no organisation)
    removal(blocked_after, deactivated=True, minutes_ago=60)
    event_model.objects.create(
        action="contact.deactivated",
        customer=customer,
        target_type="user",
        target_id=str(blocked_after.pk),
        created_at=now - timedelta(minutes=5),
    )
    portal_event = person("portaal")  # R16's own event names the organisation: no block
    removal(portal_event, deactivated=True, minutes_ago=5)
    event_model.objects.create(
        action="contact.deactivated",
        customer=customer,
        organisation=organisation,
        target_type="user",
        target_id=str(portal_event.pk),
        created_at=now - timedelta(minutes=5),
    )

    new_apps = _migrate(AFTER)
    reasons = dict(
        new_apps.get_model("accounts", "User").objects.values_list("email", "inactive_reason")
    )
    assert reasons == {
        active.email: None,
        unknown.email: "blocked",
        left.email: "deactivated",
        issue.email: "blocked",
        earlier.email: "blocked",
        kept.email: "blocked",
        blocked_after.email: "blocked",
        portal_event.email: "deactivated",
    }

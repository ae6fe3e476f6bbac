from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import translation

from accounts.models import Organisation
from audit.models import AuditEvent
from audit.selectors import audit_event_list
from audit.sentences import event_sentence

pytestmark = pytest.mark.django_db


def test_demo_history_is_written_once(capsys):
    call_command("seed_demo", force=True)
    rode_lente = Organisation.objects.get(debtor_number="100001")
    with translation.override("nl"):
        events = list(audit_event_list(organisation=rode_lente))
        sentences = [
            event_sentence(e)
            for e in events
            if e.action != AuditEvent.Action.BILLING_ADDRESS_CHANGED
        ]
        # The billing-address demo writes its own history (billing_address.demo).
        assert any(
            event_sentence(e).startswith("Ruud Coon wijzigde het factuuradres: ") for e in events
        )
    anne = "Anne van Amersfoort (anne.vanamersfoort@example.com)"
    assert sentences[-4:] == [
        f"Ruud Coon wijzigde de gegevens van {anne}: functie visitekaart (leeg) → Senior "
        "controller, telefoonnummer (leeg) → 020 123 4568",
        f"Ruud Coon wijzigde de toegang van {anne}: soort toegang Mijn organisatie, "
        "rol Admin → Viewer",
        f"Ruud Coon stuurde de welkomstmail naar {anne}",
        f"Ruud Coon gaf {anne} toegang: soort toegang Mijn organisatie, rol Admin, "
        "contactpersoon security/privacy Ja",
    ]
    total = AuditEvent.objects.count()
    call_command("seed_demo", force=True)
    assert AuditEvent.objects.count() == total

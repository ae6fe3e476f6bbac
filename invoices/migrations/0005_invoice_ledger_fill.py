"""Fills the stored ledger of existing invoices, and gives the search its index on PostgreSQL."""

from django.db import migrations
from django.utils import timezone

BATCH = 1000
FIELDS = (
    "ledger_signed",
    "ledger_paid",
    "ledger_credited",
    "ledger_set_off",
    "ledger_open",
    "ledger_state",
    "ledger_due_at",
)


def fill(apps, schema_editor):
    from invoices.ledger import figures_compute

    invoice_model = apps.get_model("invoices", "Invoice")
    payment_model = apps.get_model("invoices", "Payment")
    now = timezone.now()
    ids = list(invoice_model.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        figures = figures_compute(
            ids=batch, now=now, invoice_model=invoice_model, payment_model=payment_model
        )
        rows = list(invoice_model.objects.filter(pk__in=batch).only("pk", *FIELDS))
        for row in rows:
            for name, value in figures[row.pk].as_fields().items():
                setattr(row, name, value)
        invoice_model.objects.bulk_update(rows, FIELDS, batch_size=500)


def trigram_index(apps, schema_editor):
    # The search (number contains …) uses a trigram index on PostgreSQL; other databases scan.
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS invoice_number_trgm_idx "
        "ON invoices_invoice USING gin (number gin_trgm_ops)"
    )


def trigram_index_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS invoice_number_trgm_idx")


class Migration(migrations.Migration):
    dependencies = [("invoices", "0004_invoice_ledger")]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(trigram_index, trigram_index_drop),
    ]

"""Keeps ``accounts_organisation.invoice_count`` equal to the organisation's invoices, in the
database, and fills it for the invoices that exist.

Triggers rather than the services, because invoices also arrive by ``bulk_create`` (the test
factories, the bench's seed) and raw SQL, which no service sees. They handle an invoice
inserted, deleted (the ORM refuses; raw SQL can), moved to another organisation and, on
PostgreSQL, the table truncated.

PostgreSQL: INSERT and DELETE are statement-level triggers over a transition table, so one
bulk insert of 100,000 invoices makes one UPDATE per organisation, not 100,000. A move is a
row-level trigger on ``UPDATE OF organisation_id``: PostgreSQL refuses transition tables on a
trigger with a column list, and a statement-level trigger without one would capture every
row of every ledger update (``ledger_refresh`` rewrites thousands of invoices) to find the
moves the application never makes. Counters are updated in organisation-id order, so two bulk
statements over the same organisations queue up instead of deadlocking.

SQLite: row-level triggers. A later migration that makes SQLite rebuild ``invoices_invoice``
or ``accounts_organisation`` must drop these triggers around the rebuild and create them
again (``SQLITE_REVERSE``, ``SQLITE_FORWARD``), as accounts/0006 does for the membership
triggers; ``manage.py ledger_check`` reports a count that drifted.
"""

from django.db import migrations

_POSTGRESQL_STATEMENT_FUNCTION = """
    CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
    DECLARE
        change record;
    BEGIN
        FOR change IN
            SELECT organisation_id, {sign}COUNT(*) AS delta FROM {rows}
            GROUP BY organisation_id ORDER BY organisation_id
        LOOP
            UPDATE accounts_organisation SET invoice_count = invoice_count + change.delta
            WHERE id = change.organisation_id;
        END LOOP;
        RETURN NULL;
    END $$ LANGUAGE plpgsql;
"""

POSTGRESQL_FORWARD = [
    _POSTGRESQL_STATEMENT_FUNCTION.format(
        name="invoices_invoice_count_insert", sign="", rows="invoice_count_new"
    ),
    """
    CREATE TRIGGER invoices_invoice_count_insert
    AFTER INSERT ON invoices_invoice REFERENCING NEW TABLE AS invoice_count_new
    FOR EACH STATEMENT EXECUTE FUNCTION invoices_invoice_count_insert();
    """,
    _POSTGRESQL_STATEMENT_FUNCTION.format(
        name="invoices_invoice_count_delete", sign="-", rows="invoice_count_old"
    ),
    """
    CREATE TRIGGER invoices_invoice_count_delete
    AFTER DELETE ON invoices_invoice REFERENCING OLD TABLE AS invoice_count_old
    FOR EACH STATEMENT EXECUTE FUNCTION invoices_invoice_count_delete();
    """,
    """
    CREATE OR REPLACE FUNCTION invoices_invoice_count_move() RETURNS trigger AS $$
    BEGIN
        -- The lower id first, so two moves in opposite directions cannot deadlock.
        UPDATE accounts_organisation
        SET invoice_count = invoice_count + CASE WHEN id = NEW.organisation_id THEN 1 ELSE -1 END
        WHERE id = LEAST(OLD.organisation_id, NEW.organisation_id);
        UPDATE accounts_organisation
        SET invoice_count = invoice_count + CASE WHEN id = NEW.organisation_id THEN 1 ELSE -1 END
        WHERE id = GREATEST(OLD.organisation_id, NEW.organisation_id);
        RETURN NULL;
    END $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER invoices_invoice_count_move
    AFTER UPDATE OF organisation_id ON invoices_invoice
    FOR EACH ROW WHEN (OLD.organisation_id IS DISTINCT FROM NEW.organisation_id)
    EXECUTE FUNCTION invoices_invoice_count_move();
    """,
    """
    CREATE OR REPLACE FUNCTION invoices_invoice_count_truncate() RETURNS trigger AS $$
    BEGIN
        UPDATE accounts_organisation SET invoice_count = 0 WHERE invoice_count <> 0;
        RETURN NULL;
    END $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER invoices_invoice_count_truncate
    AFTER TRUNCATE ON invoices_invoice
    FOR EACH STATEMENT EXECUTE FUNCTION invoices_invoice_count_truncate();
    """,
]
POSTGRESQL_REVERSE = [
    statement
    for name in ("insert", "delete", "move", "truncate")
    for statement in (
        f"DROP TRIGGER IF EXISTS invoices_invoice_count_{name} ON invoices_invoice",
        f"DROP FUNCTION IF EXISTS invoices_invoice_count_{name}()",
    )
]

SQLITE_FORWARD = [
    """
    CREATE TRIGGER invoices_invoice_count_insert AFTER INSERT ON invoices_invoice
    BEGIN
        UPDATE accounts_organisation SET invoice_count = invoice_count + 1
        WHERE id = NEW.organisation_id;
    END
    """,
    """
    CREATE TRIGGER invoices_invoice_count_delete AFTER DELETE ON invoices_invoice
    BEGIN
        UPDATE accounts_organisation SET invoice_count = invoice_count - 1
        WHERE id = OLD.organisation_id;
    END
    """,
    """
    CREATE TRIGGER invoices_invoice_count_move AFTER UPDATE OF organisation_id ON invoices_invoice
    WHEN OLD.organisation_id IS NOT NEW.organisation_id
    BEGIN
        UPDATE accounts_organisation SET invoice_count = invoice_count - 1
        WHERE id = OLD.organisation_id;
        UPDATE accounts_organisation SET invoice_count = invoice_count + 1
        WHERE id = NEW.organisation_id;
    END
    """,
]
SQLITE_REVERSE = [
    f"DROP TRIGGER IF EXISTS invoices_invoice_count_{name}" for name in ("insert", "delete", "move")
]

# Every organisation's count from its invoices. Run after the triggers exist, in the same
# transaction: on PostgreSQL CREATE TRIGGER locks invoices_invoice against writes until the
# migration commits, so no invoice is counted twice or missed.
FILL = """
    UPDATE accounts_organisation SET invoice_count = (
        SELECT COUNT(*) FROM invoices_invoice
        WHERE invoices_invoice.organisation_id = accounts_organisation.id
    )
"""

STATEMENTS = {
    "postgresql": (POSTGRESQL_FORWARD, POSTGRESQL_REVERSE),
    "sqlite": (SQLITE_FORWARD, SQLITE_REVERSE),
}


def _statements(schema_editor, index: int) -> list[str]:
    vendor = schema_editor.connection.vendor
    if vendor not in STATEMENTS:
        raise RuntimeError(f"No invoice count triggers written for the {vendor} database.")
    return STATEMENTS[vendor][index]


def forward(apps, schema_editor):
    for statement in _statements(schema_editor, 0):
        schema_editor.execute(statement)
    schema_editor.execute(FILL)


def reverse(apps, schema_editor):
    for statement in _statements(schema_editor, 1):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("invoices", "0006_statement_import"),
        ("accounts", "0006_organisation_invoice_count"),
    ]

    operations = [migrations.RunPython(forward, reverse)]

"""A contact's memberships stay within the contact's own customer, enforced by the database.

The rule spans three tables, which a CHECK constraint cannot express, so each supported
database gets triggers: on a membership written, on a user moved to another customer, and on
an organisation moved to another customer. A violation raises an integrity error.
"""

from django.db import migrations

MESSAGE = "membership organisation belongs to another customer"

POSTGRESQL_FORWARD = [
    f"""
    CREATE OR REPLACE FUNCTION accounts_membership_same_customer() RETURNS trigger AS $$
    BEGIN
        IF (SELECT customer_id FROM accounts_organisation WHERE id = NEW.organisation_id)
           IS DISTINCT FROM (SELECT customer_id FROM accounts_user WHERE id = NEW.user_id) THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = '23514';
        END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER accounts_membership_same_customer
    BEFORE INSERT OR UPDATE ON accounts_membership
    FOR EACH ROW EXECUTE FUNCTION accounts_membership_same_customer();
    """,
    f"""
    CREATE OR REPLACE FUNCTION accounts_user_customer_keeps_memberships() RETURNS trigger AS $$
    BEGIN
        IF EXISTS (
            SELECT 1 FROM accounts_membership m
            JOIN accounts_organisation o ON o.id = m.organisation_id
            WHERE m.user_id = NEW.id AND o.customer_id IS DISTINCT FROM NEW.customer_id
        ) THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = '23514';
        END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER accounts_user_customer_keeps_memberships
    BEFORE UPDATE OF customer_id ON accounts_user
    FOR EACH ROW EXECUTE FUNCTION accounts_user_customer_keeps_memberships();
    """,
    f"""
    CREATE OR REPLACE FUNCTION accounts_organisation_customer_keeps_memberships()
    RETURNS trigger AS $$
    BEGIN
        IF EXISTS (
            SELECT 1 FROM accounts_membership m
            JOIN accounts_user u ON u.id = m.user_id
            WHERE m.organisation_id = NEW.id AND u.customer_id IS DISTINCT FROM NEW.customer_id
        ) THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = '23514';
        END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER accounts_organisation_customer_keeps_memberships
    BEFORE UPDATE OF customer_id ON accounts_organisation
    FOR EACH ROW EXECUTE FUNCTION accounts_organisation_customer_keeps_memberships();
    """,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS accounts_membership_same_customer ON accounts_membership",
    "DROP FUNCTION IF EXISTS accounts_membership_same_customer()",
    "DROP TRIGGER IF EXISTS accounts_user_customer_keeps_memberships ON accounts_user",
    "DROP FUNCTION IF EXISTS accounts_user_customer_keeps_memberships()",
    "DROP TRIGGER IF EXISTS accounts_organisation_customer_keeps_memberships"
    " ON accounts_organisation",
    "DROP FUNCTION IF EXISTS accounts_organisation_customer_keeps_memberships()",
]

_SQLITE_MEMBERSHIP_CHECK = """
    WHEN (SELECT customer_id FROM accounts_organisation WHERE id = NEW.organisation_id)
         IS NOT (SELECT customer_id FROM accounts_user WHERE id = NEW.user_id)
    BEGIN SELECT RAISE(ABORT, '{message}'); END
"""
SQLITE_FORWARD = [
    "CREATE TRIGGER accounts_membership_same_customer_insert"
    " BEFORE INSERT ON accounts_membership" + _SQLITE_MEMBERSHIP_CHECK.format(message=MESSAGE),
    "CREATE TRIGGER accounts_membership_same_customer_update"
    " BEFORE UPDATE ON accounts_membership" + _SQLITE_MEMBERSHIP_CHECK.format(message=MESSAGE),
    f"""
    CREATE TRIGGER accounts_user_customer_keeps_memberships
    BEFORE UPDATE OF customer_id ON accounts_user
    WHEN EXISTS (
        SELECT 1 FROM accounts_membership m
        JOIN accounts_organisation o ON o.id = m.organisation_id
        WHERE m.user_id = NEW.id AND o.customer_id IS NOT NEW.customer_id
    )
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
    f"""
    CREATE TRIGGER accounts_organisation_customer_keeps_memberships
    BEFORE UPDATE OF customer_id ON accounts_organisation
    WHEN EXISTS (
        SELECT 1 FROM accounts_membership m
        JOIN accounts_user u ON u.id = m.user_id
        WHERE m.organisation_id = NEW.id AND u.customer_id IS NOT NEW.customer_id
    )
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS accounts_membership_same_customer_insert",
    "DROP TRIGGER IF EXISTS accounts_membership_same_customer_update",
    "DROP TRIGGER IF EXISTS accounts_user_customer_keeps_memberships",
    "DROP TRIGGER IF EXISTS accounts_organisation_customer_keeps_memberships",
]

STATEMENTS = {
    "postgresql": (POSTGRESQL_FORWARD, POSTGRESQL_REVERSE),
    "sqlite": (SQLITE_FORWARD, SQLITE_REVERSE),
}


def _run(schema_editor, index: int) -> None:
    vendor = schema_editor.connection.vendor
    if vendor not in STATEMENTS:
        raise RuntimeError(f"No membership triggers written for the {vendor} database.")
    for statement in STATEMENTS[vendor][index]:
        schema_editor.execute(statement)


def forward(apps, schema_editor):
    _run(schema_editor, 0)


def reverse(apps, schema_editor):
    _run(schema_editor, 1)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(forward, reverse)]

"""Make the audit trail append-only in the database itself: UPDATE, DELETE (and on PostgreSQL
TRUNCATE) on the table are refused by triggers, whoever sends them."""

from django.db import migrations

TABLE = "incidents_auditevent"

TRIGGERS = {
    "sqlite": {
        "create": [
            f"""CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON {TABLE}
            BEGIN SELECT RAISE(ABORT, 'audit trail is append-only: UPDATE refused'); END""",
            f"""CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON {TABLE}
            BEGIN SELECT RAISE(ABORT, 'audit trail is append-only: DELETE refused'); END""",
        ],
        "drop": [
            "DROP TRIGGER IF EXISTS audit_event_no_update",
            "DROP TRIGGER IF EXISTS audit_event_no_delete",
        ],
    },
    "postgresql": {
        "create": [
            """CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION 'audit trail is append-only: % refused', TG_OP
                    USING ERRCODE = 'insufficient_privilege';
            END
            $$ LANGUAGE plpgsql""",
            f"""CREATE TRIGGER audit_event_no_update_delete BEFORE UPDATE OR DELETE ON {TABLE}
            FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change()""",
            f"""CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON {TABLE}
            FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change()""",
        ],
        "drop": [
            f"DROP TRIGGER IF EXISTS audit_event_no_update_delete ON {TABLE}",
            f"DROP TRIGGER IF EXISTS audit_event_no_truncate ON {TABLE}",
            "DROP FUNCTION IF EXISTS audit_event_refuse_change()",
        ],
    },
}


def _run(schema_editor, which):
    vendor = schema_editor.connection.vendor
    if vendor not in TRIGGERS:
        raise RuntimeError(f"the audit trail's append-only triggers are not written for {vendor}")
    for statement in TRIGGERS[vendor][which]:
        # No parameters: the PL/pgSQL body's "%" is RAISE's placeholder, not the driver's.
        schema_editor.execute(statement, params=None)


def create_triggers(apps, schema_editor):
    _run(schema_editor, "create")


def drop_triggers(apps, schema_editor):
    _run(schema_editor, "drop")


class Migration(migrations.Migration):
    dependencies = [("incidents", "0003_audit_event")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]

"""The cases table vacuumed after some thousands of changed rows rather than a fifth of the table.

The work queue reads its pages from the indexes alone (Index Only Scan), which skips the table
only for the pages that VACUUM has marked all-visible. Every new or changed case unmarks its page;
with PostgreSQL's defaults autovacuum waits for 20% of the table (200,000 cases at a million),
and meanwhile a page in the middle of the queue reads the table: measured at 1,000,000 cases,
35,000 new complaints took such a page from 36 to 211 ms. At 0.2% autovacuum runs after about
2,000 changed cases, a second or two of work for the cases table."""

from django.db import migrations

SETTINGS = {
    "autovacuum_vacuum_scale_factor": "0.002",
    "autovacuum_vacuum_insert_scale_factor": "0.002",
}


def vacuum_often(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        parameters = ", ".join(f"{name} = {value}" for name, value in SETTINGS.items())
        schema_editor.execute(f"ALTER TABLE cases_case SET ({parameters})")


def postgresql_defaults(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE cases_case RESET ({', '.join(SETTINGS)})")


class Migration(migrations.Migration):
    dependencies = [("cases", "0007_queue_indexes_with_owner_columns")]

    operations = [migrations.RunPython(vacuum_often, postgresql_defaults)]

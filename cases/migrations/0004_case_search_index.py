from django.db import migrations

from cases.search import SEARCH_DOCUMENT


def create_search_document(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # the embedded SQLite trial searches without it
    # A generated column: PostgreSQL keeps it up to date, and reading it costs nothing per row.
    schema_editor.execute(
        f"ALTER TABLE cases_case ADD COLUMN IF NOT EXISTS search_document tsvector "
        f"GENERATED ALWAYS AS ({SEARCH_DOCUMENT}) STORED"
    )
    schema_editor.execute("CREATE INDEX IF NOT EXISTS case_search_document ON cases_case USING gin (search_document)")


def drop_search_document(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE cases_case DROP COLUMN IF EXISTS search_document")


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_normalised_identifiers")]

    operations = [migrations.RunPython(create_search_document, drop_search_document)]

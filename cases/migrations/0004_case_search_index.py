from django.db import migrations

from cases.search import SEARCH_DOCUMENT


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # the embedded SQLite trial searches without an index
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS case_search_document ON cases_case USING gin ({SEARCH_DOCUMENT})"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS case_search_document")


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_normalised_identifiers")]

    operations = [migrations.RunPython(create_index, drop_index)]

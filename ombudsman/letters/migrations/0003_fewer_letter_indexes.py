"""Fewer indexes to write at each letter: the LIKE indexes that unique=True adds on PostgreSQL
(trigger keys and verification codes are only looked up whole) and the content type's own index,
which the indexes starting with it already serve. The unique constraints stay as they are, now
declared in Meta under the names they already have, and the foreign key stays as it is, so that
nothing is rebuilt or checked again."""

import django.db.models.deletion
from django.db import migrations, models


def drop_like_indexes(apps, schema_editor):
    schema_editor.execute("DROP INDEX IF EXISTS letters_letter_content_type_id_cd8e515f")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS letters_letterrequest_trigger_key_80bc0628_like")
        schema_editor.execute("DROP INDEX IF EXISTS letters_letter_verification_code_95fdf278_like")


def restore_like_indexes(apps, schema_editor):
    schema_editor.execute("CREATE INDEX letters_letter_content_type_id_cd8e515f ON letters_letter (content_type_id)")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX letters_letterrequest_trigger_key_80bc0628_like "
            "ON letters_letterrequest (trigger_key varchar_pattern_ops)"
        )
        schema_editor.execute(
            "CREATE INDEX letters_letter_verification_code_95fdf278_like "
            "ON letters_letter (verification_code varchar_pattern_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("letters", "0002_failed_letter_requests"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(drop_like_indexes, restore_like_indexes)],
            state_operations=[
                migrations.AlterField(
                    model_name="letter",
                    name="content_type",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="contenttypes.contenttype",
                    ),
                ),
                migrations.AlterField(
                    model_name="letter",
                    name="verification_code",
                    field=models.CharField(max_length=14, verbose_name="verification code"),
                ),
                migrations.AlterField(
                    model_name="letterrequest",
                    name="trigger_key",
                    field=models.CharField(max_length=200),
                ),
                migrations.AddConstraint(
                    model_name="letter",
                    constraint=models.UniqueConstraint(
                        fields=("verification_code",), name="letters_letter_verification_code_key"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="letterrequest",
                    constraint=models.UniqueConstraint(
                        fields=("trigger_key",), name="letters_letterrequest_trigger_key_key"
                    ),
                ),
            ],
        ),
    ]

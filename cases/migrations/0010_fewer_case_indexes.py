"""Fewer indexes to write at each complaint: the LIKE indexes that unique=True and db_index=True add
on PostgreSQL (nothing searches a reference, state or identifier by pattern), and the single-column
indexes of state, service and assignee, which the indexes starting with them already serve.

The identifiers' index on their value now holds their case too, so that the cases naming one value
are read newest first (the linked cases of a case page): it is built anew, a few seconds at a
million cases. Otherwise only indexes are dropped: the unique reference becomes a constraint declared
in Meta under the name it already has, and the foreign keys stay as they are, so that nothing else
is rebuilt or checked again on a table of millions of rows."""

import django.db.models.deletion
import django_fsm
from django.conf import settings
from django.db import migrations, models


DROPPED = [
    "cases_case_assigned_to_id_370071aa",
    "cases_case_service_id_d5119aeb",
    "cases_case_state_eb673365",
    "cases_case_state_eb673365_like",
]


def drop_indexes(apps, schema_editor):
    for name in DROPPED:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS cases_case_reference_cb43aa34_like")
        schema_editor.execute("DROP INDEX IF EXISTS cases_perpetratoridentifier_normalised_77efec5b_like")
    schema_editor.execute(
        "CREATE INDEX identifier_normalised_case ON cases_perpetratoridentifier (normalised, case_id)"
    )
    schema_editor.execute("DROP INDEX IF EXISTS cases_perpetratoridentifier_normalised_77efec5b")


def restore(apps, schema_editor):
    schema_editor.execute("CREATE INDEX cases_case_assigned_to_id_370071aa ON cases_case (assigned_to_id)")
    schema_editor.execute("CREATE INDEX cases_case_service_id_d5119aeb ON cases_case (service_id)")
    schema_editor.execute("CREATE INDEX cases_case_state_eb673365 ON cases_case (state)")
    schema_editor.execute(
        "CREATE INDEX cases_perpetratoridentifier_normalised_77efec5b ON cases_perpetratoridentifier (normalised)"
    )
    schema_editor.execute("DROP INDEX IF EXISTS identifier_normalised_case")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE INDEX cases_case_state_eb673365_like ON cases_case (state varchar_pattern_ops)")
        schema_editor.execute(
            "CREATE INDEX cases_perpetratoridentifier_normalised_77efec5b_like "
            "ON cases_perpetratoridentifier (normalised varchar_pattern_ops)"
        )
        schema_editor.execute(
            "CREATE INDEX cases_case_reference_cb43aa34_like ON cases_case (reference varchar_pattern_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0009_queue_clock_order_column"),
        ("platforms", "0004_statistics_live_orders"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(drop_indexes, restore)],
            state_operations=[
                migrations.AlterField(
                    model_name="case",
                    name="assigned_to",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="assigned_cases",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="assigned to",
                    ),
                ),
                migrations.AlterField(
                    model_name="case",
                    name="service",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="platforms.service",
                        verbose_name="service",
                    ),
                ),
                migrations.AlterField(
                    model_name="case",
                    name="state",
                    field=django_fsm.FSMField(
                        choices=[
                            ("submitted", "Submitted"),
                            ("in_assessment", "In assessment"),
                            ("awaiting_information", "Awaiting information"),
                            ("in_review", "In review"),
                            ("established", "Established"),
                            ("rejected", "Rejected"),
                            ("disclosure_pending", "Disclosure pending"),
                            ("identified", "Identified"),
                            ("not_identified", "Not identified"),
                            ("closed", "Closed"),
                            ("withdrawn", "Withdrawn"),
                        ],
                        default="submitted",
                        max_length=50,
                        protected=True,
                        verbose_name="state",
                    ),
                ),
                migrations.AlterField(
                    model_name="case",
                    name="reference",
                    field=models.CharField(editable=False, max_length=20, verbose_name="reference"),
                ),
                migrations.AddConstraint(
                    model_name="case",
                    constraint=models.UniqueConstraint(fields=("reference",), name="cases_case_reference_key"),
                ),
                migrations.AlterField(
                    model_name="perpetratoridentifier",
                    name="normalised",
                    field=models.CharField(default="", max_length=500, verbose_name="normalised"),
                ),
                migrations.AddIndex(
                    model_name="perpetratoridentifier",
                    index=models.Index(fields=["normalised", "case"], name="identifier_normalised_case"),
                ),
            ],
        ),
    ]

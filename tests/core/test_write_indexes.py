"""The tables written at every complaint and every letter carry only the indexes something reads:
each index is one more write per row, and one on a random key (a hash, a code) touches a random
page of a large index at every insert. Their uniqueness rules still hold."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from cases.models import Case
from ombudsman.letters.models import Letter, LetterRequest
from ombudsman.letters.services import render_letter
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

WRITTEN_AT_EACH_COMPLAINT_OR_LETTER = [
    "cases_case",
    "cases_perpetratoridentifier",
    "cases_messagetime",
    "letters_letterrequest",
    "letters_letter",
    "audit_auditevent",
]


def indexes(table: str) -> list[dict]:
    """Each index of `table`: its name, key columns (None for an expression), whether it is
    unique or partial, and its definition."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT index_class.relname, pg_get_indexdef(index.indexrelid), index.indisunique,
                   index.indpred IS NOT NULL,
                   ARRAY(SELECT attribute.attname
                         FROM unnest(index.indkey[0:index.indnkeyatts - 1]) WITH ORDINALITY AS key(number, position)
                         LEFT JOIN pg_attribute attribute
                           ON attribute.attrelid = index.indrelid AND attribute.attnum = key.number
                         ORDER BY key.position)
            FROM pg_index index JOIN pg_class index_class ON index_class.oid = index.indexrelid
            WHERE index.indrelid = %s::regclass
            """,
            [table],
        )
        return [
            {"name": name, "definition": definition, "unique": unique, "partial": partial, "columns": columns}
            for name, definition, unique, partial, columns in cursor.fetchall()
        ]


@pytest.mark.parametrize("table", WRITTEN_AT_EACH_COMPLAINT_OR_LETTER)
def test_no_index_for_pattern_searches_that_nothing_makes(table):
    pattern_indexes = [index["name"] for index in indexes(table) if "pattern_ops" in index["definition"]]
    assert pattern_indexes == []


@pytest.mark.parametrize("table", WRITTEN_AT_EACH_COMPLAINT_OR_LETTER)
def test_no_single_column_index_that_a_wider_index_already_serves(table):
    all_indexes = indexes(table)
    redundant = [
        index["name"]
        for index in all_indexes
        if len(index["columns"]) == 1
        and not index["unique"]
        and not index["partial"]
        and any(
            other is not index and other["columns"][:1] == index["columns"] and not other["partial"]
            for other in all_indexes
        )
    ]
    assert redundant == []


def test_the_audit_trail_indexes_no_hash():
    assert not [index["name"] for index in indexes("audit_auditevent") if "hash" in index["columns"]]
    assert {tuple(index["columns"]) for index in indexes("audit_auditevent")} == {
        ("id",),
        ("content_type_id", "object_id", "id"),
        ("actor_id",),
    }


def test_a_reference_a_trigger_key_and_a_verification_code_stay_unique():
    first, second = CaseFactory(), CaseFactory()
    first_request, second_request = (LetterRequest.objects.get(object_id=str(case.pk)) for case in (first, second))
    first_letter, second_letter = render_letter(first_request.pk), render_letter(second_request.pk)
    duplicates = [
        lambda: Case.objects.filter(pk=second.pk).update(reference=first.reference),
        lambda: LetterRequest.objects.filter(pk=second_request.pk).update(trigger_key=first_request.trigger_key),
        lambda: Letter.objects.filter(pk=second_letter.pk).update(verification_code=first_letter.verification_code),
    ]
    for duplicate in duplicates:
        with pytest.raises(IntegrityError), transaction.atomic():
            duplicate()

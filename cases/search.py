"""One search box for staff: a reference, a complainant's name or e-mail, a perpetrator's
identifier, a platform, or words of the description. Only cases the user may see are searched,
so a result never reveals a case the user may not see.

On PostgreSQL the words go through full-text search on an expression with a GIN index (the
names and e-mail as they are, the description stemmed in Dutch, French and English); the
embedded SQLite trial falls back to plain substring matching."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

from cases.identifiers import candidates
from cases.models import Case, PerpetratorIdentifier
from cases.permissions import cases_visible_to
from platforms.models import Service

LANGUAGES = ("dutch", "french", "english")

# The indexed expression (migration 0004); a query must repeat it exactly to use the index.
SEARCH_DOCUMENT = (
    "(to_tsvector('simple'::regconfig, coalesce(cases_case.reference, '') || ' ' || "
    "coalesce(cases_case.complainant_first_name, '') || ' ' || coalesce(cases_case.complainant_last_name, '') "
    "|| ' ' || coalesce(cases_case.complainant_email, '') || ' ' || coalesce(cases_case.victim_name, '')) || "
    + " || ".join(
        f"to_tsvector('{language}'::regconfig, coalesce(cases_case.description, ''))" for language in LANGUAGES
    )
    + ")"
)
SEARCH_QUERY = " || ".join(f"websearch_to_tsquery('{config}'::regconfig, %s)" for config in ("simple", *LANGUAGES))
MAX_QUERY_LENGTH = 200


def _words_match(query: str) -> Q:
    if connection.vendor == "postgresql":
        # The SQL is ours; the query text goes in as parameters.
        match = RawSQL(f"{SEARCH_DOCUMENT} @@ ({SEARCH_QUERY})", [query] * 4, output_field=BooleanField())  # noqa: S611
        return Q(match)
    words = Q()
    for word in query.split():
        words &= (
            Q(complainant_first_name__icontains=word)
            | Q(complainant_last_name__icontains=word)
            | Q(complainant_email__icontains=word)
            | Q(victim_name__icontains=word)
            | Q(description__icontains=word)
        )
    return words


def search_cases(user: Any, query: str) -> QuerySet[Case]:
    """The cases the user may see that match the query, newest first."""
    query = " ".join(query.split())[:MAX_QUERY_LENGTH]
    visible = cases_visible_to(user)
    if not query:
        return visible.none()
    identifiers = PerpetratorIdentifier.objects.filter(normalised__in=candidates(query)).values("case_id")
    platforms = Service.objects.filter(Q(name__iexact=query) | Q(organisation__name__icontains=query)).values("pk")
    matches = Q(reference=query.upper()) | Q(pk__in=identifiers) | Q(service_id__in=platforms) | _words_match(query)
    return visible.filter(matches).order_by("-submitted_at", "-id")


def linked_cases(case: Case, user: Any) -> QuerySet[Case]:
    """Other cases the user may see that name one of this case's identifiers."""
    names = PerpetratorIdentifier.objects.filter(case=case).values("normalised")
    return (
        cases_visible_to(user)
        .filter(pk__in=PerpetratorIdentifier.objects.filter(normalised__in=names).values("case_id"))
        .exclude(pk=case.pk)
        .select_related("service__organisation", "assigned_to")
        .order_by("-submitted_at")
    )

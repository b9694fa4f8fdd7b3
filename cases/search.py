"""One search box for staff: a reference, a complainant's name or e-mail, a perpetrator's
identifier, a platform, or words of the description. Only cases the user may see are searched,
so a result never reveals a case the user may not see.

On PostgreSQL the words go through full-text search on a stored tsvector column with a GIN
index (the names and e-mail as they are, the description stemmed in Dutch, French and
English); the embedded SQLite trial falls back to plain substring matching."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import BooleanField, DateTimeField, ExpressionWrapper, F, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.utils.functional import cached_property

from cases.identifiers import candidates
from cases.models import Case, PerpetratorIdentifier
from cases.permissions import cases_visible_by_index, cases_visible_to, identifiers_visible_to
from platforms.models import Service

LANGUAGES = ("dutch", "french", "english")

# What the stored column `search_document` holds (migration 0004, PostgreSQL only): the names
# and e-mail as they are, the description stemmed in Dutch, French and English.
SEARCH_DOCUMENT = (
    "to_tsvector('simple'::regconfig, coalesce(reference, '') || ' ' || coalesce(complainant_first_name, '') "
    "|| ' ' || coalesce(complainant_last_name, '') || ' ' || coalesce(complainant_email, '') || ' ' || "
    "coalesce(victim_name, '')) || "
    + " || ".join(f"to_tsvector('{language}'::regconfig, coalesce(description, ''))" for language in LANGUAGES)
)
SEARCH_QUERY = " || ".join(f"websearch_to_tsquery('{config}'::regconfig, %s)" for config in ("simple", *LANGUAGES))
MAX_QUERY_LENGTH = 200
PAGE_SIZE = 25


def _words_match(query: str) -> Q:
    if connection.vendor == "postgresql":
        # The SQL is ours; the query text goes in as parameters.
        match = RawSQL(f"cases_case.search_document @@ ({SEARCH_QUERY})", [query] * 4, output_field=BooleanField())  # noqa: S611
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
    visible = cases_visible_by_index(user)
    if not query:
        return visible.none()
    # The few matching identifiers and platforms are looked up first, so that every branch of
    # the condition below is an index lookup PostgreSQL can combine (a bitmap OR).
    identified = list(
        PerpetratorIdentifier.objects.filter(normalised__in=candidates(query)).values_list("case_id", flat=True)[:5000]
    )
    platforms = list(
        Service.objects.filter(Q(name__iexact=query) | Q(organisation__name__icontains=query)).values_list(
            "pk", flat=True
        )
    )
    matches = Q(reference=query.upper()) | _words_match(query)
    if identified:
        matches |= Q(pk__in=identified)
    if platforms:
        matches |= Q(service_id__in=platforms)
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


def recent_linked_cases(case: Case, user: Any, limit: int) -> list[Case]:
    """The `limit` most recent of `linked_cases`. Each identifier's cases are read newest first
    from the index on (value, case) and no further than the limit: an identifier named in
    thousands of cases costs no more than a rare one (for an officer, until enough cases they
    may see are found)."""
    values = set(PerpetratorIdentifier.objects.filter(case=case).values_list("normalised", flat=True))
    newest = [
        identifiers_visible_to(user)
        .filter(normalised=value)
        .exclude(case_id=case.pk)
        .order_by("-case_id")
        .values_list("case_id", flat=True)
        .distinct()[:limit]
        for value in sorted(values)
    ]
    if not newest:
        return []
    # One query whatever the number of identifiers (where the database allows a limit per part).
    if len(newest) > 1 and connection.features.supports_slicing_ordering_in_compound:
        found = set(newest[0].union(*newest[1:], all=True))
    else:
        found = {case_id for part in newest for case_id in part}
    recent = Case.objects.filter(pk__in=found).select_related("service__organisation", "assigned_to")
    return list(recent.order_by("-id")[:limit])


class CappedPaginator(Paginator):
    """Counts at most `cap` results: beyond that a search is too broad to page through anyway,
    and counting every match of a broad query would cost more than finding the first page."""

    cap = 1000

    @cached_property
    def count(self) -> int:
        # Unordered: counting needs no sort of the matches.
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap


def search_page(user: Any, query: str, number: Any = 1) -> Any:
    """One page of results, newest first, planned for how many there are.

    A narrow search (up to the cap) gathers its matches through the indexes and sorts them;
    a broad one walks the cases from the newest and stops at the page. PostgreSQL cannot
    tell the two apart in advance (it underestimates how rare a word is), so the capped count
    decides."""
    results = search_cases(user, query).select_related("service__organisation", "assigned_to")
    # Sorting on an expression keeps PostgreSQL from walking the date index (narrow searches).
    newest_first = ExpressionWrapper(F("submitted_at") + Value(timedelta(0)), output_field=DateTimeField())
    narrow = CappedPaginator(results.order_by(newest_first.desc(), "-id"), PAGE_SIZE)
    if not narrow.capped:
        return narrow.get_page(number)
    broad = CappedPaginator(results, PAGE_SIZE)
    broad.count = narrow.count
    return broad.get_page(number)

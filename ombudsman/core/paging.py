"""Paging through lists of up to millions of rows (the work queue of a national archive)."""

from __future__ import annotations

import heapq
import json
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import OrderBy, QuerySet
from django.utils.functional import cached_property


class LargeListPaginator(Paginator):
    """Counts exactly up to `exact_up_to` rows and takes PostgreSQL's estimate beyond (`estimated`
    is then True): counting a million rows costs more than showing a page of them. Reads a page
    in two steps, the ids of the page and then their rows, so that a deep page skips index
    entries rather than whole rows. The same number of queries on every page."""

    exact_up_to = 10_000

    def __init__(
        self,
        object_list: QuerySet,
        per_page: int,
        *,
        branches: list[QuerySet] | None = None,
        rows: QuerySet | None = None,
    ) -> None:
        """`branches`: disjoint parts of `object_list` in its order, each of which an index reads in
        order (an officer's own cases, the intake queue); a page merges their heads, where one
        query with OR would have to sort every row of both. `rows`: where a page's rows are read
        by their ids, when a page shows other columns than the list filters and sorts on (by
        default the list itself)."""
        super().__init__(object_list, per_page)
        self.branches = branches or [object_list]
        self.rows = object_list if rows is None else rows

    @cached_property
    def count(self) -> int:
        return sum(self._count(branch) for branch in self.branches)

    def _count(self, queryset: QuerySet) -> int:
        # Unordered and only the key: counting needs no sort and none of the annotations.
        rows = queryset.order_by().values("pk")
        capped = rows[: self.exact_up_to + 1].count()
        if capped <= self.exact_up_to:
            return capped
        if connections[rows.db].vendor != "postgresql":
            return rows.count()
        plan = json.loads(rows.explain(format="json"))
        return max(int(plan[0]["Plan"]["Plan Rows"]), capped)

    @property
    def estimated(self) -> bool:
        return self.count > self.exact_up_to

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if len(self.branches) == 1:
            ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        else:
            ids = self._merged_ids(bottom, top)
        rows = {row.pk: row for row in self.rows.filter(pk__in=ids).order_by()}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)

    def _merged_ids(self, bottom: int, top: int) -> list[Any]:
        """The ids of rows bottom..top of the branches merged in the list's order (one query each)."""
        names, sort_values, descending = [], {}, set()
        for position, term in enumerate(self.object_list.query.order_by):
            if isinstance(term, str):
                descending.add(term.startswith("-"))
                names.append(term.lstrip("-"))
            else:
                descending.add(isinstance(term, OrderBy) and term.descending)
                sort_values[f"sort_{position}"] = term.expression if isinstance(term, OrderBy) else term
                names.append(f"sort_{position}")
        if len(descending) != 1:
            raise ValueError("branches merge only on an order that is all ascending or all descending")
        reverse = descending.pop()
        if top <= bottom:
            return []
        heads = [
            branch.annotate(**sort_values).values_list(*names, "pk")[:top]
            for branch in self.branches
            if not branch.query.is_empty()
        ]
        if len(heads) == 1:
            return [row[-1] for row in heads[0][bottom:top]]
        if heads and connections[self.object_list.db].features.supports_slicing_ordering_in_compound:
            # The database merges the heads and skips to the page: a deep page then moves only its
            # own ids to Python, not every row before it.
            order = [f"-{name}" if reverse else name for name in [*names, "pk"]]
            merged = heads[0].union(*heads[1:], all=True).order_by(*order)[bottom:top]
            return [row[-1] for row in merged]
        merged = heapq.merge(*(list(head) for head in heads), key=lambda row: row[:-1], reverse=reverse)
        return [row[-1] for row in list(merged)[bottom:top]]

"""Paging through lists of up to millions of rows (the work queue of a national archive)."""

from __future__ import annotations

import json
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connections
from django.utils.functional import cached_property


class LargeListPaginator(Paginator):
    """Counts exactly up to `exact_up_to` rows and takes PostgreSQL's estimate beyond (`estimated`
    is then True): counting a million rows costs more than showing a page of them. Reads a page
    in two steps, the ids of the page and then their rows, so that a deep page skips index
    entries rather than whole rows. The same number of queries on every page."""

    exact_up_to = 10_000

    @cached_property
    def count(self) -> int:
        # Unordered and only the key: counting needs no sort and none of the annotations.
        rows = self.object_list.order_by().values("pk")
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
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in self.object_list.filter(pk__in=ids).order_by()}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)

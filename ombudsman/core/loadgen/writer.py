"""Writing the load data: staff and organisations first, then the cases in chronological blocks,
each block simulated in Python (`story.CaseStory`) and streamed into PostgreSQL with COPY in
one transaction, its audit events appended to the hash chain like any other events."""

from __future__ import annotations

import math
import random
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from functools import cache
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone

from cases.models import (
    Assessment,
    Case,
    CaseUserObjectPermission,
    InformationRequest,
    MessageTime,
    PerpetratorIdentifier,
    ReferenceSequence,
)
from ombudsman.accounts import roles
from ombudsman.audit.models import AuditEvent
from ombudsman.audit.services import append_events
from ombudsman.core.bulk import insert_rows, reserve_ids
from ombudsman.core.crypto import encrypt_json
from ombudsman.core.demo import seed_organisations
from ombudsman.core.loadgen import catalogue as cat
from ombudsman.core.loadgen.story import BRUSSELS, Batch, CaseStory, Person, Place, World
from ombudsman.dashboard.summaries import build_statistics_summaries
from ombudsman.deadlines.calendar import add_working_days, due_date, is_working_day
from ombudsman.deadlines.models import ClosureDay
from ombudsman.letters.models import Letter, LetterRequest
from platforms.models import DisclosureAnswer, DisclosureOrder, DisclosureOrderGroupObjectPermission, Service
from platforms.services.common import liaison_group

# Model of each kind of row, in the order of insertion; the first ones carry reserved ids.
MODELS: dict[str, type[models.Model]] = {
    "case": Case,
    "information_request": InformationRequest,
    "assessment": Assessment,
    "order": DisclosureOrder,
    "answer": DisclosureAnswer,
    "letter_request": LetterRequest,
    "letter": Letter,
    "identifier": PerpetratorIdentifier,
    "message_time": MessageTime,
    "case_permission": CaseUserObjectPermission,
    "order_permission": DisclosureOrderGroupObjectPermission,
}
WITH_IDS = ("case", "information_request", "assessment", "order", "answer", "letter_request", "letter")
ID_BLOCK = 5000
YEARS = 10
# Volume grows over the years: the newest year has twice the complaints of the first.
GROWTH = 1.0


@dataclass
class LoadReport:
    """How many rows of each kind were written, and where the time went (seconds)."""

    rows: Counter = field(default_factory=Counter)
    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))


class IdBlocks:
    """Ids taken from each table's sequence in blocks, handed out one by one."""

    def __init__(self) -> None:
        self.free: dict[str, deque[int]] = defaultdict(deque)

    def next(self, key: str) -> int:
        free = self.free[key]
        if not free:
            free.extend(reserve_ids(MODELS[key], ID_BLOCK))
        return free.popleft()


def _person(user: Any, **kwargs: Any) -> Person:
    contact = " · ".join(part for part in (user.email, user.phone) if part) or settings.OMBUDSMAN_OFFICE["email"]
    return Person(user.pk, user.username, user.get_full_name() or user.username, user.capacity, contact, **kwargs)


def _user(username: str, role: str, first: str, last: str, capacity: str, active: bool = True) -> Any:
    user, _created = get_user_model().objects.update_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@ombudsman.example",
            "capacity": capacity,
            "is_active": active,
        },
    )
    if _created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def _staff(cases: int, rng: random.Random, start: datetime, now: datetime) -> tuple[list[Person], list[Person]]:
    """Officers who join and leave over the years (about a third at work at any time), and reviewers."""
    count = max(4, min(60, cases // 15_000))
    span = now - start
    officers = []
    for index in range(count):
        begin = start - 0.2 * span + span * (index / max(count - 1, 1))
        end = begin + span * rng.uniform(0.3, 0.4)
        first, last = cat.FIRST_NAMES[index % 20], cat.LAST_NAMES[(index * 7) % 20]
        user = _user(f"load-officer-{index + 1:02d}", roles.CASE_OFFICER, first, last, "Case officer", end > now)
        officers.append(_person(user, begin=begin, end=end, weight=rng.uniform(0.6, 1.4)))
    reviewers = []
    for index in range(max(2, count // 6)):
        first, last = cat.FIRST_NAMES[(index * 3 + 1) % 20], cat.LAST_NAMES[(index * 3 + 2) % 20]
        user = _user(f"load-reviewer-{index + 1:02d}", roles.REVIEWER, first, last, "Senior case officer")
        reviewers.append(_person(user))
    return officers, reviewers


def _places() -> tuple[list[Place], list[float], list[Place], dict[int, Person], dict[int, int]]:
    seed_organisations()
    services = {
        (service.organisation.name, service.name): service for service in Service.objects.select_related("organisation")
    }

    def place(service: Service) -> Place:
        organisation = service.organisation
        return Place(
            service.pk,
            service.name,
            organisation.pk,
            organisation.name,
            organisation.kind,
            organisation.letter_language,
            organisation.contact_point_email,
            organisation.legal_address,
        )

    places = [place(services[key]) for key in cat.SERVICE_SHARES]
    operators = [place(services[(name, "Fixed internet")]) for name in cat.OPERATORS]
    liaisons, groups = {}, {}
    for service in {
        place.organisation_id: services[key] for place, key in zip(places, cat.SERVICE_SHARES, strict=True)
    }.values():
        organisation = service.organisation
        group = liaison_group(organisation)
        slug = organisation.name.split()[0].lower()
        user = _user(f"load-liaison-{slug}", roles.PLATFORM_LIAISON, "Liaison", organisation.name, "Legal team")
        group.user_set.add(user)
        liaisons[organisation.pk], groups[organisation.pk] = _person(user), group.pk
    return places, list(cat.SERVICE_SHARES.values()), operators, liaisons, groups


def _date_rules() -> tuple[Callable[[date, int], date], Callable[[date], date]]:
    """The due date of `legal_due_date` and the reminder day of an order due on a date, with the
    closure days read once rather than at every call."""
    closure_days = frozenset(ClosureDay.objects.values_list("day", flat=True))

    def is_working(day: date) -> bool:
        return is_working_day(day, closure_days)

    working_days = -settings.ORDER_REMINDER_WORKING_DAYS
    return (
        cache(lambda start, days: due_date(start, days, is_working)),
        cache(lambda due: add_working_days(due, working_days, closure_days)),
    )


def _world(cases: int, rng: random.Random, start: datetime, now: datetime) -> World:
    officers, reviewers = _staff(cases, rng, start, now)
    places, weights, operators, liaisons, groups = _places()
    ids = IdBlocks()
    due_on, reminder_on = _date_rules()
    permission = Permission.objects.get_by_natural_key
    signatory = settings.OMBUDSMAN_INTAKE_SIGNATORY
    return World(
        officers=officers,
        reviewers=reviewers,
        liaisons=liaisons,
        liaison_groups=groups,
        places=places,
        place_weights=weights,
        operators=operators,
        content_types={
            "case": ContentType.objects.get_for_model(Case).pk,
            "order": ContentType.objects.get_for_model(DisclosureOrder).pk,
        },
        permissions={
            "view_case": permission("view_case", "cases", "case").pk,
            "change_case": permission("change_case", "cases", "case").pk,
            "view_order": permission("view_disclosureorder", "platforms", "disclosureorder").pk,
            "answer_order": permission("answer_disclosureorder", "platforms", "disclosureorder").pk,
        },
        next_id=ids.next,
        due_date=due_on,
        reminder_date=reminder_on,
        identity_ciphertext=encrypt_json(
            {"holder_name": "Jan Janssens", "email": "jan.janssens@mail.example", "phone": "+32470000000"}
        ),
        repeat_pool=max(1, cases * cat.REPEAT_POOL // 100),
        intake_signatory=(str(signatory["name"]), str(signatory["capacity"]), str(signatory["contact"])),
    )


def submission_times(cases: int, rng: random.Random, start: datetime, now: datetime) -> list[datetime]:
    """Moments spread over the period, denser towards the end (growth), in increasing order."""
    span = (now - start).total_seconds()
    times = []
    for number in range(cases):
        share = (number + rng.random() * 0.5) / cases
        # The inverse of the cumulative share of a volume growing linearly by GROWTH over the period.
        position = (math.sqrt(1 + GROWTH * (2 + GROWTH) * share) - 1) / GROWTH
        times.append(start + timedelta(seconds=position * span))
    return times


def _references(moments: list[datetime]) -> list[str]:
    """References for a block of cases, numbered per year from the office's counters."""
    years = [moment.astimezone(BRUSSELS).year for moment in moments]
    next_numbers = {}
    for year, count in Counter(years).items():
        next_numbers[year] = ReferenceSequence.next_number(year, count) - count + 1
    references = []
    for year in years:
        references.append(Case.format_reference(year, next_numbers[year]))
        next_numbers[year] += 1
    return references


def generate_load_data(
    cases: int,
    *,
    seed: int = 2026,
    until: date | None = None,
    block: int = 10_000,
    log: Callable[[str], None] = lambda message: None,
) -> LoadReport:
    """Write `cases` cases submitted over ten years up to `until` (default: now), with their
    orders, answers, letters (rows only), object permissions and audit events. PostgreSQL only."""
    if connection.vendor != "postgresql":
        raise RuntimeError("load data is written with PostgreSQL's COPY")
    report = LoadReport()
    started = time.perf_counter()
    rng = random.Random(seed)  # noqa: S311 (load data, not secrets: the same seed gives the same data)
    now = datetime.combine(until, clock(17, 0), BRUSSELS).astimezone(UTC) if until else timezone.now()
    start = now - timedelta(days=365 * YEARS + YEARS // 4)
    with transaction.atomic():
        world = _world(cases, rng, start, now)
    moments = submission_times(cases, rng, start, now)
    report.seconds["setup"] = time.perf_counter() - started
    for first in range(0, cases, block):
        with transaction.atomic():
            tick = time.perf_counter()
            batch = Batch()
            story = CaseStory(world, batch, rng, now)
            chunk = moments[first : first + block]
            for number, (moment, reference) in enumerate(zip(chunk, _references(chunk), strict=True), start=first):
                story.run(number, reference, moment)
            report.seconds["simulate"] += time.perf_counter() - tick
            tick = time.perf_counter()
            for key, model in MODELS.items():
                rows = batch.rows.get(key)
                if rows:
                    insert_rows(model, _completed(model, rows), with_ids=key in WITH_IDS)
                    report.rows[key] += len(rows)
            report.seconds["copy"] += time.perf_counter() - tick
            tick = time.perf_counter()
            # In time order within the block; the chain links them in that order.
            batch.events.sort(key=lambda event: event["created_at"])
            report.rows["audit_event"] += append_events(batch.events)
            report.seconds["audit"] += time.perf_counter() - tick
        done = min(first + block, cases)
        if done % 100_000 == 0 or done == cases:
            log(f"  {done:,} cases written ({time.perf_counter() - started:.0f} s)")
    tick = time.perf_counter()
    _analyse()
    report.seconds["analyse"] = time.perf_counter() - tick
    tick = time.perf_counter()
    # The data is history: the statistics summaries are built again from the start to include it.
    build_statistics_summaries(rebuild=True)
    report.seconds["summaries"] = time.perf_counter() - tick
    report.seconds["total"] = time.perf_counter() - started
    return report


def _completed(model: type[models.Model], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows with the default of every column the story does not set."""
    missing = [
        column
        for column in model._meta.concrete_fields
        if not column.primary_key
        and not getattr(column, "generated", False)  # the database computes it
        and column.attname not in rows[0]
        and column.name not in rows[0]
    ]
    for column in missing:
        default = column.get_default()
        for row in rows:
            row[column.attname] = default
    return rows


def _analyse() -> None:
    """Fresh statistics for the planner; outside a transaction, also the visibility map
    (VACUUM), so that counts can read indexes alone."""
    tables = [model._meta.db_table for model in [*MODELS.values(), AuditEvent]]
    with connection.cursor() as cursor:
        for table in tables:
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"ANALYZE {quoted}" if connection.in_atomic_block else f"VACUUM (ANALYZE) {quoted}")

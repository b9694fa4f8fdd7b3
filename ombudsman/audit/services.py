"""Writing and verifying the audit trail. Every use case calls `record_event` inside its
own transaction, so the event commits or rolls back with the change it records."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from ombudsman.audit.models import GENESIS_HASH, AuditChainHead, AuditEvent, event_hash
from ombudsman.core.bulk import COPY_THRESHOLD, insert_rows, orm_insert_sql

SYSTEM = "system"
PUBLIC = "public form"


@dataclass(frozen=True)
class EventSpec:
    """One event to append; `record_events` appends many under a single chain lock."""

    obj: models.Model
    action: str
    actor: Any = None
    actor_label: str = ""
    from_state: str = ""
    to_state: str = ""
    data: dict[str, Any] | None = None


_JSON_NATIVE = (str, int, bool, type(None))


def _is_json_native(value: Any) -> bool:
    if isinstance(value, _JSON_NATIVE):
        return True
    if isinstance(value, dict):
        return all(isinstance(key, str) and _is_json_native(item) for key, item in value.items())
    if isinstance(value, list):
        return all(_is_json_native(item) for item in value)
    return False


def _json_safe(data: dict[str, Any] | None) -> dict[str, Any]:
    """The data as the database will return it (dates become text), so hashes stay verifiable."""
    data = data or {}
    if _is_json_native(data):
        return data
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def record_events(specs: Iterable[EventSpec], *, now: datetime | None = None) -> int:
    """Append events to the chain; returns how many. Must run inside the caller's transaction."""
    return append_events(event_rows(specs, now=now))


def event_rows(specs: Iterable[EventSpec], *, now: datetime | None = None) -> list[dict[str, Any]]:
    """The rows of events to append ({attname: value}), every hashed field but the chain's."""
    now = now or timezone.now()
    rows = []
    content_types: dict[type, int] = {}
    for spec in specs:
        actor = spec.actor if getattr(spec.actor, "is_authenticated", False) else None
        model = type(spec.obj)
        if model not in content_types:
            content_types[model] = ContentType.objects.get_for_model(spec.obj, for_concrete_model=False).pk
        row = {
            "created_at": now,
            "actor_id": actor.pk if actor else None,
            "actor_label": spec.actor_label or (actor.get_username() if actor else SYSTEM),
            "action": spec.action,
            "content_type_id": content_types[model],
            "object_id": str(spec.obj.pk),
            "object_repr": str(spec.obj)[:200],
            "from_state": spec.from_state,
            "to_state": spec.to_state,
            "data": _json_safe(spec.data),
        }
        rows.append(row)
    return rows


# For a use case that locks the chain's head in a statement of its own making (to save a round
# trip while it holds the lock) and passes the hash it read to `append_events`.
LOCK_HEAD_SQL = f"SELECT last_hash FROM {AuditChainHead._meta.db_table} WHERE id = 1 FOR UPDATE"  # noqa: S608


def append_events(rows: list[dict[str, Any]], *, locked_head_hash: str | None = None) -> int:
    """Chain rows holding every hashed field but `previous_hash` ({attname: value}, data as JSON
    values) onto the trail, in their order, and insert them. Must run inside the caller's
    transaction: the chain's head stays locked until it commits. `locked_head_hash`: the head's
    hash, read by the caller's own statement under `LOCK_HEAD_SQL`."""
    if not rows:
        return 0
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit events are appended inside the transaction of the change they record")
    head = None
    if locked_head_hash is None:
        head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            # ON CONFLICT DO NOTHING: safe when the first events of a fresh database race.
            AuditChainHead.objects.bulk_create([AuditChainHead(pk=1)], ignore_conflicts=True)
            head = AuditChainHead.objects.select_for_update().get(pk=1)
        locked_head_hash = head.last_hash
    previous = locked_head_hash
    for row in rows:
        row["previous_hash"] = previous
        row["hash"] = previous = event_hash(row)
    connection = transaction.get_connection()
    if connection.vendor == "postgresql" and len(rows) < COPY_THRESHOLD:
        _insert_and_move_head(rows, previous)
        return len(rows)
    ids = insert_rows(AuditEvent, rows)
    head = head or AuditChainHead.objects.get(pk=1)
    head.last_hash = previous
    head.last_event_id = ids[-1] if ids else AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    head.save(update_fields=["last_hash", "last_event_id"])
    return len(rows)


def _insert_and_move_head(rows: list[dict[str, Any]], last_hash: str) -> None:
    """Insert the events and move the head to the last of them in one statement: the head is
    locked meanwhile, so each round trip saved shortens the queue of writers behind it. Written
    by hand because the ORM cannot put an INSERT and an UPDATE in one statement."""
    insert, params = orm_insert_sql([AuditEvent(**row) for row in rows])
    head = AuditChainHead._meta.db_table
    with transaction.get_connection().prepared_cursor() as cursor:
        cursor.execute(
            f"WITH new_events AS ({insert} RETURNING id) "  # noqa: S608 (the ORM's own INSERT)
            f"UPDATE {head} SET last_hash = %s, last_event_id = (SELECT max(id) FROM new_events) WHERE id = 1",
            [*params, last_hash],
        )


def record_event(obj: models.Model, action: str, **kwargs: Any) -> None:
    """Append one event about `obj` (actor, actor_label, from_state, to_state, data)."""
    record_events([EventSpec(obj=obj, action=action, **kwargs)])


@dataclass(frozen=True)
class BrokenLink:
    event_id: int
    reason: str


def find_broken_links(batch_size: int = 5000) -> Iterator[BrokenLink]:
    """Walk the chain in order and yield each event whose hash or link does not hold."""
    previous = GENESIS_HASH
    last_id = 0
    while True:
        batch = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch_size])
        if not batch:
            break
        for event in batch:
            if event.previous_hash != previous:
                yield BrokenLink(event.id, "its link to the previous event does not match")
            elif event.compute_hash() != event.hash:
                yield BrokenLink(event.id, "its content does not match its hash")
            previous = event.hash
            last_id = event.id
    head = AuditChainHead.objects.filter(pk=1).first()
    if head and head.last_hash != previous:
        yield BrokenLink(last_id, "the newest events were removed from the end of the chain")

"""The append-only audit trail, made tamper-evident by a hash chain.

Each event stores the hash of the event before it; changing, inserting or removing a row
breaks the chain, which `manage.py verify_audit_chain` detects."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64

# How the timeline names each action; each app registers its own (in its AppConfig.ready).
ACTION_LABELS: dict[str, Any] = {
    "letter_issued": _("Letter issued"),
    "letter_sent": _("Letter e-mailed"),
}


def register_action_labels(labels: dict[str, Any]) -> None:
    ACTION_LABELS.update(labels)


# Every field that states what happened; the hash covers them all.
HASHED_FIELDS = (
    "created_at",
    "actor_id",
    "actor_label",
    "action",
    "content_type_id",
    "object_id",
    "object_repr",
    "from_state",
    "to_state",
    "data",
    "previous_hash",
)


def event_hash(fields: dict[str, Any]) -> str:
    """SHA-256 of an event's canonical JSON (keys sorted, ASCII, microsecond timestamps)."""
    payload = {**fields, "created_at": fields["created_at"].isoformat(timespec="microseconds")}
    return hashlib.sha256(
        json.dumps(payload, sort_keys=True, cls=DjangoJSONEncoder, ensure_ascii=True).encode()
    ).hexdigest()


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete history."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Audit events are never updated; append a correcting event.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit events are never deleted.")

    def for_object(self, obj: models.Model) -> AuditEventQuerySet:
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
            object_id=str(obj.pk),
        )


class AuditEvent(models.Model):
    created_at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Who acted when there is no user account: "public form", "system", ...
    actor_label = models.CharField(_("actor label"), max_length=120)
    action = models.CharField(_("action"), max_length=80)
    # Indexed with object_id below; a separate index would only slow the sweeps' inserts.
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+", db_index=False)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("object"), max_length=200)
    from_state = models.CharField(_("from state"), max_length=40, blank=True)
    to_state = models.CharField(_("to state"), max_length=40, blank=True)
    data = models.JSONField(_("data"), default=dict, encoder=DjangoJSONEncoder)
    previous_hash = models.CharField(max_length=64)
    # Not indexed: nothing looks an event up by its hash, and the chain's head, locked for every
    # append, already makes each hash follow from the one before. An index on a random 64-character
    # key touches a random page of a multi-gigabyte index at every append.
    hash = models.CharField(max_length=64)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["content_type", "object_id", "id"])]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Audit events are never updated; append a correcting event.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit events are never deleted.")

    @property
    def label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))

    def compute_hash(self) -> str:
        return event_hash({field: getattr(self, field) for field in HASHED_FIELDS})


class AuditChainHead(models.Model):
    """One row holding the newest hash; locking it serialises appends to the chain."""

    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    last_event_id = models.BigIntegerField(null=True)

    def __str__(self) -> str:
        return self.last_hash

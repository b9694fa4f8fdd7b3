"""Optimistic locking of state machines, for models loaded by the hundred."""

from __future__ import annotations

from functools import cache

from django.db import models
from django_fsm import ConcurrentTransitionMixin, FSMFieldMixin


@cache
def _state_fields(model: type[models.Model]) -> tuple[models.Field, ...]:
    return tuple(field for field in model._meta.fields if isinstance(field, FSMFieldMixin))


class ConcurrentTransitions(ConcurrentTransitionMixin):
    """django-fsm-2's ConcurrentTransitionMixin (a save fails if the state changed since the row was
    read), with the model's state fields found once per model rather than by walking all its
    fields for every instance, which weighs on a page of 100 rows."""

    @property
    def state_fields(self) -> tuple[models.Field, ...]:
        return _state_fields(type(self))

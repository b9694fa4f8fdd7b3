"""Exactly one scheduler: several beats may run by mistake (or for failover); only the one
holding the leader lock sends tasks. Schedules live in the database (django-celery-beat),
visible and editable in the admin."""

from __future__ import annotations

import os
import socket
import uuid
from typing import Any

from django.core.cache import cache
from django_celery_beat.schedulers import DatabaseScheduler

LOCK_KEY = "ombudsman:beat-leader"
LOCK_SECONDS = 60  # a dead leader's lock expires after this; another beat takes over
FOLLOWER_WAIT = 5.0


class LeaderDatabaseScheduler(DatabaseScheduler):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.identity = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        super().__init__(*args, **kwargs)

    def is_leader(self) -> bool:
        """Take the lock if it is free, or renew it if it is ours (the cache's add is atomic)."""
        if cache.add(LOCK_KEY, self.identity, LOCK_SECONDS):
            return True
        if cache.get(LOCK_KEY) == self.identity:
            cache.touch(LOCK_KEY, LOCK_SECONDS)
            return True
        return False

    def tick(self, *args: Any, **kwargs: Any) -> float:
        if not self.is_leader():
            return FOLLOWER_WAIT
        return min(super().tick(*args, **kwargs), LOCK_SECONDS / 3)

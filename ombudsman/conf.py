"""Every setting that comes from the environment is declared here, with its documentation.

The README and `.env.example` list them; a test keeps both complete.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class EnvironmentVariable:
    name: str
    default: Any
    documentation: str


REGISTRY: dict[str, EnvironmentVariable] = {}

_REQUIRED = object()


def _to_bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"expected a boolean (1/0, true/false), got {raw!r}")


def _to_list(raw: str) -> list[str]:
    return [item.strip() for item in raw.split(",") if item.strip()]


CASTS: dict[type, Callable[[str], Any]] = {bool: _to_bool, list: _to_list, int: int, str: str}


def config(name: str, default: Any = _REQUIRED, *, cast: type = str, documentation: str) -> Any:
    """Read one environment variable, cast it, and register its documentation."""
    REGISTRY[name] = EnvironmentVariable(name, None if default is _REQUIRED else default, documentation)
    raw = os.environ.get(name)
    if raw is None:
        if default is _REQUIRED:
            raise ImproperlyConfigured(f"The environment variable {name} is required: {documentation}")
        return default
    try:
        return CASTS[cast](raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"The environment variable {name} is invalid: {exc}") from exc

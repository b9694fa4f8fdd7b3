"""The catalogue of letter kinds. Each app registers the kinds it issues (DESIGN.md §6)
with a builder that turns the object the letter belongs to into the letter's content."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.functional import Promise


@dataclass(frozen=True)
class Signatory:
    name: str
    capacity: str
    contact: str


@dataclass(frozen=True)
class Remedies:
    """How to challenge a decision: without it an appeal deadline does not run."""

    body: str
    form: str
    deadline: str


@dataclass(frozen=True)
class LetterContent:
    reference: str
    recipient_name: str
    recipient_address: str
    recipient_email: str
    signatory: Signatory
    context: dict[str, Any] = field(default_factory=dict)
    remedies: Remedies | None = None
    # The authority whose letterhead the letter bears; the Ombudsman's when None.
    issuer: dict[str, Any] | None = None


@dataclass(frozen=True)
class LetterKind:
    code: str
    title: str | Promise
    template: str
    # Called with the target object and the request's parameters, in the letter's language.
    build: Callable[[models.Model, dict[str, Any]], LetterContent]
    # Letters to the complainant are also e-mailed with the PDF attached.
    email_to_recipient: bool = True
    is_decision: bool = False
    # The target's relations that `build` reads, loaded with the target in one query.
    related: tuple[str, ...] = ()


_REGISTRY: dict[str, LetterKind] = {}


def register(kind: LetterKind) -> LetterKind:
    if kind.code in _REGISTRY and _REGISTRY[kind.code] != kind:
        raise ValueError(f"letter kind {kind.code!r} registered twice")
    _REGISTRY[kind.code] = kind
    return kind


def get_kind(code: str) -> LetterKind:
    try:
        return _REGISTRY[code]
    except KeyError:
        raise LookupError(f"unknown letter kind {code!r}") from None


def all_kinds() -> list[LetterKind]:
    return list(_REGISTRY.values())

"""Checking evidence files by their content, never by their name."""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

ALLOWED_CONTENT_TYPES = {
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/gif": "GIF",
    "image/webp": "WebP",
    "application/pdf": "PDF",
}


@dataclass(frozen=True)
class CheckedFile:
    upload: UploadedFile
    original_name: str
    content_type: str
    size: int
    sha256: str


def _sniff(upload: UploadedFile) -> str | None:
    upload.seek(0)
    head = upload.read(512)
    upload.seek(0)
    kind = filetype.guess(head)
    return kind.mime if kind else None


class _TooManyPixels(Exception):
    pass


def _is_readable_image(upload: UploadedFile) -> bool:
    """True for an image that decodes; _TooManyPixels for one larger than any screenshot or photo
    (a decompression bomb: a few kilobytes that would unpack into gigabytes)."""
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                if image.width * image.height > settings.EVIDENCE_MAX_IMAGE_PIXELS:
                    raise _TooManyPixels
                image.verify()
        return True
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _TooManyPixels from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return False
    finally:
        upload.seek(0)


def _sha256(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def check_evidence_files(uploads: Sequence[UploadedFile]) -> list[CheckedFile]:
    """Accept images and PDFs within the size limits; raise one clear message per problem."""
    errors: list[str] = []
    if len(uploads) > settings.EVIDENCE_MAX_FILES:
        errors.append(
            _("You can attach at most %(max)d files; you chose %(count)d.")
            % {"max": settings.EVIDENCE_MAX_FILES, "count": len(uploads)}
        )
        raise ValidationError(errors)
    checked = []
    total = 0
    for upload in uploads:
        name = (upload.name or "file")[:255]
        total += upload.size
        if upload.size == 0:
            errors.append(_("“%(name)s” is empty.") % {"name": name})
            continue
        if upload.size > settings.EVIDENCE_MAX_FILE_SIZE:
            errors.append(
                _("“%(name)s” is %(size)s; each file may be at most %(max)s.")
                % {
                    "name": name,
                    "size": filesizeformat(upload.size),
                    "max": filesizeformat(settings.EVIDENCE_MAX_FILE_SIZE),
                }
            )
            continue
        content_type = _sniff(upload)
        try:
            unreadable = content_type in ALLOWED_CONTENT_TYPES and (
                content_type.startswith("image/") and not _is_readable_image(upload)
            )
        except _TooManyPixels:
            errors.append(
                _("“%(name)s” has too many pixels; an image may have at most %(max)d million.")
                % {"name": name, "max": settings.EVIDENCE_MAX_IMAGE_PIXELS // 1_000_000}
            )
            continue
        if content_type not in ALLOWED_CONTENT_TYPES or unreadable:
            errors.append(
                _("“%(name)s” is not an image or a PDF document. Accepted: %(types)s.")
                % {"name": name, "types": ", ".join(ALLOWED_CONTENT_TYPES.values())}
            )
            continue
        checked.append(
            CheckedFile(
                upload=upload,
                original_name=name,
                content_type=content_type,
                size=upload.size,
                sha256=_sha256(upload),
            )
        )
    if total > settings.EVIDENCE_MAX_TOTAL_SIZE:
        errors.append(
            _("Your files total %(size)s; together they may be at most %(max)s.")
            % {
                "size": filesizeformat(total),
                "max": filesizeformat(settings.EVIDENCE_MAX_TOTAL_SIZE),
            }
        )
    if errors:
        raise ValidationError(errors)
    return checked

"""Evidence that is not what it claims, a decompression bomb and an oversized request are refused
with a clear message, and nothing is stored. (Files renamed to .png or .pdf, such as a Windows
program or an HTML page, are in tests/cases/test_intake.py.)"""

from __future__ import annotations

import struct
import zlib

import pytest

from cases.models import Case, Evidence
from tests.cases.helpers import complaint_post
from tests.cases.test_intake import assert_rejected, post
from tests.conftest import stored_files
from tests.factories import ServiceFactory, png_bytes, upload

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


@pytest.fixture
def service():
    return ServiceFactory(name="Instagram", organisation__name="Meta Platforms Ireland Ltd.")


def single_colour_png(width: int, height: int) -> bytes:
    """A black-and-white PNG of width x height pixels, all black, compressed to a few kilobytes:
    built chunk by chunk because Pillow would need the whole image in memory to write it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + b"\x00" * ((width + 7) // 8)  # filter byte, then 1 bit per pixel
    compressor = zlib.compressobj(9)
    pixels = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


@pytest.mark.parametrize("width, height", [(20_000, 20_000), (8_000, 8_000)])
def test_a_decompression_bomb_is_refused(client, service, private_files, width, height):
    bomb = single_colour_png(width, height)
    assert len(bomb) < 100_000  # a few kilobytes that would unpack into hundreds of megabytes
    response = post(client, complaint_post(service), [upload("screenshot.png", bomb), upload("ok.png", png_bytes())])
    assert_rejected(
        response, "“screenshot.png” has too many pixels; an image may have at most 50 million.", private_files
    )


@pytest.mark.parametrize(
    "name, content",
    [
        ("screenshot.png", b"\x89PNG\r\n\x1a\n" + b"<html><script>alert(1)</script></html>" * 20),
        ("screenshot.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    ],
    ids=["png-signature-then-html", "svg-with-script"],
)
def test_a_file_that_only_looks_like_an_image_is_refused(client, service, private_files, name, content):
    response = post(client, complaint_post(service), [upload(name, content, "image/png")])
    assert_rejected(
        response, f"“{name}” is not an image or a PDF document. Accepted: JPEG, PNG, GIF, WebP, PDF.", private_files
    )


def test_a_30_mb_file_is_refused_by_the_form(client, service, private_files):
    response = post(client, complaint_post(service), [upload("video.png", png_bytes() + b"\x00" * (30 * MB))])
    assert_rejected(response, "each file may be at most 10.0\xa0MB", private_files)


def test_a_request_larger_than_the_limit_is_refused_before_it_is_read(client, service, private_files, settings):
    files = [upload(f"part{n}.png", png_bytes() + b"\x00" * (9 * MB)) for n in range(4)]  # 36 MB
    response = post(client, complaint_post(service), files)
    assert response.status_code == 413
    assert "What you sent is larger than 35.0\xa0MB, so nothing was received or kept." in response.content.decode()
    assert (Case.objects.count(), Evidence.objects.count(), stored_files(private_files)) == (0, 0, [])


def test_form_fields_too_large_to_read_get_a_clear_page(client, service, private_files):
    response = post(client, complaint_post(service, description="x" * (6 * MB)))
    assert response.status_code == 400
    assert (
        "What you sent was refused (too large, or not what this page expects). Nothing was kept."
        in response.content.decode()
    )
    assert (Case.objects.count(), stored_files(private_files)) == (0, [])

"""Perpetrator identifiers in one canonical form, so the same account is recognised however a
complainant wrote it: profile URLs become platform and handle, handles are case-folded,
phone numbers become E.164, e-mail addresses lower-case."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import phonenumbers

# Host names of the platforms, and the key their identifiers are stored under.
PLATFORM_HOSTS = {
    "instagram.com": "instagram",
    "instagr.am": "instagram",
    "facebook.com": "facebook",
    "fb.com": "facebook",
    "m.facebook.com": "facebook",
    "messenger.com": "facebook",
    "m.me": "facebook",
    "tiktok.com": "tiktok",
    "vm.tiktok.com": "tiktok",
    "x.com": "x",
    "twitter.com": "x",
    "mobile.twitter.com": "x",
    "snapchat.com": "snapchat",
    "t.me": "telegram",
    "telegram.me": "telegram",
    "wa.me": "whatsapp",
}
# The platform key of a service complainants choose on the form.
SERVICE_PLATFORMS = {
    "instagram": "instagram",
    "facebook": "facebook",
    "messenger": "facebook",
    "tiktok": "tiktok",
    "x": "x",
    "twitter": "x",
    "snapchat": "snapchat",
    "telegram": "telegram",
    "whatsapp": "whatsapp",
}
# Path prefixes that come before the handle in profile URLs.
PATH_PREFIXES = ("add/", "u/", "people/", "profile/", "s/")


def platform_of_service(service_name: str) -> str:
    key = service_name.strip().lower()
    return SERVICE_PLATFORMS.get(key, re.sub(r"[^a-z0-9]+", "-", key).strip("-") or "other")


def normalise_phone(value: str) -> str | None:
    compact = re.sub(r"[\s\-./()]", "", value)
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    try:
        number = phonenumbers.parse(compact, None if compact.startswith("+") else "BE")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def handle(platform: str, name: str) -> str:
    return f"{platform}:{name.strip().lstrip('@').casefold()}"


def normalise_url(value: str) -> str:
    text = value.strip()
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    host = (parts.hostname or "").lower().removeprefix("www.")
    platform = PLATFORM_HOSTS.get(host)
    path = parts.path.strip("/")
    if platform is None:
        return f"url:{host}/{path.casefold()}"
    if platform == "whatsapp":
        return normalise_phone(path) or f"whatsapp:{path}"
    if platform == "facebook" and path in ("profile.php", "") and "id" in parse_qs(parts.query):
        return f"facebook:id:{parse_qs(parts.query)['id'][0]}"
    for prefix in PATH_PREFIXES:
        if path.casefold().startswith(prefix):
            path = path[len(prefix) :]
    first = path.split("/")[0] if path else ""
    return handle(platform, first)


def normalise(kind: str, value: str, service_name: str = "") -> str:
    """The canonical form of one identifier; `service_name` tells the platform of a bare handle."""
    text = value.strip()
    if kind == "phone":
        return normalise_phone(text) or text
    if kind == "email":
        return text.lower()
    if kind == "profile_url":
        return normalise_url(text)
    # An account name: a URL pasted there still counts as a URL.
    if re.match(r"^(https?://)?([a-z0-9-]+\.)+[a-z]{2,}/", text, re.IGNORECASE):
        return normalise_url(text)
    platform = platform_of_service(service_name) if service_name else "account"
    if platform == "whatsapp":
        return normalise_phone(text) or handle(platform, text)
    return handle(platform, text)


def candidates(query: str) -> list[str]:
    """Every canonical form a search text could be, to look up identifiers exactly."""
    text = query.strip()
    if not text:
        return []
    found = {text.lower()}
    phone = normalise_phone(text) if re.fullmatch(r"[+0-9\s\-./()]{6,}", text) else None
    if phone:
        found.add(phone)
    looks_like_url = "/" in text or ("." in text and "@" not in text[1:])
    if looks_like_url:
        found.add(normalise_url(text))
    name = text.lstrip("@")
    if re.fullmatch(r"[\w.\-]{1,100}", name):
        found |= {handle(platform, name) for platform in set(SERVICE_PLATFORMS.values()) | {"account"}}
    return sorted(found)

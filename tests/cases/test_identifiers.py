"""The same account is recognised however a complainant wrote it."""

from __future__ import annotations

import pytest

from cases.identifiers import normalise

CASES = [
    # (kind, value, service, canonical)
    ("profile_url", "https://www.instagram.com/Shadow_Emma/", "Instagram", "instagram:shadow_emma"),
    ("profile_url", "instagram.com/shadow_emma?igsh=abc123", "WhatsApp", "instagram:shadow_emma"),
    ("account_name", "@Shadow_Emma", "Instagram", "instagram:shadow_emma"),
    ("account_name", "SHADOW_EMMA", "Instagram", "instagram:shadow_emma"),
    ("profile_url", "https://www.facebook.com/profile.php?id=100090001", "Facebook", "facebook:id:100090001"),
    ("profile_url", "https://m.facebook.com/Jan.Peeters.77", "Messenger", "facebook:jan.peeters.77"),
    ("account_name", "jan.peeters.77", "Messenger", "facebook:jan.peeters.77"),
    ("profile_url", "https://www.tiktok.com/@Jonas_Is_A_Joke?lang=nl", "TikTok", "tiktok:jonas_is_a_joke"),
    ("account_name", "@jonas_is_a_joke", "TikTok", "tiktok:jonas_is_a_joke"),
    ("profile_url", "https://twitter.com/Anon_Brux_77/status/123456", "X", "x:anon_brux_77"),
    ("profile_url", "https://x.com/anon_brux_77", "X", "x:anon_brux_77"),
    ("account_name", "@ANON_BRUX_77", "X", "x:anon_brux_77"),
    ("profile_url", "https://www.snapchat.com/add/Louis.Exposed2026", "Snapchat", "snapchat:louis.exposed2026"),
    ("account_name", "louis.exposed2026", "Snapchat", "snapchat:louis.exposed2026"),
    ("profile_url", "https://t.me/Pay_Or_Post", "Telegram", "telegram:pay_or_post"),
    ("account_name", "@pay_or_post", "Telegram", "telegram:pay_or_post"),
    ("profile_url", "https://wa.me/32470112233", "WhatsApp", "+32470112233"),
    ("phone", "0470 11 22 33", "WhatsApp", "+32470112233"),
    ("phone", "+32 (0)470/11.22.33", "WhatsApp", "+32470112233"),
    ("phone", "0032470112233", "Mobile telephony", "+32470112233"),
    ("account_name", "0470112233", "WhatsApp", "+32470112233"),
    ("email", "Anon.Sender@ProtonMail.example", "Snapchat", "anon.sender@protonmail.example"),
]


@pytest.mark.parametrize(("kind", "value", "service", "canonical"), CASES)
def test_identifiers_are_normalised(kind, value, service, canonical):
    assert normalise(kind, value, service) == canonical

from django.conf import settings
from django.core.checks import Error, Tags, register

from ombudsman.core.crypto import MISSING_KEYS, identity_cipher


@register(Tags.security, deploy=True)
def identity_keys_configured(app_configs, **kwargs):
    if not settings.IDENTITY_KEYS:
        return [Error(MISSING_KEYS, id="ombudsman.E001")]
    try:
        identity_cipher()
    except Exception as exc:
        return [Error(str(exc), id="ombudsman.E002")]
    return []

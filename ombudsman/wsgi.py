import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ombudsman.settings")
application = get_wsgi_application()

# Load every view before the first request, then set the loaded program aside from the garbage
# collector: each full collection would otherwise walk all of Django again, request after request.
from django.urls import get_resolver  # noqa: E402 (after the settings are known)

get_resolver().url_patterns  # noqa: B018 (imports the views)
gc.collect()
gc.freeze()

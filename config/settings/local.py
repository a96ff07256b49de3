import os

from .base import *  # noqa: F403

# The demo answers like production (Chinese 404/500 pages, no tracebacks in the browser);
# DJANGO_DEBUG=1 brings Django's debug pages back while developing.
DEBUG = os.environ.get("DJANGO_DEBUG", "0") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
# Without DEBUG, runserver serves no static files: WhiteNoise does, straight from the apps.
MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

"""Static files in production: whitenoise's compressed, hashed names — and a page that still
renders when a file is missing from the manifest.

Django's manifest storage raises ``ValueError`` for any ``{% static %}`` name it cannot find
in the manifest, so before ``collectstatic`` has run (or after a file was added without
running it again) every page, the login page first, answered 500. Here such a name falls
back to its plain URL and the error is logged; the deployment steps in docs/operations.md
run ``collectstatic``.
"""

import logging

from whitenoise.storage import CompressedManifestStaticFilesStorage

log = logging.getLogger(__name__)


class ForgivingManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    manifest_strict = False

    def stored_name(self, name):
        try:
            return super().stored_name(name)
        except ValueError:
            log.error("静态文件 %s 不在清单中：请运行 manage.py collectstatic", name)
            return name

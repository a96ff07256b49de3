"""The core's pages. Each view parses its input, asks ``can``, calls selectors or one
service and renders; the scope lives in the selectors, never here."""

from .base import page_not_found, permission_denied, server_error

__all__ = ["page_not_found", "permission_denied", "server_error"]

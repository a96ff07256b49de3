from .base import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
JICENG_FIELD_KEY = "test-field-key"
JICENG_AUDIT_DIR = ""  # no checkpoint file outside the test database; tests set a tmp dir
AXES_ENABLED = True
ROUTING_INDEX_CHECK_SECONDS = 0  # tests change areas mid-test; routing must see it at once
# Tasks run in the test's thread; tests of the queue itself switch to the database backend.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Threads that tests start (live server requests, races) must not keep a connection open
# past their request, or the test database cannot be dropped at the end of the run.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# The local-memory cache outlives a test and account ids repeat between tests: only the
# tests of the limit itself set a small one (jiceng/core/tests/test_identifier_search.py).
JICENG_IDENTIFIER_SEARCH_LIMIT = 100_000

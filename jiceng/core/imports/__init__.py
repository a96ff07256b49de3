"""Excel imports (see ``base``): the core registers people with posts and grids, compounds
and buildings; other apps register theirs in their own ``imports`` module."""

from . import areas, people  # noqa: F401  (they register themselves)

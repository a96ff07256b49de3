"""The contests' pages: set-up (``setup``), judging (``judging``) and results
(``results``). Views parse input, call one selector or service and render; who sees what
is decided in ``selectors`` and ``permissions``."""

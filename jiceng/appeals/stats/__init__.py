"""The three rates (三率), their rollups, rankings and the monthly briefing (通报).

Dashboards never scan appeals: they read ``AppealRollup``, one row of counts per (area,
day received, category, channel), kept in step with every appeal change by a receiver of
``appeals_changed`` in the change's own transaction (``receiver.py``), and rebuilt from the
raw rows by ``manage.py rollups_rebuild``.
"""

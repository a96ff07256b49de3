"""The cadres part of the Shizhong demo (``manage.py load_demo``): the 2023 assessments and
their 头雁 roster, the 2024 first secondment batch (8 community secretaries and deputies,
mentors, task lists and study plans in progress, mid-term reviews), a selection round in
its publicity period with applicants screened out for stated reasons, and three training
programmes with sessions and attendance.

It runs after the core's district, people and accounts exist and uses their posts: community
secretaries and deputies found through ``core.Post``. Everything is seeded and dated, and
looked up by natural keys, so a second run creates nothing.
"""

from .assessment import load_assessments
from .secondment import load_secondment
from .selection import load_selection
from .training import load_training


def load_cadres_demo() -> int:
    created = load_assessments()
    created += load_secondment()
    created += load_selection()
    created += load_training()
    return created

"""What the cadres demo's parts share: the seed, dates, and the core's rows they use."""

import random
from datetime import date

from jiceng.core.demo.areas import DISTRICT_CODE
from jiceng.core.demo.common import REFERENCE_DATE, SEED
from jiceng.core.demo.people import DEMO_COMMUNITY, DEMO_STREET
from jiceng.core.models import Area, AreaKind, Post, PostTitle

__all__ = [
    "DEMO_COMMUNITY",
    "DEMO_STREET",
    "DISTRICT_CODE",
    "REFERENCE_DATE",
    "rng",
    "current_posts",
    "district",
]

# Communities whose secretaries mentor the 2024 batch: 乐山 and 舜华 (the article's leading
# brands) and six more drawn from other streets (see ``host_codes``).
LEADING_HOSTS = ("370103003004", "370103016005")
HOST_COUNT = 8
BATCH_STARTS = date(2024, 3, 4)
BATCH_ENDS = date(2024, 8, 30)


def rng(*parts) -> random.Random:
    return random.Random(":".join([SEED, "cadres", *map(str, parts)]))


def district() -> Area:
    return Area.objects.get(code=DISTRICT_CODE)


def current_posts(title: str, on: date) -> list[Post]:
    """Posts of a title at communities current on ``on``, in area-code order."""
    return list(
        Post.objects.current(on)
        .filter(title=title, area__kind=AreaKind.COMMUNITY)
        .select_related("person", "area")
        .order_by("area__code", "person__name", "id")
    )


def host_codes() -> list[str]:
    """The eight host communities: the two leading ones, then one community from each of six
    other streets, drawn with the seed."""
    secretaries = current_posts(PostTitle.COMMUNITY_SECRETARY, BATCH_STARTS)
    by_street: dict[str, list[str]] = {}
    for post in secretaries:
        code = post.area.code
        if code in LEADING_HOSTS or code == DEMO_COMMUNITY:
            continue
        by_street.setdefault(code[:9], []).append(code)
    taken_streets = {c[:9] for c in LEADING_HOSTS} | {DEMO_STREET}
    streets = sorted(s for s in by_street if s not in taken_streets)
    r = rng("hosts")
    chosen = r.sample(streets, HOST_COUNT - len(LEADING_HOSTS))
    return list(LEADING_HOSTS) + [r.choice(by_street[s]) for s in sorted(chosen)]

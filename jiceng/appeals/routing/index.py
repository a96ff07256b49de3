"""The in-memory routing index: every compound and building name, alias and street address
of the area tree in one character trie, the stewards of every grid and community, and
(built on first use) an STRtree over grid and community boundaries.

It is built once per process and swapped whole when the tree changes. Whether it changed
is decided on a key of cheap aggregates (count and latest ``updated_at`` of areas and of
steward posts, count and latest id of aliases, today's date), checked at most every
``settings.ROUTING_INDEX_CHECK_SECONDS`` (default 1 s), so a lookup is dict work only.
A bulk ``QuerySet.update()`` that leaves ``updated_at`` alone is not seen until the next
change or ``reset_index()``; tests set the interval to 0 and reset the index.
"""

import re
import threading
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, F, Max
from django.utils import timezone

from jiceng.core.addresses import normalize_address
from jiceng.core.models import CODE_LENGTH, Area, AreaAlias, AreaKind, Person, Post, PostTitle

GRID_LENGTH = CODE_LENGTH[AreaKind.GRID]  # a compound's grid is its code[:15]
UNIT_LENGTH = CODE_LENGTH[AreaKind.COMMUNITY]
STREET_LENGTH = CODE_LENGTH[AreaKind.STREET]

# Where a key came from, best first: a compound's own name or street address, an alias
# row, a name derived from the official one (春元里 for 春元里小区), an estate's common
# name that spans several compounds (盛世新城 for 盛世新城一区…六区).
NAME, ALIAS, DERIVED, ESTATE = 0, 1, 2, 3

_PART = re.compile(r"^(.{2,}?)(?:\d+区|\d+期|[东西南北中]区)$")
_STREET_NUMBER = re.compile(r"^(.+?[路街巷道])(\d+)号$")
# Who answers for a community or village when no grid is known (属地兜底), in order.
_FALLBACK_TITLES = (
    PostTitle.CHIEF_STEWARD,
    PostTitle.COMMUNITY_SECRETARY,
    PostTitle.VILLAGE_SECRETARY,
)
_POST_TITLES = (PostTitle.GRID_STEWARD, *_FALLBACK_TITLES)
# Areas whose names in an address narrow the search and serve as fallbacks.
_HINT_KINDS = (AreaKind.STREET, AreaKind.COMMUNITY, AreaKind.VILLAGE)


@dataclass(frozen=True)
class Candidate:
    compound: str  # compound code; its grid is code[:15]
    source: int  # NAME | ALIAS | DERIVED | ESTATE


@dataclass
class Index:
    key: tuple
    trie: dict = field(default_factory=dict)
    # normalized key -> compounds it names
    compounds: dict[str, list[Candidate]] = field(default_factory=dict)
    # normalized key -> (kind, code) of the street, community or village it names
    hints: dict[str, tuple[str, str]] = field(default_factory=dict)
    # (compound code, normalized building name) -> building code
    buildings: dict[tuple[str, str], str] = field(default_factory=dict)
    areas: dict[str, Area] = field(default_factory=dict)  # streets, units and grids by code
    stewards: dict[str, Person] = field(default_factory=dict)  # grid or unit code -> person
    # Memos filled by lookups (pure functions of the index, so they live and die with it).
    resolved: dict[tuple, tuple] = field(default_factory=dict)
    targets: dict[str, tuple] = field(default_factory=dict)
    _spatial: tuple | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add_key(self, key: str) -> None:
        node = self.trie
        for c in key:
            node = node.setdefault(c, {})
        node[None] = key

    def scan(self, text: str) -> list[tuple[int, int, str]]:
        """Leftmost-longest matches of index keys in ``text``: (start, end, key)."""
        found = []
        root = self.trie.get
        i, n = 0, len(text)
        while i < n:
            node = root(text[i])
            if node is None:
                i += 1
                continue
            best_end, best_key = 0, None
            j = i + 1
            while node is not None:
                key = node.get(None)
                # 建设路2号 in 建设路2号楼 is 建设路 and its building 2, not a house number.
                if key is not None and (key[-1] != "号" or text[j : j + 1] != "楼"):
                    best_end, best_key = j, key
                if j == n:
                    break
                node = node.get(text[j])
                j += 1
            if best_key is None:
                i += 1
            else:
                found.append((i, best_end, best_key))
                i = best_end
        return found

    def spatial(self):
        """(grid tree, grid codes, unit tree, unit codes), built on first use."""
        if self._spatial is None:
            with self._lock:
                if self._spatial is None:
                    self._spatial = _build_spatial()
        return self._spatial


def _build_spatial():
    import shapely
    from shapely.geometry import shape

    def tree(kinds):
        codes, geoms = [], []
        rows = Area.objects.filter(kind__in=kinds, boundary__isnull=False).order_by("code")
        for code, boundary in rows.values_list("code", "boundary"):
            try:
                geom = shape(boundary)
            except (AttributeError, KeyError, TypeError, ValueError, IndexError):
                continue  # a malformed boundary routes nothing rather than failing intake
            if geom.is_empty:
                continue
            shapely.prepare(geom)
            codes.append(code)
            geoms.append(geom)
        return shapely.STRtree(geoms), codes

    grids, grid_codes = tree([AreaKind.GRID])
    units, unit_codes = tree([AreaKind.COMMUNITY, AreaKind.VILLAGE])
    return grids, grid_codes, units, unit_codes


def _stem(name: str) -> str:
    """春元里 for 春元里社区; the official names carry one of these suffixes."""
    for suffix in ("社区", "街道", "村"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def _derived_names(name: str) -> list[tuple[str, int]]:
    """Names residents use for a compound besides its own, each with its source."""
    out = []
    if name.startswith("市") and len(name) >= 4:
        out.append((name[1:], DERIVED))  # 市中医院宿舍 after 济南市 is stripped
    if "小区" in name:
        short = name.replace("小区", "", 1)
        if len(short) >= 2:
            out.append((short, DERIVED))
    for a, b in (("宿舍", "家属院"), ("家属院", "宿舍")):
        if name.endswith(a):
            out.append((name[: -len(a)] + b, DERIVED))
    if name.endswith("号院"):
        out.append((name[:-1], NAME))  # 纬二路12号院 is at 纬二路12号
    part = _PART.match(name)
    if part:
        base = part.group(1)
        out.append((base, ESTATE))
        if base.endswith("小区") and len(base) > 3:
            out.append((base[:-2], ESTATE))
    return out


def _add_compound(index: Index, key: str, candidate: Candidate) -> None:
    if len(key) < 2:
        return
    bucket = index.compounds.setdefault(key, [])
    for i, existing in enumerate(bucket):
        if existing.compound == candidate.compound:
            if candidate.source < existing.source:
                bucket[i] = candidate
            return
    bucket.append(candidate)
    index.add_key(key)


def current_key() -> tuple:
    areas = Area.objects.aggregate(n=Count("id"), at=Max("updated_at"))
    aliases = AreaAlias.objects.aggregate(n=Count("id"), last=Max("id"))
    posts = Post.objects.filter(title__in=_POST_TITLES).aggregate(
        n=Count("id"), at=Max("updated_at")
    )
    return (
        timezone.localdate(),
        areas["n"],
        areas["at"],
        aliases["n"],
        aliases["last"],
        posts["n"],
        posts["at"],
    )


def build_index(key: tuple) -> Index:
    """A new index of the whole area tree; ``key`` is ``current_key()`` taken just before."""
    index = Index(key=key)
    normalized: dict[str, str] = {}

    def norm(text: str) -> str:
        value = normalized.get(text)
        if value is None:
            value = normalized[text] = normalize_address(text)
        return value

    upper = Area.objects.filter(kind__in=[*_HINT_KINDS, AreaKind.GRID]).defer("boundary")
    for area in upper:
        index.areas[area.code] = area
        if area.kind == AreaKind.GRID:
            continue
        name = norm(area.name)
        keys = {name}
        if area.kind == AreaKind.STREET:
            keys.add(_stem(name) + "街道")
        elif area.kind == AreaKind.COMMUNITY:
            keys.add(_stem(name) + "社区")
        for hint in keys:
            if len(hint) >= 3 and hint not in index.hints:
                index.hints[hint] = (area.kind, area.code)
                index.add_key(hint)

    compounds = Area.objects.filter(kind=AreaKind.COMPOUND).values_list("code", "name", "address")
    by_unit: dict[str, list[str]] = {}
    for code, name, address in compounds:
        own = norm(name)
        _add_compound(index, own, Candidate(code, NAME))
        for derived, source in _derived_names(own):
            _add_compound(index, derived, Candidate(code, source))
        street_number = _STREET_NUMBER.match(norm(address)) if address else None
        if street_number:
            _add_compound(index, street_number.group(0), Candidate(code, NAME))
            _add_compound(index, street_number.group(0) + "院", Candidate(code, DERIVED))
        unit = index.areas.get(code[:UNIT_LENGTH])
        if unit is not None and unit.kind == AreaKind.VILLAGE:
            village = norm(unit.name)
            by_unit[code] = [village + own]  # 王家窝坡村9组
            if village.endswith("村") and len(village) >= 3:
                by_unit[code].append(village[:-1] + own)  # 王家窝坡9组
    for code, village_keys in by_unit.items():
        for village_key in village_keys:
            _add_compound(index, village_key, Candidate(code, NAME))

    for code, normalized_alias, kind in AreaAlias.objects.values_list(
        "area__code", "normalized", "area__kind"
    ):
        if not normalized_alias:
            continue
        if kind == AreaKind.COMPOUND:
            _add_compound(index, normalized_alias, Candidate(code, ALIAS))
        elif kind in _HINT_KINDS and normalized_alias not in index.hints:
            index.hints[normalized_alias] = (kind, code)
            index.add_key(normalized_alias)

    compound_length = CODE_LENGTH[AreaKind.COMPOUND]
    for code, name in Area.objects.filter(kind=AreaKind.BUILDING).values_list("code", "name"):
        index.buildings[(code[:compound_length], norm(name))] = code

    posts = (
        Post.objects.current(key[0])  # the key starts with the day it was taken
        .filter(title__in=_POST_TITLES, area__isnull=False)
        .select_related("person", "area")
        .order_by(F("starts_on").asc(nulls_first=True), "id")
    )
    ranked: dict[str, tuple[int, Person]] = {}
    for post in posts:
        code = post.area.code
        if post.title == PostTitle.GRID_STEWARD:
            rank = 0 if len(code) == GRID_LENGTH else None
        else:
            rank = _FALLBACK_TITLES.index(post.title) if len(code) == UNIT_LENGTH else None
        if rank is None:
            continue
        # Latest start wins among equals: the rows come oldest first.
        if code not in ranked or rank <= ranked[code][0]:
            ranked[code] = (rank, post.person)
    index.stewards = {code: person for code, (_, person) in ranked.items()}
    return index


_state: dict = {"index": None, "checked_at": 0.0, "interval": 0.0}
_build_lock = threading.Lock()


def get_index() -> Index:
    """The current index, rebuilt when the key of the tree has changed."""
    index = _state["index"]
    now = time.monotonic()
    if index is not None and now - _state["checked_at"] < _state["interval"]:
        return index
    _state["interval"] = getattr(settings, "ROUTING_INDEX_CHECK_SECONDS", 1.0)
    key = current_key()
    if index is None or index.key != key:
        with _build_lock:
            index = _state["index"]
            if index is None or index.key != key:
                index = build_index(key)
                _state["index"] = index
    _state["checked_at"] = now
    return index


def reset_index() -> None:
    """Forget the index; the next lookup rebuilds it (tests, after bulk changes)."""
    _state["index"] = None
    _state["checked_at"] = 0.0

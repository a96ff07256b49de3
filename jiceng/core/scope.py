"""What an account may see: the union of its active role assignments' subtrees.

Selectors ask the scope for a ``Q`` and never filter by id alone. A party-organization
assignment covers that organization's subtree and the areas those organizations cover.
Which assignments open which module area-wide is the role matrix's (``access.py``): by
default only the area roles count, so a judge's, a rider's or a shared steward's assignment
opens no area-wide reads; ``module_q(module, field)`` is the query for one module.
"""

from dataclasses import dataclass, field

from django.db.models import Q

from . import access, tree
from .roles import Role

# The default roles of the area queries below: those whose assignment opens area-wide reads.
AREA_ROLES = access.AREA_ROLES

# A condition every row meets. (An empty Q() would vanish when OR-ed with another one.)
EVERYTHING = ~Q(pk__in=[])


@dataclass(frozen=True)
class Scope:
    # role -> minimal area code prefixes and party-org path prefixes it covers
    area_codes_by_role: dict[str, tuple[str, ...]] = field(default_factory=dict)
    party_paths_by_role: dict[str, tuple[str, ...]] = field(default_factory=dict)
    is_superuser: bool = False
    # The kinds of the areas the assignments name (None for an assignment on a party
    # organization): what the menu knows of the scope without another query.
    root_kinds: frozenset = frozenset()

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(self.area_codes_by_role) | frozenset(self.party_paths_by_role)

    def has_role(self, *roles: str) -> bool:
        return self.is_superuser or bool(self.roles & set(roles))

    def area_codes(self, roles=AREA_ROLES) -> list[str]:
        codes = [c for r in roles for c in self.area_codes_by_role.get(r, ())]
        return tree.minimal_prefixes(codes)

    def party_paths(self, roles=AREA_ROLES) -> list[str]:
        paths = [p for r in roles for p in self.party_paths_by_role.get(r, ())]
        return tree.minimal_prefixes(paths)

    def areas_q(self, field: str = "code", roles=AREA_ROLES) -> Q:
        """Rows whose area code (``field``) lies in the scope of any of ``roles``."""
        if self.is_superuser:
            return EVERYTHING
        return tree.forest_q(field, self.area_codes(roles))

    def party_q(
        self, path_field: str = "path", area_field: str = "area__code", roles=AREA_ROLES
    ) -> Q:
        if self.is_superuser:
            return EVERYTHING
        return tree.forest_q(path_field, self.party_paths(roles)) | tree.forest_q(
            area_field, self.area_codes(roles)
        )

    def covers_area(self, code: str, roles=AREA_ROLES) -> bool:
        if self.is_superuser:
            return True
        return any(code.startswith(c) for c in self.area_codes(roles))

    def covers_party_path(self, path: str, roles=AREA_ROLES) -> bool:
        if self.is_superuser:
            return True
        return any(path.startswith(p) for p in self.party_paths(roles))

    @property
    def sees_business_data(self) -> bool:
        """Holds a role that reads some business module area-wide."""
        return self.is_superuser or bool(self.roles & AREA_ROLES)

    def reads(self, module: str) -> bool:
        """Whether the matrix opens ``module`` to one of the account's roles (any reach)."""
        return self.is_superuser or bool(self.roles & access.reading_roles(module))

    def reach_roles(self, module: str, reach: str) -> frozenset[str]:
        """The account's roles that read ``module`` at ``reach``."""
        return frozenset(r for r in self.roles if access.reach(r, module) == reach)

    def module_q(self, module: str, field: str = "code") -> Q:
        """Rows of ``module`` whose area code (``field``) lies in the subtree of an
        assignment whose role reads that module area-wide."""
        return self.areas_q(field, roles=access.area_roles(module))

    def covers_for(self, module: str, code: str) -> bool:
        return self.covers_area(code, roles=access.area_roles(module))

    def narrowed_to(self, code: str) -> "Scope":
        """This scope within the area ``code`` (the area switcher's choice): each role keeps
        what lies inside it, and a role covering it whole covers just it. Roles stay held
        (permissions do not change), only the rows they reach. Party-organization paths are
        kept as they are: an organization is not inside an area."""
        if self.is_superuser:
            return self

        def inside(codes):
            out = [code if code.startswith(c) else c for c in codes]
            return tuple(tree.minimal_prefixes([c for c in out if c.startswith(code)]))

        return Scope(
            area_codes_by_role={r: inside(c) for r, c in self.area_codes_by_role.items()},
            party_paths_by_role=self.party_paths_by_role,
            is_superuser=False,
            root_kinds=self.root_kinds,
        )


EMPTY = Scope()


def focus_on(user, code: str | None) -> None:
    """Narrow what ``user`` sees in this request to the area ``code`` (the session's choice in
    the area switcher); every selector asking ``scope_of`` then lists only that area."""
    if code and not _whole_scope_of(user).covers_area(code):
        code = None  # a choice the account no longer covers (a role revoked) is dropped
    user._jiceng_focus = code or None
    user.__dict__.pop("_jiceng_focused_scope", None)


def scope_of(user, *, whole: bool = False) -> Scope:
    """The user's scope today, within the area the user chose with the switcher unless
    ``whole`` (the switcher itself, and what an account may do, use the whole scope)."""
    full = _whole_scope_of(user)
    focus = getattr(user, "_jiceng_focus", None)
    if whole or not focus or full is EMPTY:
        return full
    cached = getattr(user, "_jiceng_focused_scope", None)
    if cached is None or cached[0] != focus:
        cached = (focus, full.narrowed_to(focus))
        user._jiceng_focused_scope = cached
    return cached[1]


def _whole_scope_of(user) -> Scope:
    """Computed once per request (cached on the user object)."""
    if user is None or not user.is_authenticated:
        return EMPTY
    cached = getattr(user, "_jiceng_scope", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        user._jiceng_scope = Scope(is_superuser=True)
        return user._jiceng_scope
    from .models import Area, PartyOrg, RoleAssignment

    areas: dict[str, list[str]] = {}
    parties: dict[str, list[str]] = {}
    assignments = (
        RoleAssignment.objects.active().filter(user=user).select_related("area", "party_org")
    )
    kinds = set()
    for a in assignments:
        if a.area_id:
            areas.setdefault(a.role, []).append(a.area.code)
            kinds.add(a.area.kind)
        elif a.party_org_id:
            parties.setdefault(a.role, []).append(a.party_org.path)
            kinds.add(None)
    for role, paths in parties.items():
        covered = Area.objects.filter(
            covering_party_orgs__in=PartyOrg.objects.filter(tree.forest_q("path", paths))
        ).values_list("code", flat=True)
        areas.setdefault(role, []).extend(covered)
    scope = Scope(
        area_codes_by_role={r: tuple(tree.minimal_prefixes(c)) for r, c in areas.items()},
        party_paths_by_role={r: tuple(tree.minimal_prefixes(p)) for r, p in parties.items()},
        is_superuser=user.is_superuser,
        root_kinds=frozenset(kinds),
    )
    user._jiceng_scope = scope
    return scope


def primary_role(user) -> str | None:
    """The role whose home page the user lands on: the widest one they hold."""
    scope = scope_of(user, whole=True)
    for role in Role:
        if role in scope.roles:
            return role
    return None

"""One demo login per role (username = the role code) plus the superuser ``admin``."""

from dataclasses import dataclass

from ..models import Area, RoleAssignment, User
from ..roles import Role
from .areas import DISTRICT_CODE
from .people import DEMO_COMMUNITY, DEMO_GRID, DEMO_STREET, FIRST_SECRETARY_VILLAGE

PASSWORD = "Jiceng@2024"
SUPERUSER = "admin"

# role -> code of the area its demo login is scoped to
SCOPES = {
    Role.DISTRICT_ADMIN: DISTRICT_CODE,
    Role.STREET_STAFF: DEMO_STREET,
    Role.COMMUNITY_STAFF: DEMO_COMMUNITY,
    Role.CHIEF_STEWARD: DEMO_COMMUNITY,
    Role.GRID_STEWARD: DEMO_GRID,
    Role.SHARED_STEWARD: DEMO_GRID,
    Role.RIDER: DEMO_GRID,
    Role.FIRST_SECRETARY: FIRST_SECRETARY_VILLAGE,
    Role.JUDGE: DISTRICT_CODE,
    Role.AUDITOR: DISTRICT_CODE,
    Role.SECURITY_ADMIN: DISTRICT_CODE,
}


@dataclass(frozen=True)
class Login:
    username: str
    role: str
    scope: str


def sync_accounts(
    people: dict[str, int], accounts: dict[str, str]
) -> tuple[list[Login], dict[str, int]]:
    """Create the missing demo users and role assignments. ``people`` maps ID numbers to
    person ids, ``accounts`` roles to the ID number of the person behind the login.
    An existing user is left as it is (its password is not reset)."""
    areas = {a.code: a for a in Area.objects.filter(code__in=set(SCOPES.values()))}
    taken = set(User.objects.filter(person_id__isnull=False).values_list("person_id", flat=True))
    created = {"users": 0, "role_assignments": 0}
    logins = [Login(SUPERUSER, "超级管理员", "全部")]
    if _user(SUPERUSER, full_name="系统管理员", person_id=None, superuser=True)[1]:
        created["users"] += 1
    for role, code in SCOPES.items():
        person_id = people.get(accounts.get(role, ""))
        if person_id in taken:
            person_id = None
        user, new = _user(role.value, full_name=role.label, person_id=person_id)
        created["users"] += new
        area = areas[code]
        if not RoleAssignment.objects.filter(user=user, role=role, area=area).exists():
            RoleAssignment.objects.create(user=user, role=role, area=area)
            created["role_assignments"] += 1
        logins.append(Login(user.username, role.label, area.name))
    return logins, created


def _user(
    username: str, *, full_name: str, person_id: int | None, superuser: bool = False
) -> tuple[User, bool]:
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user, False
    user = User(username=username, person_id=person_id, is_staff=superuser, is_superuser=superuser)
    if person_id is None:
        user.first_name = full_name
    user.set_password(PASSWORD)
    user.save()
    return user, True

"""Role codes of DESIGN §1 and what each role may do across apps."""

from django.db import models


class Role(models.TextChoices):
    DISTRICT_ADMIN = "district_admin", "区级管理员"
    STREET_STAFF = "street_staff", "街道工作人员"
    COMMUNITY_STAFF = "community_staff", "社区/村工作人员"
    CHIEF_STEWARD = "chief_steward", "总管家"
    GRID_STEWARD = "grid_steward", "网格管家"
    SHARED_STEWARD = "shared_steward", "共享管家"
    RIDER = "rider", "骑士网格员"
    FIRST_SECRETARY = "first_secretary", "第一书记"
    JUDGE = "judge", "评委"
    AUDITOR = "auditor", "审计管理员"
    SECURITY_ADMIN = "security_admin", "安全管理员"


# "三员分立": these two roles run the system and read its log; they see no business data.
SYSTEM_ROLES = frozenset({Role.AUDITOR, Role.SECURITY_ADMIN})
BUSINESS_ROLES = frozenset(Role) - SYSTEM_ROLES

# Roles that may see a phone or ID number in clear (each reveal is audited).
REVEAL_ROLES = frozenset({Role.DISTRICT_ADMIN, Role.STREET_STAFF, Role.COMMUNITY_STAFF})

# Roles that may create and edit areas, people and posts inside their scope.
EDITOR_ROLES = frozenset({Role.DISTRICT_ADMIN, Role.STREET_STAFF, Role.COMMUNITY_STAFF})

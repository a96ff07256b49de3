from django.db import models
from django.urls import reverse

from jiceng.core import tree
from jiceng.core.models import Area

# Each level of the party tree adds this many digits to the path (room for 9,999 siblings).
PATH_STEP = 4


class PartyOrgKind(models.TextChoices):
    WORKING_COMMITTEE = "working_committee", "党工委"
    COMMITTEE = "committee", "党委"
    GENERAL_BRANCH = "general_branch", "党总支"
    BRANCH = "branch", "党支部"
    GROUP = "group", "党小组"
    JOINT_COMMITTEE = "joint_committee", "联合党委"
    CONSORTIUM = "consortium", "党建联合体"
    ENTERPRISE_BRANCH = "enterprise_branch", "企业党支部"
    JOINT_BRANCH = "joint_branch", "联合党支部"


class PartyOrgQuerySet(models.QuerySet):
    def subtree(self, path: str) -> "PartyOrgQuerySet":
        return self.filter(tree.subtree_q("path", path))


class PartyOrg(models.Model):
    """A party organization. Its own tree with a digit materialized path (``PATH_STEP``
    digits per level, the parent's path as prefix), linked to the areas it covers."""

    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=32, choices=PartyOrgKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级党组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField("路径", max_length=64, unique=True)
    area = models.ForeignKey(
        Area, verbose_name="所在区域", on_delete=models.PROTECT, related_name="party_orgs_based"
    )
    covered_areas = models.ManyToManyField(
        Area, verbose_name="覆盖区域", blank=True, related_name="covering_party_orgs"
    )
    founded_on = models.DateField("成立日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PartyOrgQuerySet.as_manager()

    class Meta:
        verbose_name = "党组织"
        verbose_name_plural = "党组织"
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("party:org_detail", kwargs={"pk": self.pk})

    @property
    def depth(self) -> int:
        return len(self.path) // PATH_STEP - 1

"""What the contests' services share: the admin check and row locks."""

from jiceng.core.errors import PermissionDenied

from ..models import Contest
from ..permissions import can


def require_admin(by, contest: Contest) -> None:
    if by is not None and not can(by, "manage", contest):
        raise PermissionDenied("只有大赛管理员（区级管理员）可以进行此操作。")


def lock_row(model, pk):
    """The row, locked until the caller's transaction ends (the caller is in one)."""
    return model.objects.select_for_update().get(pk=pk)

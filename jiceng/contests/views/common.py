"""What the contests' views share."""

from django.contrib import messages

from jiceng.core.errors import ApplicationError
from jiceng.core.views.base import BusinessView, form_error  # noqa: F401  (re-exported to the views)

from ..permissions import can


class ContestsView(BusinessView):
    """Pages of the module: business roles that have something to see here."""

    denied_message = "您的角色无权访问项目路演大赛。"

    def allowed(self, user) -> bool:
        return can(user, "view_module")


def flash_error(request, error: ApplicationError) -> None:
    messages.error(request, error.message)

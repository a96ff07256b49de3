"""What the contests' views share."""

from django.contrib import messages

from jiceng.core.errors import ApplicationError
from jiceng.core.views.base import BusinessView

from ..permissions import can


class ContestsView(BusinessView):
    """Pages of the module: business roles that have something to see here."""

    denied_message = "您的角色无权访问项目路演大赛。"

    def allowed(self, user) -> bool:
        return can(user, "view_module")


def form_error(form, error: ApplicationError) -> None:
    """Attach a service's refusal to the form field it names (or to the whole form)."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def flash_error(request, error: ApplicationError) -> None:
    messages.error(request, error.message)

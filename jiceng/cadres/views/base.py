"""What the cadres pages share: who may open them, and the shape of a form's POST."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from jiceng.core.errors import PermissionDenied, ValidationFailed
from jiceng.core.views.base import AppView

from ..permissions import can


class CadresView(AppView):
    denied_message = "审计管理员和安全管理员不能查看队伍建设数据。"

    def allowed(self, user) -> bool:
        return can(user, "view")


class PersonnelView(CadresView):
    """Selection files and assessment scores."""

    denied_message = "只有组织部门和社区（村）工作人员可以查看选配和考评信息。"

    def allowed(self, user) -> bool:
        return can(user, "view_personnel")


def area_choices(form, field: str, areas) -> None:
    """Offer ``areas`` (already filtered by scope) in ``field``; ``form.areas`` maps the
    submitted value back to the row."""
    form.areas = {str(a.pk): a for a in areas}
    form.fields[field].choices = [
        (key, f"{a.name}（{a.get_kind_display()}）") for key, a in form.areas.items()
    ]


def year_param(request, default: int | None) -> int | None:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else default


class ActionView(CadresView):
    """A POST that changes one row: find it through a selector (out of scope: 404), ask the
    policy (403), parse the form, call one service, and go back to the page with a message.

    Subclasses set ``action`` (asked of ``permissions.can`` with the row), ``form_class``
    and ``success``, and implement ``target`` and ``perform``."""

    http_method_names = ["post"]
    action = ""
    form_class = None
    success = ""

    def target(self, user, pk):
        raise NotImplementedError

    def perform(self, user, obj, form):
        raise NotImplementedError

    def make_form(self, request, obj):
        return self.form_class(request.POST)

    def subject(self, obj):
        """What ``action`` is asked about: the row itself unless a subclass says otherwise."""
        return obj

    def back(self, obj) -> str:
        return obj.get_absolute_url()

    def post(self, request, pk):
        obj = self.target(request.user, pk)
        if self.action and not can(request.user, self.action, self.subject(obj)):
            raise PermissionDenied(_("您无权进行此项操作。"))
        form = self.make_form(request, obj)
        # A refusal goes back to the top of the page, where the message shows; a success to
        # the part of the page it changed.
        if not form.is_valid():
            messages.error(request, form.first_error())
            return redirect(self.back(obj).split("#")[0])
        try:
            self.perform(request.user, obj, form)
        except ValidationFailed as e:
            messages.error(request, e.message)
            return redirect(self.back(obj).split("#")[0])
        messages.success(request, self.success)
        return redirect(self.back(obj))


class CreateView(CadresView):
    """A page with one creation form (programme, batch, round, scheme)."""

    template_name = "cadres/form_page.html"
    title = ""
    intro = ""
    back_url_name = ""
    form_class = None

    def allowed(self, user) -> bool:
        return can(user, "organize")

    def make_form(self, request, data=None):
        raise NotImplementedError

    def perform(self, user, form):
        raise NotImplementedError

    def render_form(self, request, form, status=200):
        return render(
            request,
            self.template_name,
            {"form": form, "title": self.title, "intro": self.intro, "back": self.back_url_name},
            status=status,
        )

    def get(self, request):
        return self.render_form(request, self.make_form(request))

    def post(self, request):
        form = self.make_form(request, request.POST)
        if form.is_valid():
            try:
                row = self.perform(request.user, form)
            except ValidationFailed as e:
                form.add_error(e.field if e.field in form.fields else None, e.message)
            else:
                messages.success(request, _("已创建：%(name)s") % {"name": row})
                return redirect(row.get_absolute_url())
        return self.render_form(request, form, status=400)

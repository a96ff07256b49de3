"""People: the list, the page, and the audited reveal of masked numbers."""

from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from .. import selectors, services
from ..errors import NotFound, PermissionDenied, ValidationFailed
from ..forms import (
    PersonFilterForm,
)
from ..permissions import can
from .base import BusinessView, error_response, paginate


class PersonListView(BusinessView):
    def get(self, request):
        user = request.user
        form = PersonFilterForm(request.GET)
        people = None
        area = None
        if form.is_valid():
            if code := form.cleaned_data["area"]:
                try:
                    area = selectors.area_get_for(user=user, code=code)
                except NotFound as e:
                    form.add_error("area", e.message)
        if form.is_valid():
            people = paginate(
                request,
                selectors.person_list_visible_to(
                    user=user, under=area, text=form.cleaned_data["q"]
                ),
            )
        return render(
            request,
            "core/person_list.html",
            {
                "form": form,
                "people": people,
                "area": area,
                "area_choices": selectors.area_filter_choices(user=user),
            },
        )


class PersonDetailView(BusinessView):
    def get(self, request, pk):
        person = selectors.person_get_for(user=request.user, pk=pk)
        return render(
            request,
            "core/person_detail.html",
            {
                "person": person,
                "posts": person.posts.all(),
                "can_reveal": can(request.user, "reveal_pii", person),
            },
        )


@method_decorator(never_cache, name="dispatch")
class PersonRevealView(BusinessView):
    http_method_names = ["post"]

    def post(self, request, pk, field):
        person = selectors.person_get_for(user=request.user, pk=pk)
        if not can(request.user, "reveal_pii", person):
            raise PermissionDenied(_("您的角色无权查看完整的个人信息。"))
        try:
            value = services.person_reveal(by=request.user, person=person, field=field)
        except ValidationFailed as e:
            return error_response(request, 400, e.message)
        return render(request, "core/_revealed.html", {"value": value, "field": field})

"""People: the list, the page, the audited reveal of masked numbers, and the forms that
register and edit people and their posts."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from .. import ratelimit, selectors, services
from ..errors import NotFound, PermissionDenied, RateLimited, ValidationFailed
from ..forms import (
    PersonFilterForm,
    PersonForm,
    PostCreateForm,
    PostEndForm,
    post_label,
)
from ..identifier_search import may_search_by_identifier
from ..permissions import can
from .base import BusinessView, error_response, paginate, safe_next


class PersonListView(BusinessView):
    module = "people"

    def get(self, request):
        user = request.user
        form = PersonFilterForm(request.GET)
        people = None
        area = None
        status = 200
        if form.is_valid():
            if code := form.cleaned_data["area"]:
                try:
                    area = selectors.area_get_for(user=user, code=code)
                except NotFound as e:
                    form.add_error("area", e.message)
        if form.is_valid() and form.cleaned_data["q"]:
            # Searches are counted per account: the register is not to be enumerated.
            try:
                ratelimit.check("people.search", f"user:{user.pk}")
            except ratelimit.RateLimited as e:
                return ratelimit.too_many(request, e)
        if form.is_valid():
            try:
                people = paginate(
                    request,
                    selectors.person_list_visible_to(
                        user=user, under=area, text=form.cleaned_data["q"]
                    ),
                )
            except (ValidationFailed, PermissionDenied) as e:
                # A number from a role that may not search by it, a partial number, or
                # too many searches by number: said at the field, nothing matched.
                form.add_error("q", e.message)
                status = _refusal_status(e)
        return render(
            request,
            "core/person_list.html",
            {
                "form": form,
                "people": people,
                "area": area,
                "area_choices": selectors.area_filter_choices(user=user),
                "can_create": can(user, "edit_some_area"),
                "may_search_numbers": may_search_by_identifier(user),
            },
            status=status,
        )


def _refusal_status(error) -> int:
    if isinstance(error, RateLimited):
        return 429
    return 403 if isinstance(error, PermissionDenied) else 400


class PersonDetailView(BusinessView):
    module = "people"

    def get(self, request, pk):
        user = request.user
        person = selectors.person_get_for(user=user, pk=pk)
        posts = person.posts.all()
        return render(
            request,
            "core/person_detail.html",
            {
                "person": person,
                "posts": posts,
                "can_reveal": can(user, "reveal_pii", person),
                "can_edit": can(user, "edit_person", person),
                "can_add_post": can(user, "edit_some_area"),
                "endable_post_ids": {
                    p.pk for p in posts if p.is_current and can(user, "edit_post", p)
                },
            },
        )


@method_decorator(never_cache, name="dispatch")
class PersonRevealView(BusinessView):
    module = "people"
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


# ---- editing ----------------------------------------------------------------------------


def require_editor(user) -> None:
    if not can(user, "edit_some_area"):
        raise PermissionDenied(_("您的角色无权登记或修改人员与职务。"))


def resolve_area(request, form, field: str = "area"):
    """The editable area whose code the form holds, or None with the reason on the form."""
    code = form.cleaned_data.get(field)
    if not code:
        return None
    try:
        return selectors.area_editable_get_for(user=request.user, code=code.strip())
    except NotFound as e:
        form.add_error(field, e.message)
        return None


def person_form_page(request, form, *, title, person=None, near=None):
    return render(
        request,
        "core/person_form.html",
        {
            "form": form,
            "person": person,
            "title": title,
            "submit_label": _("保存") if person else _("登记"),
            "area_choices": selectors.area_code_choices(user=request.user, near=near),
            "cancel_url": (
                person.get_absolute_url()
                if person
                else safe_next(request, reverse("core:person_list"))
            ),
        },
    )


class PersonCreateView(BusinessView):
    """A new person; ``?area=`` preselects an area the user may edit."""

    module = "people"

    def get(self, request):
        require_editor(request.user)
        area = None
        if code := request.GET.get("area", ""):
            try:
                area = selectors.area_editable_get_for(user=request.user, code=code)
            except NotFound:
                area = None
        form = PersonForm(initial={"area": area.code} if area else {})
        return self.page(request, form, area)

    def post(self, request):
        require_editor(request.user)
        form = PersonForm(request.POST)
        area = resolve_area(request, form) if form.is_valid() else None
        if area is not None:
            try:
                person = services.person_create(
                    by=request.user, **form.service_fields(area=area, keep_blank=False)
                )
            except ValidationFailed as e:
                form.apply_error(e)
            else:
                messages.success(request, _("已登记人员%(name)s。") % {"name": person.name})
                return redirect(person)
        return self.page(request, form, area)

    def page(self, request, form, area):
        return person_form_page(request, form, title=_("新增人员"), near=area)


class PersonEditView(BusinessView):
    module = "people"

    def get(self, request, pk):
        person = self.editable_person(request, pk)
        form = PersonForm(
            person=person,
            initial={
                "name": person.name,
                "sex": person.sex,
                "birth_date": person.birth_date,
                "education": person.education,
                "political_status": person.political_status,
                "party_joined_on": person.party_joined_on,
                "area": person.area.code,
            },
        )
        return self.page(request, form, person)

    def post(self, request, pk):
        person = self.editable_person(request, pk)
        form = PersonForm(request.POST, person=person)
        if form.is_valid():
            same = form.cleaned_data["area"].strip() == person.area.code
            area = person.area if same else resolve_area(request, form)
            if area is not None:
                try:
                    person = services.person_update(
                        by=request.user,
                        person=person,
                        **form.service_fields(area=area, keep_blank=True),
                    )
                except ValidationFailed as e:
                    form.apply_error(e)
                else:
                    messages.success(request, _("已保存%(name)s的信息。") % {"name": person.name})
                    return redirect(person)
        return self.page(request, form, person)

    def editable_person(self, request, pk):
        person = selectors.person_get_for(user=request.user, pk=pk)
        if not can(request.user, "edit_person", person):
            raise PermissionDenied(_("您的角色无权修改该人员的信息。"))
        return person

    def page(self, request, form, person):
        return person_form_page(
            request,
            form,
            title=_("编辑人员：%(name)s") % {"name": person.name},
            person=person,
            near=person.area,
        )


class PersonPostCreateView(BusinessView):
    """A new post of this person, at an area given by code and/or a party organization."""

    module = "people"

    def get(self, request, pk):
        person = self.person(request, pk)
        home = person.area.code if can(request.user, "create_person_in", person.area) else None
        form = PostCreateForm(orgs=self.orgs(request), initial={"area": home} if home else {})
        return self.page(request, person, form)

    def post(self, request, pk):
        person = self.person(request, pk)
        orgs = self.orgs(request)
        form = PostCreateForm(request.POST, orgs=orgs)
        if form.is_valid():
            data = form.cleaned_data
            area = resolve_area(request, form)
            org = next((o for o in orgs if str(o.pk) == data["party_org"]), None)
            if not form.errors:
                try:
                    post = services.post_create(
                        by=request.user,
                        person=person,
                        title=data["title"],
                        area=area,
                        party_org=org,
                        starts_on=data["starts_on"],
                        ends_on=data["ends_on"],
                    )
                except ValidationFailed as e:
                    form.apply_error(e)
                else:
                    messages.success(
                        request,
                        _("已为%(person)s新增职务：%(post)s。")
                        % {"person": person.name, "post": post_label(post)},
                    )
                    return redirect(person)
        return self.page(request, person, form)

    def person(self, request, pk):
        person = selectors.person_get_for(user=request.user, pk=pk)
        require_editor(request.user)
        return person

    def orgs(self, request):
        return list(selectors.party_org_list_editable_by(user=request.user))

    def page(self, request, person, form):
        return render(
            request,
            "core/post_form.html",
            {
                "person": person,
                "form": form,
                "title": _("为%(name)s新增职务") % {"name": person.name},
                "area_choices": selectors.area_code_choices(user=request.user, near=person.area),
                "cancel_url": person.get_absolute_url(),
                "submit_label": _("新增职务"),
            },
        )


class PostEndView(BusinessView):
    """End one of the person's current posts; ``?post=`` preselects it, ``?next=`` is
    where to return (the area page the user came from)."""

    module = "people"

    def get(self, request, pk):
        person, posts = self.person_and_posts(request, pk)
        form = PostEndForm(
            posts=posts,
            initial={
                "post": request.GET.get("post", ""),
                "ends_on": timezone.localdate(),
                "next": safe_next(request, ""),
            },
        )
        return self.page(request, person, posts, form)

    def post(self, request, pk):
        person, posts = self.person_and_posts(request, pk)
        form = PostEndForm(request.POST, posts=posts)
        if form.is_valid():
            post = next(p for p in posts if str(p.pk) == form.cleaned_data["post"])
            try:
                services.post_end(by=request.user, post=post, ends_on=form.cleaned_data["ends_on"])
            except ValidationFailed as e:
                form.apply_error(e)
            else:
                messages.success(
                    request,
                    _("已登记%(person)s于 %(date)s 离任%(post)s。")
                    % {
                        "person": person.name,
                        "date": f"{form.cleaned_data['ends_on']:%Y-%m-%d}",
                        "post": post_label(post),
                    },
                )
                return redirect(safe_next(request, person.get_absolute_url()))
        return self.page(request, person, posts, form)

    def person_and_posts(self, request, pk):
        person = selectors.person_get_for(user=request.user, pk=pk)
        require_editor(request.user)
        return person, selectors.post_list_endable(user=request.user, person=person)

    def page(self, request, person, posts, form):
        return render(
            request,
            "core/post_form.html",
            {
                "person": person,
                "form": form,
                "ending": True,
                "has_posts": bool(posts),
                "title": _("%(name)s 离任") % {"name": person.name},
                "cancel_url": safe_next(request, person.get_absolute_url()),
                "submit_label": _("确认离任"),
            },
        )

"""Projects: the list, registration, and a project's milestones, timeline and photos."""

from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache

from jiceng.core.errors import NotFound, PermissionDenied

from .. import selectors, services
from ..forms import MilestoneForm, NoteForm, PhotoForm, ProgressForm, ProjectForm, ProjectStatusForm
from ..models import ProjectStatus
from ..permissions import PROJECT_ROLES, can
from ..progress import flatten, milestone_tree, project_progress
from .base import RuralView, looked_at_area, paginate, require, run_service


class ProjectListView(RuralView):
    def get(self, request):
        user = request.user
        area = looked_at_area(request)
        if area is None:
            raise PermissionDenied("您的账号没有乡村振兴数据的管辖范围。")
        status = request.GET.get("status", "")
        status = status if status in ProjectStatus.values else ""
        origin = request.GET.get("origin", "")
        by_fs = {"fs": True, "other": False}.get(origin)
        page = paginate(
            request,
            selectors.project_list_visible_to(
                user=user, under=area, status=status, by_first_secretary=by_fs
            ).order_by("-introduced_on", "id"),
        )
        return render(
            request,
            "rural/project_list.html",
            {
                "section": "projects",
                "area": area,
                "area_query": f"?area={area.code}",
                "page": page,
                "projects": selectors.projects_with_progress(page.object_list),
                "status": status,
                "origin": origin,
                "statuses": ProjectStatus.choices,
                "area_options": selectors.area_choices(user=user),
                "can_create": can(user, "create_project"),
            },
        )


class ProjectCreateView(RuralView):
    def allowed(self, user) -> bool:
        return can(user, "create_project")

    denied_message = "您的角色无权登记项目。"

    def get(self, request):
        initial = {"status": ProjectStatus.PLANNED, "introduced_on": timezone.localdate()}
        if code := request.GET.get("village"):
            initial["area"] = code
        return self._render(request, self._form(request, initial=initial))

    def post(self, request):
        user = request.user
        form = self._form(request, data=request.POST)
        if form.is_valid():
            d = form.cleaned_data
            village = selectors.area_choices(user=user, roles=PROJECT_ROLES, kinds=["village"])
            village = village.filter(code=d["area"]).first()
            if village is None:
                form.add_error("area", "请选择所在村。")
            else:
                dispatch = supporter = None
                try:
                    if d["first_secretary"]:
                        dispatch = selectors.first_secretary_get_for(
                            user=user, pk=int(d["first_secretary"])
                        )
                    if d["supporter"]:
                        supporter = selectors.supporter_get_for(user=user, pk=int(d["supporter"]))
                except NotFound as e:
                    form.add_error(None, e.message)
                if not form.errors:
                    project = run_service(
                        request,
                        form,
                        lambda d: services.project_create(
                            by=user,
                            area=village,
                            name=d["name"],
                            partner=d["partner"],
                            supporter=supporter,
                            first_secretary=dispatch,
                            introduced_on=d["introduced_on"],
                            investment=d["investment"] or 0,
                            income_contribution=d["income_contribution"] or 0,
                            model=d["model"],
                            status=d["status"] or ProjectStatus.PLANNED,
                            description=d["description"],
                        ),
                        success="已登记项目。",
                    )
                    if project is not None:
                        return redirect(project.get_absolute_url())
        return self._render(request, form, status=400)

    @staticmethod
    def _form(request, data=None, initial=None):
        user = request.user
        form = ProjectForm(data, initial=initial)
        villages = selectors.area_choices(user=user, roles=PROJECT_ROLES, kinds=["village"])
        form.set_choices("area", [(v.code, v.name) for v in villages])
        form.set_choices(
            "first_secretary",
            [
                (d.pk, f"{d.person.name}（{d.area.name}）")
                for d in selectors.first_secretary_list_visible_to(user=user).order_by(
                    "area__code", "-starts_on"
                )
            ],
        )
        form.set_choices(
            "supporter", [(s.pk, s.name) for s in selectors.supporter_list_visible_to(user=user)]
        )
        return form

    @staticmethod
    def _render(request, form, status=200):
        return render(
            request,
            "rural/form_page.html",
            {
                "section": "projects",
                "form": form,
                "title": "登记引进项目",
                "intro": "第一书记引进的项目请选择“引进的第一书记”，计入第一书记工作成效。",
                "cancel": "rural:project_list",
            },
            status=status,
        )


class ProjectEditView(RuralView):
    """The project's facts (status, milestones and photos have their own forms)."""

    def get(self, request, pk):
        project = self._project(request, pk)
        initial = {
            "area": project.area.code,
            "name": project.name,
            "partner": project.partner,
            "supporter": project.supporter_id or "",
            "first_secretary": project.first_secretary_id or "",
            "introduced_on": project.introduced_on,
            "investment": project.investment,
            "income_contribution": project.income_contribution,
            "model": project.model,
            "status": project.status,
            "description": project.description,
        }
        return self._render(request, project, self._form(request, project, initial=initial))

    def post(self, request, pk):
        user = request.user
        project = self._project(request, pk)
        form = self._form(request, project, data=request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                dispatch = (
                    selectors.first_secretary_get_for(user=user, pk=int(d["first_secretary"]))
                    if d["first_secretary"]
                    else None
                )
                supporter = (
                    selectors.supporter_get_for(user=user, pk=int(d["supporter"]))
                    if d["supporter"]
                    else None
                )
            except NotFound as e:
                form.add_error(None, e.message)
            else:
                done = run_service(
                    request,
                    form,
                    lambda d: services.project_update(
                        by=user,
                        project=project,
                        name=d["name"],
                        partner=d["partner"],
                        supporter=supporter,
                        first_secretary=dispatch,
                        introduced_on=d["introduced_on"],
                        investment=d["investment"] or 0,
                        income_contribution=d["income_contribution"] or 0,
                        model=d["model"],
                        description=d["description"],
                    ),
                    success="已保存项目信息。",
                )
                if done is not None:
                    return redirect(project.get_absolute_url())
        return self._render(request, project, form, status=400)

    @staticmethod
    def _project(request, pk):
        project = selectors.project_get_for(user=request.user, pk=pk)
        require(request.user, "edit_project", project.area, "您无权修改该项目。")
        return project

    @staticmethod
    def _form(request, project, data=None, initial=None):
        form = ProjectCreateView._form(request, data=data, initial=initial)
        # The village and the status are not changed here.
        form.fields["area"].choices = [(project.area.code, project.area.name)]
        form.fields["area"].disabled = True
        form.fields["area"].required = False
        form.fields["status"].disabled = True
        form.fields["first_secretary"].choices = [("", "—")] + [
            (str(d.pk), f"{d.person.name}（{d.starts_on:%Y-%m-%d} 起）")
            for d in selectors.first_secretary_list_visible_to(user=request.user).filter(
                area=project.area
            )
        ]
        return form

    @staticmethod
    def _render(request, project, form, status=200):
        return render(
            request,
            "rural/form_page.html",
            {
                "section": "projects",
                "form": form,
                "title": f"编辑项目 · {project.name}",
                "intro": "状态、节点和照片请在项目页面分别更新。",
                "cancel": "rural:project_list",
            },
            status=status,
        )


class ProjectDetailView(RuralView):
    def get(self, request, pk):
        return self.render_page(request, pk)

    def render_page(self, request, pk, forms=None, status=200):
        user = request.user
        project = selectors.project_get_for(user=user, pk=pk)
        milestones = list(project.milestones.all())
        nodes = flatten(milestone_tree(milestones))
        can_edit = can(user, "edit_project", project.area)
        forms = forms or {}
        if can_edit:
            forms.setdefault("status", ProjectStatusForm(initial={"on": timezone.localdate()}))
            milestone_form = forms.setdefault("milestone", MilestoneForm(initial={"weight": "1"}))
            milestone_form.set_choices(
                "parent", [(n.milestone.pk, n.milestone.name) for n in nodes if n.depth < 2]
            )
            forms.setdefault("note", NoteForm(initial={"on": timezone.localdate()}))
            forms.setdefault("photo", PhotoForm())
        return render(
            request,
            "rural/project_detail.html",
            {
                "section": "projects",
                "project": project,
                "progress": project_progress(milestones),
                "nodes": nodes,
                "events": project.events.all(),
                "photos": project.photos.all(),
                "can_edit": can_edit,
                "forms": forms,
                "error_node": forms.get("progress_node"),
            },
            status=status,
        )


class _ProjectWrite(RuralView):
    """A POST that changes one project; on a refused input the page shows the form again."""

    http_method_names = ["post"]
    form_class = None
    form_key = ""
    success = ""

    def post(self, request, pk):
        project = selectors.project_get_for(user=request.user, pk=pk)
        require(request.user, "edit_project", project.area, "您无权修改该项目。")
        form = self.make_form(request)
        if form.is_valid():
            done = run_service(
                request, form, lambda d: self.call(request, project, d), success=self.success
            )
            if done is not None:
                return redirect(project.get_absolute_url())
        return ProjectDetailView().render_page(request, pk, forms={self.form_key: form}, status=400)

    def make_form(self, request):
        return self.form_class(request.POST)


class ProjectStatusView(_ProjectWrite):
    form_class, form_key, success = ProjectStatusForm, "status", "已变更项目状态。"

    def call(self, request, project, d):
        return services.project_set_status(
            by=request.user, project=project, status=d["status"], on=d["on"], note=d["note"]
        )


class ProjectNoteView(_ProjectWrite):
    form_class, form_key, success = NoteForm, "note", "已记录项目进展。"

    def call(self, request, project, d):
        return services.project_note_add(
            by=request.user, project=project, text=d["text"], on=d["on"]
        )


class MilestoneCreateView(_ProjectWrite):
    form_class, form_key, success = MilestoneForm, "milestone", "已增加项目节点。"

    def make_form(self, request):
        form = MilestoneForm(request.POST)
        # Any milestone id is accepted here; the service checks it belongs to the project.
        form.fields["parent"].choices = [("", "—"), (request.POST.get("parent", ""), "")]
        return form

    def call(self, request, project, d):
        parent = None
        if d["parent"]:
            parent = next((m for m in project.milestones.all() if str(m.pk) == d["parent"]), None)
            if parent is None:
                raise NotFound("上级节点不属于该项目。")
        return services.milestone_create(
            by=request.user,
            project=project,
            name=d["name"],
            weight=d["weight"] or 1,
            parent=parent,
            planned_on=d["planned_on"],
        )


class ProjectPhotoUploadView(_ProjectWrite):
    form_class, form_key, success = PhotoForm, "photo", "已上传照片。"

    def make_form(self, request):
        return PhotoForm(request.POST, request.FILES)

    def call(self, request, project, d):
        return services.project_photo_add(
            by=request.user, project=project, upload=d["photo"], caption=d["caption"]
        )


class MilestoneProgressView(RuralView):
    http_method_names = ["post"]

    def post(self, request, pk):
        milestone = selectors.milestone_get_for(user=request.user, pk=pk)
        project = milestone.project
        require(request.user, "edit_project", project.area, "您无权更新该项目的进度。")
        form = ProgressForm(request.POST)
        if form.is_valid():
            done = run_service(
                request,
                form,
                lambda d: services.milestone_set_progress(
                    by=request.user,
                    milestone=milestone,
                    progress=d["progress"],
                    done_on=d["done_on"],
                ),
                success=f"已更新节点“{milestone.name}”的进度。",
            )
            if done is not None:
                return redirect(project.get_absolute_url())
        return ProjectDetailView().render_page(
            request, project.pk, forms={"progress": form, "progress_node": milestone.pk}, status=400
        )


@method_decorator(never_cache, name="dispatch")
class ProjectPhotoView(RuralView):
    """A stored photo, to users who see its project; never from a public media URL."""

    def get(self, request, pk):
        photo = selectors.photo_get_for(user=request.user, pk=pk)
        try:
            handle = photo.image.open("rb")
        except (FileNotFoundError, OSError):
            raise NotFound("照片文件不存在。") from None
        response = FileResponse(handle, content_type=photo.content_type)
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Disposition"] = "inline"
        return response

"""Excel imports: the list of imports open to the user, each import's upload page with its
row-by-row report, and the templates."""

from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ..errors import PermissionDenied, ValidationFailed
from ..excel import xlsx_file_response
from ..imports.base import import_get, import_run, imports_for, template_bytes
from ..imports.reader import MAX_ROWS, limit
from .base import AppView

# Rows of a failed import shown on the page; the error file holds them all.
SHOWN_FAILURES = 500


class ImportHomeView(AppView):
    denied_message = "您的角色不能导入名单。"

    def allowed(self, user) -> bool:
        return bool(imports_for(user))

    def get(self, request):
        return render(request, "core/import_home.html", {"specs": imports_for(request.user)})


class _ImportView(AppView):
    def spec(self, request, key):
        spec = import_get(key)
        if not spec.allowed(request.user):
            raise PermissionDenied(_("您的角色无权导入此名单。"))
        return spec


@method_decorator(never_cache, name="dispatch")
class ImportView(_ImportView):
    template_name = "core/import_page.html"

    def get(self, request, key):
        return render(request, self.template_name, self._context(self.spec(request, key)))

    def post(self, request, key):
        spec = self.spec(request, key)
        upload = request.FILES.get("file")
        try:
            report = import_run(by=request.user, key=spec.key, upload=upload)
        except ValidationFailed as e:
            context = self._context(
                spec, file_error=e.message, filename=getattr(upload, "name", "")
            )
            return render(request, self.template_name, context, status=400)
        context = self._context(spec, report=report, filename=upload.name)
        return render(request, self.template_name, context, status=200 if report.ok else 400)

    def _context(self, spec, **extra):
        return {
            "spec": spec,
            "max_rows": limit("MAX_ROWS", MAX_ROWS),
            "shown_failures": SHOWN_FAILURES,
            **extra,
        }


class ImportTemplateView(_ImportView):
    def get(self, request, key):
        spec = self.spec(request, key)
        return xlsx_file_response(
            filename=f"{spec.title}-导入模板.xlsx", content=template_bytes(spec)
        )

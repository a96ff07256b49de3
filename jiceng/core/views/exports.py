"""Exports: the download of any registered list, and "我的导出" (the background jobs of large
lists, with their progress and files)."""

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ..errors import NotFound, ValidationFailed
from ..excel import XLSX_MIME, content_disposition, xlsx_file_response
from ..exports import (
    async_threshold,
    export_job_get_for,
    export_job_list_of,
    export_job_path,
    list_export,
    params_of,
)
from .base import AppView, error_response


@method_decorator(never_cache, name="dispatch")
class ListExportView(AppView):
    """POST to ``/exports/<key>/?<the page's filters>``: the file, or a background job when
    the list is large. The export decides who may use it (``ListExport.allowed``)."""

    http_method_names = ["post"]

    def post(self, request, key):
        try:
            outcome = list_export(by=request.user, key=key, params=params_of(request.GET))
        except ValidationFailed as e:
            return error_response(request, 400, e.message)
        if outcome.job is not None:
            messages.info(
                request,
                _("共 %(rows)s 行，已转入后台生成，完成后可在此下载。") % {"rows": outcome.rows},
            )
            return redirect("core:export_jobs")
        return xlsx_file_response(filename=outcome.filename, content=outcome.content)


@method_decorator(never_cache, name="dispatch")
class ExportJobListView(AppView):
    def get(self, request):
        jobs = list(export_job_list_of(user=request.user)[:50])
        return render(
            request,
            "core/export_jobs.html",
            {"jobs": jobs, "threshold": async_threshold()},
        )


@method_decorator(never_cache, name="dispatch")
class ExportJobProgressView(AppView):
    """The row of one job, polled by htmx while it runs."""

    def get(self, request, pk):
        job = export_job_get_for(user=request.user, pk=pk)
        return render(request, "core/_export_job_row.html", {"job": job})


@method_decorator(never_cache, name="dispatch")
class ExportJobDownloadView(AppView):
    def get(self, request, pk):
        job = export_job_get_for(user=request.user, pk=pk)
        path = export_job_path(job)
        if path is None:
            raise NotFound(_("该文件尚未生成或已过期（导出文件保留一天），请重新导出。"))
        response = FileResponse(path.open("rb"), content_type=XLSX_MIME)
        response["Content-Disposition"] = content_disposition(job.filename or "export.xlsx")
        response["Cache-Control"] = "private, no-store"
        return response

"""Every list leaves as a spreadsheet: the export registry, the export service and the
background jobs for large lists.

An app describes a list's export once, in its ``exports.py``::

    register_export(ListExport(
        key="brands.wall", title="社区党建品牌",
        columns=(Column("品牌", lambda b: b.name), Column("社区", lambda b: b.area.name)),
        rows=lambda *, user, params: brand_list_visible_to(user=user, **filters(params)),
        allowed=lambda user: can(user, "view"),
    ))

and puts ``{% include "core/_export_button.html" with key="brands.wall" %}`` on the page.
``rows`` must call the same selector as the page with the same filters (read from the
page's query string), so the user's scope applies; columns show phone and ID numbers as
the page does (masked). An export is a disclosure: each one is audited as
``<app>.export`` with its row count. Above ``JICENG_EXPORT_ASYNC_ROWS`` rows the export
becomes an ``ExportJob`` written by the background worker.
"""

import importlib
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from openpyxl import Workbook

from .audit import audit_record
from .errors import NotFound, PermissionDenied
from .excel import safe_sheet_title, write_sheet, xlsx_bytes
from .models import EXPORT_FILE_TTL as FILE_TTL
from .models import ExportJob, ExportStatus
from .scope import focus_on

ASYNC_ROWS_DEFAULT = 5_000
PROGRESS_EVERY = 500  # rows between two progress updates of a background job
ITERATOR_CHUNK = 2_000
_KEY_RE = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
# Query-string parameters that only move around the page, never filter it.
_IGNORED_PARAMS = {"page", "csrfmiddlewaretoken"}


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable  # row -> cell value


@dataclass(frozen=True)
class ListExport:
    key: str  # "<app>.<list>"
    title: str  # the sheet's title and the file name's stem
    columns: tuple[Column, ...]
    # rows(user=..., params=QueryDict) -> the page's selector with the page's filters;
    # raises ValidationFailed for filters the page would refuse.
    rows: Callable[..., Iterable]
    allowed: Callable  # user -> bool, as the list page decides

    @property
    def app(self) -> str:
        return self.key.split(".", 1)[0]

    @property
    def action(self) -> str:
        return f"{self.app}.export"

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    def filename(self) -> str:
        return f"{self.title}-{timezone.localdate():%Y%m%d}.xlsx"

    def cells(self, rows: Iterable) -> Iterable[list]:
        for row in rows:
            yield [c.value(row) for c in self.columns]


_EXPORTS: dict[str, ListExport] = {}


def register_export(export: ListExport) -> ListExport:
    if not _KEY_RE.match(export.key):
        raise ValueError(f"export key {export.key!r} must look like 'app.list'")
    _EXPORTS[export.key] = export
    return export


def export_get(key: str) -> ListExport:
    """The registered export ``key``; an app's ``exports`` module is imported on first use,
    so a background worker finds the exports without loading any page."""
    if not _KEY_RE.match(key or ""):
        raise NotFound("没有这个导出。")
    if key not in _EXPORTS:
        try:
            importlib.import_module(f"jiceng.{key.split('.', 1)[0]}.exports")
        except ModuleNotFoundError:
            pass
    try:
        return _EXPORTS[key]
    except KeyError:
        raise NotFound("没有这个导出。") from None


def registered_exports() -> list[ListExport]:
    return sorted(_EXPORTS.values(), key=lambda e: e.key)


def params_of(query: QueryDict) -> dict[str, list[str]]:
    """The filters of a page's query string, as JSON keeps them."""
    return {k: query.getlist(k) for k in sorted(query) if k not in _IGNORED_PARAMS}


def query_of(params: dict[str, list[str]]) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, values in params.items():
        query.setlist(key, [str(v) for v in values])
    query._mutable = False
    return query


def _count(rows) -> int:
    return rows.count() if isinstance(rows, QuerySet) else len(rows)


def _iterate(rows) -> Iterable:
    if isinstance(rows, QuerySet):
        return rows.iterator(chunk_size=ITERATOR_CHUNK)
    return rows


def async_threshold() -> int:
    return getattr(settings, "JICENG_EXPORT_ASYNC_ROWS", ASYNC_ROWS_DEFAULT)


def export_root() -> Path:
    """Where background exports are written: under MEDIA_ROOT but in a folder that no URL
    serves (only ``ExportJobDownloadView``, to the requester)."""
    return Path(getattr(settings, "JICENG_EXPORT_ROOT", Path(settings.MEDIA_ROOT) / "exports"))


@dataclass(frozen=True)
class ExportOutcome:
    """Either a file to send now (``content``) or a background job (``job``)."""

    filename: str = ""
    content: bytes = b""
    rows: int = 0
    job: ExportJob | None = None


# The job keeps the area the requester had chosen in the switcher, so a queued export
# lists what the page listed (the worker has no session).
FOCUS_PARAM = "_area_focus"


def _rows_for(*, user, export: ListExport, params: dict):
    if not export.allowed(user):
        raise PermissionDenied("您的角色无权导出此列表。")
    params = {k: v for k, v in params.items() if k != FOCUS_PARAM}
    rows = export.rows(user=user, params=query_of(params))
    if not isinstance(rows, QuerySet):
        rows = list(rows)
    return rows


def list_export(*, by, key: str, params: dict[str, list[str]]) -> ExportOutcome:
    """Export the list ``key`` as ``by`` sees it with the page's filters ``params``.

    Small lists are written at once; larger ones become a queued ``ExportJob`` (its task is
    enqueued when the transaction commits). Audited either way (the job when it runs)."""
    export = export_get(key)
    rows = _rows_for(user=by, export=export, params=params)
    total = _count(rows)
    if total > async_threshold():
        with transaction.atomic():
            focus = getattr(by, "_jiceng_focus", None)
            job = ExportJob.objects.create(
                requester=by,
                key=key,
                title=export.title,
                params={**params, FOCUS_PARAM: [focus]} if focus else params,
                total_rows=total,
                filename=export.filename(),
            )
            transaction.on_commit(lambda: _enqueue(job.pk))
        return ExportOutcome(job=job, rows=total)
    content, written = xlsx_bytes(
        headers=export.headers, rows=export.cells(_iterate(rows)), sheet_title=export.title
    )
    audit_record(
        actor=by,
        action=export.action,
        object_repr=export.title,
        changes={"rows": [None, written], "list": [None, key]},
    )
    return ExportOutcome(filename=export.filename(), content=content, rows=written)


def _enqueue(job_id: int) -> None:
    from .tasks import run_export_job

    run_export_job.enqueue(job_id)


def export_job_run(*, job_id: int) -> str:
    """Write the job's file. Idempotent: a job that is not queued any more is left alone,
    so a task enqueued twice writes once."""
    with transaction.atomic():
        job = (
            ExportJob.objects.select_for_update()
            .select_related("requester")
            .filter(pk=job_id)
            .first()
        )
        if job is None or job.status != ExportStatus.QUEUED:
            return "skipped"
        job.status = ExportStatus.RUNNING
        job.save(update_fields=["status"])
    try:
        export = export_get(job.key)
        focus_on(job.requester, (job.params.get(FOCUS_PARAM) or [None])[0])
        rows = _rows_for(user=job.requester, export=export, params=job.params)
        total = _count(rows)
        ExportJob.objects.filter(pk=job.pk).update(total_rows=total)
        root = export_root()
        root.mkdir(parents=True, exist_ok=True)
        relative = f"{uuid.uuid4().hex}.xlsx"
        written = _write_job_file(root / relative, export=export, rows=rows, job_id=job.pk)
    except Exception as e:  # the requester sees why, the worker goes on with the next job
        message = getattr(e, "message", "") or "生成文件时出错，请稍后重试或缩小筛选范围。"
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportStatus.FAILED, error=str(message)[:200], finished_at=timezone.now()
        )
        return "failed"
    with transaction.atomic():
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportStatus.DONE,
            error="",
            file=relative,
            progress_rows=written,
            total_rows=written,
            finished_at=timezone.now(),
        )
        audit_record(
            actor=job.requester,
            action=export.action,
            obj=job,
            object_repr=export.title,
            changes={"rows": [None, written], "list": [None, job.key]},
        )
    return "done"


def export_job_worker_lost(*, args, kwargs, retrying: bool) -> None:
    """The worker writing a job died (``jiceng.core.jobs``): the job waits for its retry
    with a note, or fails with a message the requester sees. Its half-written file is left
    for ``export_jobs_expire`` (the file name is only set when the job is done)."""
    job_id = (list(args) + [kwargs.get("job_id")])[0]
    running = ExportJob.objects.filter(pk=job_id, status=ExportStatus.RUNNING)
    if retrying:
        running.update(
            status=ExportStatus.QUEUED, progress_rows=0, error="后台进程中断，正在重新生成。"
        )
    else:
        running.update(
            status=ExportStatus.FAILED,
            error="后台进程多次中断，导出未能完成，请重新导出或缩小筛选范围。",
            finished_at=timezone.now(),
        )


def _in_chunks(rows) -> Iterable:
    """The rows one slice at a time, each slice read to the end before the caller writes
    progress: SQLite refuses a write while a read cursor of a long iterator is open."""
    if not isinstance(rows, QuerySet):
        yield from rows
        return
    if not rows.ordered:
        rows = rows.order_by("pk")
    start = 0
    while chunk := list(rows[start : start + ITERATOR_CHUNK]):
        yield from chunk
        start += ITERATOR_CHUNK


def _write_job_file(path: Path, *, export: ListExport, rows, job_id: int) -> int:
    written = 0

    def counted(cells):
        nonlocal written
        for row in cells:
            yield row
            written += 1
            if written % PROGRESS_EVERY == 0:
                ExportJob.objects.filter(pk=job_id).update(progress_rows=written)

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=safe_sheet_title(export.title))
    write_sheet(ws, headers=export.headers, rows=counted(export.cells(_in_chunks(rows))))
    wb.save(path)
    return written


def export_job_list_of(*, user) -> QuerySet:
    """The user's own export jobs of the last days, newest first."""
    since = timezone.now() - timedelta(days=7)
    return ExportJob.objects.filter(requester=user, created_at__gte=since)


def export_job_get_for(*, user, pk: int) -> ExportJob:
    """A job of ``user``'s own: nobody else, however high, may fetch another's file."""
    job = ExportJob.objects.filter(requester=user, pk=pk).first() if user.is_authenticated else None
    if job is None:
        raise NotFound("没有找到这个导出任务。")
    return job


def export_job_path(job: ExportJob) -> Path | None:
    """The file of a finished, unexpired job, if it is still there."""
    if job.status != ExportStatus.DONE or not job.file:
        return None
    path = export_root() / job.file
    return path if path.is_file() else None


def export_jobs_expire(*, now=None) -> int:
    """Delete the files of jobs finished more than a day ago; the rows stay, marked expired.
    A job still queued or running a day after it was asked for (its worker died) is marked
    failed. Idempotent."""
    now = now or timezone.now()
    ExportJob.objects.filter(
        status__in=(ExportStatus.QUEUED, ExportStatus.RUNNING), created_at__lt=now - FILE_TTL
    ).update(status=ExportStatus.FAILED, error="超时未完成，请重新导出。", finished_at=now)
    old = ExportJob.objects.filter(
        status__in=(ExportStatus.DONE, ExportStatus.FAILED), finished_at__lt=now - FILE_TTL
    )
    expired = 0
    for job in old.only("pk", "file"):
        if job.file:
            (export_root() / job.file).unlink(missing_ok=True)
        expired += ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.EXPIRED, file="")
    return expired

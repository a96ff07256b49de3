"""Background tasks that survive a killed worker.

django-tasks-db marks a task RUNNING when a worker claims it and SUCCESSFUL or FAILED when
the worker finishes it; a worker killed in between (``kill -9``, OOM, a lost machine)
leaves the row RUNNING for ever. So while a worker runs a task, a thread of the worker
process **beats** (``TaskHeartbeat.beat_at``, every ``JICENG_TASK_HEARTBEAT_SECONDS``);
the periodic **sweep** (``tasks_reap_lost``, every minute) takes each RUNNING task whose
beat is older than ``JICENG_TASK_STALE_SECONDS`` and puts it back on the queue — tasks are
idempotent, so running one again is safe — or, after ``JICENG_TASK_MAX_ATTEMPTS`` runs,
marks it failed. A task whose own rows show progress (an export) registers a handler that
brings those rows along: queued again, or failed with a Chinese message the user sees.
"""

import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import close_old_connections, connections, transaction
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.compat import TaskResultStatus, task_finished, task_started
from django_tasks_db.models import DBTaskResult

from .models import TaskHeartbeat

logger = logging.getLogger(__name__)

LOST_EXCEPTION = "jiceng.core.jobs.WorkerLost"

# task path -> handler(args, kwargs, retrying): keeps the task's own rows in step.
_lost_handlers: dict[str, Callable] = {}
_beats: dict[str, "_Beat"] = {}


class WorkerLost(Exception):
    """The worker running a task stopped beating (killed or its machine lost)."""


def register_lost_task_handler(task, handler: Callable) -> None:
    """``handler(args=..., kwargs=..., retrying=bool)`` runs in the sweep's transaction when
    a run of ``task`` is found lost: ``retrying`` — it is queued again; else it failed."""
    _lost_handlers[task.module_path] = handler


def heartbeat_seconds() -> float:
    return float(getattr(settings, "JICENG_TASK_HEARTBEAT_SECONDS", 10))


def stale_seconds() -> int:
    return int(getattr(settings, "JICENG_TASK_STALE_SECONDS", 120))


def max_attempts() -> int:
    return max(1, int(getattr(settings, "JICENG_TASK_MAX_ATTEMPTS", 3)))


# --- in the worker -----------------------------------------------------------------------


class _Beat(threading.Thread):
    def __init__(self, task_id: str):
        super().__init__(name=f"heartbeat-{task_id}", daemon=True)
        self.task_id = task_id
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(heartbeat_seconds()):
                try:
                    TaskHeartbeat.objects.filter(task_id=self.task_id).update(
                        beat_at=timezone.now()
                    )
                except Exception:  # noqa: BLE001 - a missed beat must not kill the worker
                    logger.warning("heartbeat of task %s failed", self.task_id, exc_info=True)
                    close_old_connections()
        finally:
            connections.close_all()


def _is_database_backend(sender) -> bool:
    # db_worker sends the backend instance, other paths its class.
    backend = sender if isinstance(sender, type) else type(sender)
    return issubclass(backend, DatabaseBackend)


def _on_task_started(sender, task_result, **kwargs) -> None:
    if not _is_database_backend(sender):
        return
    now = timezone.now()
    worker_ids = list(getattr(task_result, "worker_ids", []) or [])
    TaskHeartbeat.objects.update_or_create(
        task_id=task_result.id,
        defaults={
            "worker_id": (worker_ids[-1] if worker_ids else "")[:64],
            "pid": os.getpid(),
            "host": socket.gethostname()[:100],
            "started_at": now,
            "beat_at": now,
        },
    )
    beat = _Beat(str(task_result.id))
    _beats[str(task_result.id)] = beat
    beat.start()


def _on_task_finished(sender, task_result, **kwargs) -> None:
    beat = _beats.pop(str(task_result.id), None)
    if beat is None:
        return
    beat.stopped.set()
    beat.join(timeout=heartbeat_seconds() + 5)
    TaskHeartbeat.objects.filter(task_id=task_result.id).delete()


def connect() -> None:
    task_started.connect(_on_task_started, dispatch_uid="jiceng.core.jobs.started")
    task_finished.connect(_on_task_finished, dispatch_uid="jiceng.core.jobs.finished")


# --- the sweep ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SweepOutcome:
    retried: list
    failed: list


def _lost_candidates(now: datetime) -> list:
    stale_before = now - timedelta(seconds=stale_seconds())
    running = list(
        DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=stale_before)
        .order_by("started_at")
        .values_list("id", "started_at")
    )
    beats = dict(
        TaskHeartbeat.objects.filter(task_id__in=[pk for pk, _ in running]).values_list(
            "task_id", "beat_at"
        )
    )
    return [pk for pk, started in running if (beats.get(pk) or started) < stale_before]


def tasks_reap_lost(*, now: datetime | None = None) -> SweepOutcome:
    """Put back on the queue, or fail, every RUNNING task whose worker stopped beating.

    Idempotent and safe to run in several places at once: each task is taken under its
    row lock (skipping one another sweep holds) and only while it is still RUNNING."""
    now = now or timezone.now()
    retried, failed = [], []
    for pk in _lost_candidates(now):
        with transaction.atomic():
            task = (
                DBTaskResult.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status=TaskResultStatus.RUNNING)
                .first()
            )
            if task is None:
                continue
            attempts = len(task.worker_ids or [])
            retrying = attempts < max_attempts()
            if retrying:
                task.status = TaskResultStatus.READY
                task.started_at = None
                task.save(update_fields=["status", "started_at"])
                retried.append(task.pk)
            else:
                task.status = TaskResultStatus.FAILED
                task.finished_at = now
                task.exception_class_path = LOST_EXCEPTION
                task.traceback = (
                    f"工作进程在运行此任务时中断（超过 {stale_seconds()} 秒无心跳），"
                    f"已运行 {attempts} 次，不再重试。"
                )
                task.return_value = None
                task.save(
                    update_fields=[
                        "status",
                        "finished_at",
                        "exception_class_path",
                        "traceback",
                        "return_value",
                    ]
                )
                failed.append(task.pk)
            TaskHeartbeat.objects.filter(task_id=task.pk).delete()
            handler = _lost_handlers.get(task.task_path)
            if handler is not None:
                args = task.args_kwargs or {}
                handler(args=args.get("args", []), kwargs=args.get("kwargs", {}), retrying=retrying)
            logger.warning(
                "task %s (%s) lost its worker after %d run(s): %s",
                task.pk,
                task.task_path,
                attempts,
                "queued again" if retrying else "failed",
            )
    # Beats of tasks that are not running any more (a worker died between finishing and
    # cleaning up) are litter.
    TaskHeartbeat.objects.exclude(
        task_id__in=DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).values("id")
    ).filter(beat_at__lt=now - timedelta(seconds=stale_seconds())).delete()
    return SweepOutcome(retried, failed)

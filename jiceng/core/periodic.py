"""Periodic work: each app registers a task to run every N seconds; `manage.py scheduler`
enqueues the due ones for the background worker (`manage.py db_worker`).

Every registered task must be idempotent: two schedulers, or a run after a crash, may enqueue
it twice, and it must then do its work once."""

from dataclasses import dataclass


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    task: object  # a django_tasks Task
    every_seconds: int


_jobs: dict[str, PeriodicJob] = {}


def register_periodic(name: str, task, *, every_seconds: int) -> None:
    if every_seconds < 1:
        raise ValueError("every_seconds must be positive")
    _jobs[name] = PeriodicJob(name, task, every_seconds)


def periodic_jobs() -> list[PeriodicJob]:
    return sorted(_jobs.values(), key=lambda j: j.name)


def due_jobs(last_run: dict[str, float], now: float) -> list[PeriodicJob]:
    """The jobs whose interval has passed since their last run (never run: due now)."""
    return [
        j for j in periodic_jobs() if now - last_run.get(j.name, float("-inf")) >= j.every_seconds
    ]

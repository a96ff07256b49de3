from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jiceng.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        from django.conf import settings

        from . import (  # noqa: F401  (they register)
            audit_labels,
            auth_audit,
            checks,
            crypto,
            indicators,
            jobs,
            list_exports,
            second_factor,
        )
        from .context_processors import SidebarEntry, register_sidebar_entry
        from .exports import export_job_worker_lost
        from .periodic import register_periodic
        from .tasks import (
            checkpoint_audit_chain,
            expire_exports,
            purge_rate_limits,
            reap_lost_tasks,
            run_export_job,
        )

        crypto.scheme()  # a misspelt JICENG_CRYPTO_SCHEME stops the start, not a later write
        auth_audit.connect()
        audit_labels.autodiscover()
        jobs.connect()
        jobs.register_lost_task_handler(run_export_job, export_job_worker_lost)
        register_periodic("core.reap_lost_tasks", reap_lost_tasks, every_seconds=60)
        second_factor.connect()
        register_periodic("core.expire_exports", expire_exports, every_seconds=3600)
        register_periodic(
            "core.audit_checkpoint",
            checkpoint_audit_chain,
            every_seconds=settings.JICENG_AUDIT_CHECKPOINT_SECONDS,
        )
        register_periodic("core.purge_rate_limits", purge_rate_limits, every_seconds=3600)
        register_sidebar_entry(
            SidebarEntry(
                "exports", "我的导出", "core:export_jobs", lambda u: u.is_authenticated, order=880
            )
        )
        register_sidebar_entry(
            SidebarEntry("imports", "Excel 导入", "core:import_home", _imports_open, order=870)
        )
        register_sidebar_entry(
            SidebarEntry(
                "otp", "身份验证器", "core:otp_setup", lambda u: u.is_authenticated, order=890
            )
        )


def _imports_open(user) -> bool:
    from .imports.base import imports_for

    return bool(imports_for(user))

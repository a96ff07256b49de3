"""Points follow the appeal loop: a rider's report resolved 解决 or 部分解决 is confirmed
valid, and its points are granted inside the appeal's transaction (once per appeal)."""

from jiceng.appeals.signals import AppealChange


def grant_points_on_resolve(sender, changes: list[AppealChange], **kwargs) -> None:
    from jiceng.appeals.models import Channel

    from .services import rider_report_confirm

    for change in changes:
        if change.action == "resolve" and change.appeal.channel == Channel.RIDER:
            rider_report_confirm(by=None, appeal=change.appeal)

"""The audit log as an auditor reads it: actions, objects and changes in Chinese.

The log stores codes (``auth.login``, ``core.user``, ``supervised: [false, true]``) so that
its hash chain never depends on a label; this module turns them into words at display and
export time. Each app describes its own actions in an ``audit_actions.py`` module, found
by ``autodiscover`` from the core's ``ready()``::

    register_audit_actions({"rural.project_create": "新建引进项目"})
    register_audit_link("rural.project", url=lambda pk: reverse("rural:project_detail", ...),
                        visible=lambda user: can(user, "view"))

An action nobody registered is shown as its code, so a new action is never hidden.
Field names come from the model's verbose names and values from its choices (the object
type names the model); keys that are not model fields may be registered as field labels.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.module_loading import autodiscover_modules

from .templatetags.jiceng_dates import cn_date, cn_datetime

_ACTIONS: dict[str, str] = {}
_FIELDS: dict[str, str] = {}


@dataclass(frozen=True)
class _Link:
    url: Callable[[str], str]
    visible: Callable[[object], bool]


_LINKS: dict[str, _Link] = {}


def register_audit_actions(labels: dict[str, str]) -> None:
    """Chinese labels of an app's action codes (``"<app>.<verb>": "动作"``)."""
    _ACTIONS.update(labels)


def register_audit_fields(labels: dict[str, str]) -> None:
    """Labels of change keys that are not fields of the logged model (``"created": "新建"``)."""
    _FIELDS.update(labels)


def register_audit_link(model_label: str, *, url: Callable[[str], str], visible) -> None:
    """The page of a logged object (``url(object_id)``), for users with ``visible(user)``."""
    _LINKS[model_label] = _Link(url, visible)


def autodiscover() -> None:
    autodiscover_modules("audit_actions")


def action_label(code: str) -> str:
    return _ACTIONS.get(code, code)


def action_choices() -> list[tuple[str, str]]:
    """(code, label) of every registered action, by label, for the filter."""
    return sorted(_ACTIONS.items(), key=lambda item: (item[1], item[0]))


def actions_matching(text: str) -> list[str]:
    """Codes whose label contains ``text`` (an auditor types 登录, not auth.login)."""
    return [code for code, label in _ACTIONS.items() if text in label]


def _model(object_type: str) -> type[models.Model] | None:
    if "." not in object_type:
        return None
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def object_kind(object_type: str) -> str:
    model = _model(object_type)
    return str(model._meta.verbose_name) if model else object_type


def _field(model, key: str) -> models.Field | None:
    if model is None:
        return None
    for name in (key, key.removesuffix("_id")):
        try:
            return model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
    return None


def _plain(value) -> str:
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict):
        return "，".join(f"{_FIELDS.get(k, k)}：{_plain(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return "，".join(_plain(v) for v in value)
    return str(value)


def _value(field: models.Field | None, value, names: dict) -> str:
    if value is None or value == "":
        return "（空）"
    if field is None:
        return _plain(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        truth = value if isinstance(value, bool) else str(value).lower() in ("true", "1")
        return "是" if truth else "否"
    if isinstance(field, models.DateTimeField):
        moment = parse_datetime(str(value))
        return cn_datetime(moment) if moment else _plain(value)
    if isinstance(field, models.DateField):
        day = parse_date(str(value))
        return cn_date(day) if day else _plain(value)
    if field.is_relation and field.related_model is not None:
        return names.get((field.related_model._meta.label_lower, str(value)), f"#{value}")
    return _plain(value)


@dataclass(frozen=True)
class Change:
    field: str
    before: str | None  # None: the key has a single value (a fact, not a change)
    after: str


@dataclass(frozen=True)
class AuditLine:
    row: object  # the AuditEvent
    action: str
    kind: str
    url: str
    changes: list[Change]


def _pairs(changes) -> Iterable[tuple[str, object, object, bool]]:
    if not isinstance(changes, dict):
        return
    for key, value in changes.items():
        if isinstance(value, list | tuple) and len(value) == 2:
            yield key, value[0], value[1], True
        else:
            yield key, None, value, False


def _related_names(rows) -> dict[tuple[str, str], str]:
    """Names of the rows that changes point at, fetched once per model for a page."""
    wanted: dict[type[models.Model], set[str]] = defaultdict(set)
    for row in rows:
        model = _model(row.object_type)
        for key, before, after, _ in _pairs(row.changes):
            field = _field(model, key)
            if field is None or not field.is_relation or field.related_model is None:
                continue
            for v in (before, after):
                if v not in (None, ""):
                    wanted[field.related_model].add(str(v))
    names = {}
    for model, ids in wanted.items():
        pks = [i for i in ids if i.isdigit()]
        for obj in model._default_manager.filter(pk__in=pks):
            names[(model._meta.label_lower, str(obj.pk))] = str(obj)
    return names


def describe(rows, *, user) -> list[AuditLine]:
    """The rows of a page (or an export) in Chinese; one query per related model."""
    rows = list(rows)
    names = _related_names(rows)
    lines = []
    for row in rows:
        model = _model(row.object_type)
        changes = []
        for key, before, after, is_change in _pairs(row.changes):
            field = _field(model, key)
            if key in _FIELDS and field is None:
                # A fact about the action (which field was revealed, how many rows left),
                # not a field of the object: shown as "label：value".
                named = _field(model, str(after)) if key == "field" else None
                value = str(named.verbose_name) if named else _plain(after)
                changes.append(Change(_FIELDS[key], None, value))
                continue
            label = str(field.verbose_name) if field else key
            changes.append(
                Change(
                    label,
                    _value(field, before, names) if is_change else None,
                    _value(field, after, names),
                )
            )
        link = _LINKS.get(row.object_type)
        url = ""
        if link and row.object_id and link.visible(user):
            url = link.url(row.object_id)
        lines.append(
            AuditLine(
                row=row,
                action=action_label(row.action),
                kind=object_kind(row.object_type) if row.object_type else "",
                url=url,
                changes=changes,
            )
        )
    return lines


def changes_text(line: AuditLine) -> str:
    return "；".join(
        f"{c.field}：{c.after}" if c.before is None else f"{c.field}：{c.before} → {c.after}"
        for c in line.changes
    )


def day_bounds(start: date | None, end: date | None) -> tuple[datetime | None, datetime | None]:
    """Aware local datetimes for [start 00:00, end+1 00:00)."""
    lo = timezone.make_aware(datetime.combine(start, time.min)) if start else None
    hi = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min)) if end else None
    return lo, hi

"""Searching people by a full phone or ID number: a disclosure like a reveal.

A masked number plus a search that matches it exactly is an oracle (a masked ID number
and the birth date leave a handful of checksum-valid candidates; a masked phone leaves
10⁴), so a search by number is open only to the roles that may reveal numbers, counts
against a per-user limit in the shared cache and leaves an audit row naming the kind of
number searched, never the number. Everyone else searches by name only, and a text that
looks like a number is refused, not silently matched against names.
"""

import re

from django.conf import settings

from .audit import audit_record
from .errors import PermissionDenied, RateLimited, ValidationFailed
from .ratelimit import hit, remaining_seconds
from .roles import REVEAL_ROLES, Role
from .scope import scope_of

PHONE = "phone"
ID_NUMBER = "id_number"
KIND_LABELS = {PHONE: "手机号", ID_NUMBER: "身份证号"}

# Searches by number a user may make per window, unless the settings say otherwise.
DEFAULT_LIMIT = 30
DEFAULT_WINDOW = 3600

_SEPARATORS = re.compile(r"[\s\-()（）]")
_PHONE_RE = re.compile(r"1[3-9]\d{9}")
_ID_RE = re.compile(r"\d{17}[\dX]|\d{15}")


def limit_and_window() -> tuple[int, int]:
    return (
        getattr(settings, "JICENG_IDENTIFIER_SEARCH_LIMIT", DEFAULT_LIMIT),
        getattr(settings, "JICENG_IDENTIFIER_SEARCH_WINDOW", DEFAULT_WINDOW),
    )


def classify(text: str) -> tuple[str | None, str]:
    """(kind, normalized number) of a search text: ``(None, text)`` for a name, ``(PHONE,
    "13812345678")``, ``(ID_NUMBER, "3701...")``, or ``("partial", ...)`` for digits that
    are neither (part of a number). Names hold no digits, so four or more mean a number."""
    text = (text or "").strip()
    compact = _SEPARATORS.sub("", text).upper()
    if compact.startswith("+86"):
        compact = compact[3:]
    if sum(c.isdigit() for c in compact) < 4:
        return None, text
    if _PHONE_RE.fullmatch(compact):
        return PHONE, compact
    if _ID_RE.fullmatch(compact):
        return ID_NUMBER, compact
    return "partial", compact


def _reveal_role_labels() -> str:
    return "、".join(role.label for role in Role if role in REVEAL_ROLES)


def may_search_by_identifier(user) -> bool:
    return scope_of(user).has_role(*REVEAL_ROLES)


def identifier_search_admit(*, by, kind: str, purpose: str) -> None:
    """Admit one search by a full number of ``kind`` (``PHONE``/``ID_NUMBER``) for
    ``purpose`` (what the search serves, e.g. ``"person_list"``), or raise: the role may
    not reveal numbers (``PermissionDenied``), the number is incomplete
    (``ValidationFailed``), or the user passed the limit (``RateLimited``). An admitted
    search is audited as ``person.search_by_identifier`` inside the caller's transaction.
    """
    if not may_search_by_identifier(by):
        raise PermissionDenied(
            f"按手机号或身份证号查询仅限有权查看完整号码的角色（{_reveal_role_labels()}），"
            "请按姓名查询。",
            field="q",
        )
    if kind not in KIND_LABELS:
        raise ValidationFailed(
            "手机号须完整输入 11 位，身份证号须完整输入 18 位；不能按部分号码查询。", field="q"
        )
    identifier_search_record(by=by, kind=kind, purpose=purpose)


def identifier_search_record(*, by, kind: str, purpose: str, what: str = "人员") -> None:
    """Count one search by a full number against ``by``'s limit (``RateLimited`` past
    it) and audit it, for a caller that decided who may search (e.g. the appeals list,
    whose phones their handlers may reveal)."""
    _count_against_limit(by, field="q")
    audit_record(
        actor=by,
        action="person.search_by_identifier",
        object_repr=f"按{KIND_LABELS[kind]}查询{what}",
        changes={"kind": [None, kind], "purpose": [None, purpose]},
    )


def _count_against_limit(by, *, field: str) -> None:
    """One more search by number for ``by``, or ``RateLimited`` past the limit. People
    searches and account lookups share the count: both turn a number into a person."""
    limit, window = limit_and_window()
    if not hit(f"identifier-search:{by.pk}", limit, window):
        minutes = max(1, -(-remaining_seconds(window) // 60))
        raise RateLimited(
            f"按号码查询过于频繁（每 {window // 60} 分钟最多 {limit} 次），"
            f"请 {minutes} 分钟后再试。",
            field=field,
        )


def account_person_lookup_admit(*, by, field: str) -> None:
    """Admit one lookup of the person an account is to be linked to (the caller checked
    that ``by`` manages accounts): counted against the same limit as people searches."""
    _count_against_limit(by, field=field)


def account_person_lookup_record(*, by, kind: str, person) -> None:
    """Audit a lookup made by ``kind`` (``ID_NUMBER`` or ``"name"``), naming the person
    found (or none), never the number typed."""
    label = KIND_LABELS.get(kind, "姓名和区域")
    audit_record(
        actor=by,
        action="account.person_lookup",
        obj=person,
        object_repr=f"按{label}查找关联人员：{person.name if person else '未找到'}",
        changes={"kind": [None, kind], "found": [None, person is not None]},
    )

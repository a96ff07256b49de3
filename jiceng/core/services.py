"""Every write of the core's rows. Each service validates, writes in a transaction and
leaves an audit row; a refused call raises ``ApplicationError`` and changes nothing."""

import re
from datetime import date

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError

from .audit import audit_record, changes_between
from .crypto import blind_index, encrypt
from .errors import PermissionDenied, ValidationFailed
from .models import (
    CODE_LENGTH,
    PARENT_KINDS,
    Area,
    AreaKind,
    Education,
    Person,
    PoliticalStatus,
    Post,
    PostTitle,
    RoleAssignment,
    Sex,
    User,
)
from .permissions import can
from .roles import Role

PHONE_RE = re.compile(r"^1[3-9]\d{9}$")


# ---- validation shared by forms, importers and services --------------------------------


def area_problems(
    *,
    code: str,
    name: str,
    kind: str,
    parent: Area | None,
    parent_code: str | None = None,
    parent_kind: str | None = None,
) -> list[str]:
    """Every reason (in Chinese) why an area row is not acceptable; empty when it is.

    ``parent`` may be given as a saved row or as ``parent_code``/``parent_kind`` of a row
    not yet saved (an earlier line of the same import file).
    """
    problems = []
    if kind not in AreaKind.values:
        return [f"类型“{kind}”无效，应为 {'/'.join(AreaKind.labels)} 之一"]
    length = CODE_LENGTH[kind]
    if not re.fullmatch(r"\d+", code or ""):
        problems.append(f"编码“{code}”须全部为数字")
    elif len(code) != length:
        problems.append(f"{AreaKind(kind).label}编码应为 {length} 位数字，实际为 {len(code)} 位")
    if not (name or "").strip():
        problems.append("名称不能为空")
    elif len(name) > 100:
        problems.append("名称超过 100 个字")
    if parent is not None:
        parent_code, parent_kind = parent.code, parent.kind
    allowed = PARENT_KINDS[kind]
    if not allowed:
        if parent_code:
            problems.append("区不能有上级区域")
    elif not parent_code:
        problems.append("缺少上级区域编码")
    elif parent_kind is None:
        problems.append(f"上级区域 {parent_code} 不存在")
    else:
        if parent_kind not in allowed:
            wanted = "/".join(AreaKind(k).label for k in sorted(allowed))
            problems.append(
                f"{AreaKind(kind).label}的上级应为{wanted}，而 {parent_code} 是"
                f"{AreaKind(parent_kind).label}"
            )
        if code and not code.startswith(parent_code):
            problems.append(f"编码 {code} 须以上级编码 {parent_code} 开头")
    return problems


def normalize_phone(phone: str) -> str:
    phone = (phone or "").strip().replace(" ", "").replace("-", "")
    if phone.startswith("+86"):
        phone = phone[3:]
    if phone and not PHONE_RE.match(phone):
        raise ValidationFailed(
            f"手机号“{phone}”格式不正确，应为 11 位数字且以 1 开头。", field="phone"
        )
    return phone


def normalize_id_number(id_number: str) -> str:
    id_number = (id_number or "").strip().upper()
    if not id_number:
        return ""
    try:
        return ric.validate(id_number)
    except StdnumError:
        raise ValidationFailed(
            "身份证号码无效（长度、出生日期、地区码或校验位不符合 GB 11643）。",
            field="id_number",
        ) from None


# ---- areas ------------------------------------------------------------------------------


def area_create(
    *,
    by,
    code: str,
    name: str,
    kind: str,
    parent: Area | None = None,
    households: int | None = None,
    address: str = "",
) -> Area:
    if by is not None and parent is not None and not can(by, "edit_area", parent):
        raise PermissionDenied("您无权在该区域下新增区域。")
    if by is not None and parent is None and not getattr(by, "is_superuser", False):
        raise PermissionDenied("只有超级管理员可以新增区。")
    problems = area_problems(code=code, name=name, kind=kind, parent=parent)
    if Area.objects.filter(code=code).exists():
        problems.append(f"编码 {code} 已存在")
    if problems:
        raise ValidationFailed("；".join(problems), field="code")
    with transaction.atomic():
        area = Area.objects.create(
            code=code,
            name=name.strip(),
            kind=kind,
            parent=parent,
            depth=(parent.depth + 1) if parent else 0,
            households=households,
            address=address,
        )
        audit_record(
            actor=by,
            action="area.create",
            obj=area,
            changes=changes_between({}, {"code": code, "name": name, "kind": kind}),
        )
    return area


def area_update(*, by, area: Area, name: str, households: int | None, address: str) -> Area:
    if not can(by, "edit_area", area):
        raise PermissionDenied("您无权修改该区域。")
    if not (name or "").strip():
        raise ValidationFailed("名称不能为空。", field="name")
    if households is not None and households < 0:
        raise ValidationFailed("户数不能为负数。", field="households")
    with transaction.atomic():
        locked = Area.objects.select_for_update().get(pk=area.pk)
        before = {"name": locked.name, "households": locked.households, "address": locked.address}
        locked.name, locked.households, locked.address = name.strip(), households, address
        locked.save(update_fields=["name", "households", "address", "updated_at"])
        after = {"name": locked.name, "households": locked.households, "address": locked.address}
        audit_record(
            actor=by, action="area.update", obj=locked, changes=changes_between(before, after)
        )
    return locked


# ---- people and posts ------------------------------------------------------------------

PERSON_FIELDS = (
    "name",
    "sex",
    "birth_date",
    "phone",
    "id_number",
    "education",
    "political_status",
    "party_joined_on",
    "area",
)


def _person_values(
    *,
    name: str,
    area: Area,
    sex: str,
    birth_date: date | None,
    phone: str,
    id_number: str,
    education: str,
    political_status: str,
    party_joined_on: date | None,
) -> dict:
    name = (name or "").strip()
    if not name:
        raise ValidationFailed("姓名不能为空。", field="name")
    if len(name) > 50:
        raise ValidationFailed("姓名不能超过 50 个字。", field="name")
    if sex and sex not in Sex.values:
        raise ValidationFailed("性别无效。", field="sex")
    if education and education not in Education.values:
        raise ValidationFailed("学历无效。", field="education")
    if political_status not in PoliticalStatus.values:
        raise ValidationFailed("政治面貌无效。", field="political_status")
    id_number = normalize_id_number(id_number)
    if id_number:
        born = ric.get_birth_date(id_number)
        if birth_date and birth_date != born:
            raise ValidationFailed("出生日期与身份证号码不一致。", field="birth_date")
        birth_date = born
        if not sex:
            sex = Sex.MALE if int(id_number[16]) % 2 else Sex.FEMALE
    if party_joined_on and political_status == PoliticalStatus.MASSES:
        raise ValidationFailed("群众不应填写入党日期。", field="party_joined_on")
    return {
        "name": name,
        "area": area,
        "sex": sex,
        "birth_date": birth_date,
        "phone": normalize_phone(phone),
        "id_number": id_number,
        "education": education,
        "political_status": political_status,
        "party_joined_on": party_joined_on,
    }


def _apply_person(person: Person, values: dict) -> None:
    for field, value in values.items():
        if field == "id_number":
            person.id_number_encrypted = encrypt(value) if value else ""
            person.id_number_index = blind_index(value) if value else ""
        else:
            setattr(person, field, value)


def person_create(
    *,
    by,
    name: str,
    area: Area,
    sex: str = "",
    birth_date: date | None = None,
    phone: str = "",
    id_number: str = "",
    education: str = "",
    political_status: str = PoliticalStatus.MASSES,
    party_joined_on: date | None = None,
) -> Person:
    if by is not None and not can(by, "create_person_in", area):
        raise PermissionDenied("您无权在该区域登记人员。")
    values = _person_values(
        name=name,
        area=area,
        sex=sex,
        birth_date=birth_date,
        phone=phone,
        id_number=id_number,
        education=education,
        political_status=political_status,
        party_joined_on=party_joined_on,
    )
    if (
        values["id_number"]
        and Person.objects.filter(id_number_index=blind_index(values["id_number"])).exists()
    ):
        raise ValidationFailed("该身份证号码已登记。", field="id_number")
    with transaction.atomic():
        person = Person()
        _apply_person(person, values)
        person.save()
        audit_record(
            actor=by, action="person.create", obj=person, changes=changes_between({}, values)
        )
    return person


def person_update(*, by, person: Person, **fields) -> Person:
    if not can(by, "edit_person", person):
        raise PermissionDenied("您无权修改该人员信息。")
    with transaction.atomic():
        locked = Person.objects.select_for_update().select_related("area").get(pk=person.pk)
        before = {f: getattr(locked, f) for f in PERSON_FIELDS}
        merged = {**before, **fields}
        if "area" in fields and not can(by, "create_person_in", fields["area"]):
            raise PermissionDenied("您无权将人员调入该区域。")
        values = _person_values(**merged)
        if (
            values["id_number"]
            and values["id_number"] != before["id_number"]
            and (
                Person.objects.filter(id_number_index=blind_index(values["id_number"]))
                .exclude(pk=locked.pk)
                .exists()
            )
        ):
            raise ValidationFailed("该身份证号码已登记。", field="id_number")
        _apply_person(locked, values)
        locked.save()
        audit_record(
            actor=by, action="person.update", obj=locked, changes=changes_between(before, values)
        )
    return locked


def person_reveal(*, by, person: Person, field: str) -> str:
    """The clear value of a masked field, for a role that may see it; audited."""
    if field not in ("phone", "id_number"):
        raise ValidationFailed("只能查看手机号或身份证号。", field="field")
    if not can(by, "reveal_pii", person):
        raise PermissionDenied("您的角色无权查看完整的个人信息。")
    audit_record(actor=by, action="person.reveal", obj=person, changes={"field": [None, field]})
    return getattr(person, field)


def post_create(
    *,
    by,
    person: Person,
    title: str,
    area: Area | None = None,
    party_org=None,
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> Post:
    if title not in PostTitle.values:
        raise ValidationFailed("职务无效。", field="title")
    if area is None and party_org is None:
        raise ValidationFailed("职务须属于某个区域或党组织。", field="area")
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationFailed("离任日期不能早于任职日期。", field="ends_on")
    place = area or party_org.area
    if by is not None and not can(by, "create_person_in", place):
        raise PermissionDenied("您无权在该区域任命职务。")
    with transaction.atomic():
        post = Post.objects.create(
            person=person,
            title=title,
            area=area,
            party_org=party_org,
            starts_on=starts_on,
            ends_on=ends_on,
        )
        audit_record(
            actor=by,
            action="post.create",
            obj=post,
            changes=changes_between(
                {},
                {
                    "person": person.pk,
                    "title": title,
                    "area": area,
                    "party_org": party_org,
                    "starts_on": starts_on,
                    "ends_on": ends_on,
                },
            ),
        )
    return post


def post_end(*, by, post: Post, ends_on: date) -> Post:
    place = post.area or post.party_org.area
    if by is not None and not can(by, "create_person_in", place):
        raise PermissionDenied("您无权变更该职务。")
    if post.starts_on and ends_on < post.starts_on:
        raise ValidationFailed("离任日期不能早于任职日期。", field="ends_on")
    with transaction.atomic():
        locked = Post.objects.select_for_update().get(pk=post.pk)
        before = locked.ends_on
        locked.ends_on = ends_on
        locked.save(update_fields=["ends_on", "updated_at"])
        audit_record(
            actor=by,
            action="post.end",
            obj=locked,
            changes=changes_between({"ends_on": before}, {"ends_on": ends_on}),
        )
    return locked


# ---- accounts ---------------------------------------------------------------------------


def _require_account_admin(by) -> None:
    if by is not None and not (by.is_superuser or can(by, "manage_accounts")):
        raise PermissionDenied("只有安全管理员可以管理账号。")


def _require_internal(by) -> None:
    """``user_create`` and ``role_assign`` are the demo loaders' trusted path: they skip
    the second-person rule of 三员分立, so no acting user (no web request) may use them.
    Pages and APIs use the checked ``account_*`` services below."""
    if by is not None:
        raise PermissionDenied("内部接口不接受操作人：请使用账号管理（account_*）服务。")


def user_create(
    *, by=None, username: str, password: str, person: Person | None = None, full_name: str = ""
) -> User:
    """Internal (demo loaders, ``by=None``): a new account, unchecked by 三员分立."""
    _require_internal(by)
    username = (username or "").strip()
    if not re.fullmatch(r"[A-Za-z0-9_.@-]{3,150}", username):
        raise ValidationFailed("用户名须为 3–150 位字母、数字或 _.@-。", field="username")
    if User.objects.filter(username=username).exists():
        raise ValidationFailed(f"用户名 {username} 已被使用。", field="username")
    user = User(username=username, person=person, first_name=full_name[:150])
    try:
        validate_password(password, user)
    except DjangoValidationError as e:
        raise ValidationFailed("；".join(e.messages), field="password") from None
    with transaction.atomic():
        user.set_password(password)
        user.save()
        audit_record(
            actor=by,
            action="account.create",
            obj=user,
            changes=changes_between({}, {"username": username, "person": person}),
        )
    return user


def role_assign(
    *,
    by=None,
    user: User,
    role: str,
    area: Area | None = None,
    party_org=None,
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> RoleAssignment:
    """Internal (demo loaders, ``by=None``): a role without a second person's approval."""
    _require_internal(by)
    if role not in Role.values:
        raise ValidationFailed("角色无效。", field="role")
    if (area is None) == (party_org is None):
        raise ValidationFailed("角色须且只能限定于一个区域或一个党组织。", field="area")
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationFailed("截止日期不能早于起始日期。", field="ends_on")
    with transaction.atomic():
        assignment = RoleAssignment.objects.create(
            user=user,
            role=role,
            area=area,
            party_org=party_org,
            starts_on=starts_on,
            ends_on=ends_on,
        )
        audit_record(
            actor=by,
            action="account.role_assign",
            obj=assignment,
            changes=changes_between(
                {}, {"user": user.pk, "role": role, "area": area, "party_org": party_org}
            ),
        )
    return assignment


def user_password_change(*, by, user: User, new_password: str) -> User:
    """Set a new password for one's own account (the caller checked the old one); audited.

    The password never enters the log, only the fact of the change."""
    if by is None or by.pk != user.pk:
        raise PermissionDenied("只能修改自己的密码。")
    try:
        validate_password(new_password, user)
    except DjangoValidationError as e:
        raise ValidationFailed("；".join(e.messages), field="new_password1") from None
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        locked.set_password(new_password)
        locked.save(update_fields=["password", "password_changed_at"])
        audit_record(actor=by, action="account.password_change", obj=locked, changes={})
    user.password = locked.password
    user.password_changed_at = locked.password_changed_at
    return locked


# ---- area editing pages ---------------------------------------------------------------


def area_child_kinds(kind: str) -> list[str]:
    """The kinds an area of ``kind`` may hold directly, in tree order (a building: none)."""
    return [k for k in AreaKind.values if kind in PARENT_KINDS[AreaKind(k)]]


# ---- account management (appended; the security administrator's writes) ---------------
#
# Each service checks the actor, validates, writes under a row lock in a transaction and
# leaves one audit row.


def _require_manageable(*, by, user: User) -> None:
    """The actor may manage accounts, and this one: a superuser account is managed only by
    a superuser, so the security administrator cannot take over the system administrator's
    account (三员分立)."""
    _require_account_admin(by)
    if by is not None and user.is_superuser and not by.is_superuser:
        raise PermissionDenied("超级管理员账号只能由超级管理员管理。")


def _validated_password(password: str, user: User, field: str) -> str:
    if not password:
        raise ValidationFailed("请填写密码。", field=field)
    try:
        validate_password(password, user)
    except DjangoValidationError as e:
        message = "；".join(m.rstrip("。") for m in e.messages) + "。"
        raise ValidationFailed(message, field=field) from None
    return password


def _check_role_assignment(
    *,
    by,
    user: User,
    role: str,
    area: Area | None,
    party_org,
    starts_on: date | None,
    ends_on: date | None,
) -> None:
    """Raise the first reason (in Chinese) why ``user`` may not be given this role."""
    from django.utils import timezone

    from .roles import SYSTEM_ROLES

    if role not in Role.values:
        raise ValidationFailed("请选择有效的角色。", field="role")
    if by is not None and by.pk is not None and by.pk == user.pk and not by.is_superuser:
        raise PermissionDenied("不能给自己的账号授予角色：安全管理员不能变更自己的权限。")
    if (area is None) == (party_org is None):
        raise ValidationFailed("授权范围须且只能填写一项：区域编码或党组织。", field="area_code")
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationFailed("截止日期不能早于起始日期。", field="ends_on")
    today = timezone.localdate()
    if ends_on and ends_on < today:
        raise ValidationFailed("截止日期不能早于今天：已经结束的授权无需新增。", field="ends_on")
    if user.pk is None:
        return
    holding = RoleAssignment.objects.filter(user=user).exclude(ends_on__lt=today)
    if holding.filter(role=role, area=area, party_org=party_org).exists():
        raise ValidationFailed("该账号已有相同角色和范围、尚未结束的授权。", field="role")
    # 三员分立: the audit and security administrators are separate people with no business
    # role, so a system role never shares an account with any other role.
    others = holding.exclude(role=role).values_list("role", flat=True)
    clash = next((r for r in others if role in SYSTEM_ROLES or r in SYSTEM_ROLES), None)
    if clash is not None:
        raise ValidationFailed(
            f"三员分立：审计管理员、安全管理员不能与其他角色由同一账号兼任"
            f"（该账号已有“{Role(clash).label}”角色）。",
            field="role",
        )


def _role_assignment_write(
    *,
    by,
    user: User,
    role: str,
    area: Area | None,
    party_org,
    starts_on: date | None,
    ends_on: date | None,
) -> RoleAssignment:
    """Create the assignment and its audit row (the caller checked it and holds the lock)."""
    assignment = RoleAssignment.objects.create(
        user=user, role=role, area=area, party_org=party_org, starts_on=starts_on, ends_on=ends_on
    )
    audit_record(
        actor=by,
        action="account.role_assign",
        obj=assignment,
        changes=changes_between(
            {},
            {
                "user": user.pk,
                "role": role,
                "area": area,
                "party_org": party_org,
                "starts_on": starts_on,
                "ends_on": ends_on,
            },
        ),
    )
    return assignment


def account_problems(
    *, username: str, full_name: str, password: str, person: Person | None = None
) -> list[tuple[str, str]]:
    """Every (field, Chinese reason) why a new account with these facts is not acceptable;
    empty when it is. A form shows them all at once; ``account_create`` refuses the first."""
    problems = []
    username, full_name = (username or "").strip(), (full_name or "").strip()
    if not re.fullmatch(r"[A-Za-z0-9_.@-]{3,150}", username):
        problems.append(("username", "用户名须为 3–150 位字母、数字或 _.@-。"))
    elif User.objects.filter(username__iexact=username).exists():
        problems.append(("username", f"用户名 {username} 已被使用。"))
    if not full_name:
        problems.append(("full_name", "请填写显示名称。"))
    elif len(full_name) > 150:
        problems.append(("full_name", "显示名称不能超过 150 个字。"))
    if person is not None and (holder := User.objects.filter(person=person).first()):
        problems.append(
            (
                "person_id_number",
                f"{person.name} 已关联账号 {holder.username}，一人只能关联一个账号。",
            )
        )
    try:
        _validated_password(password, User(username=username, first_name=full_name), "password")
    except ValidationFailed as e:
        problems.append(("password", e.message))
    return problems


def account_create(
    *,
    by,
    username: str,
    full_name: str,
    password: str,
    person: Person | None = None,
    role: str = "",
    area: Area | None = None,
    party_org=None,
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> User:
    """A new account, optionally linked to a person and with a first role assignment.

    The password is the administrator's, so its holder must change it at first login
    (``password_changed_at`` stays empty). Audited as ``account.create``, plus
    ``account.role_assign`` for the role. A business role (三员分立) is not given here but
    proposed (``account.proposal_create``) for a second administrator to approve, unless
    ``by`` acts alone (the superuser). A refusal carries every problem of the account's
    own fields in ``extra["problems"]``."""
    from django.db import IntegrityError

    from . import account_proposals

    _require_account_admin(by)
    username, full_name = (username or "").strip(), (full_name or "").strip()
    problems = account_problems(
        username=username, full_name=full_name, password=password, person=person
    )
    if problems:
        field, message = problems[0]
        raise ValidationFailed(message, field=field, extra={"problems": problems})
    user = User(username=username, first_name=full_name, person=person)
    if role:
        _check_role_assignment(
            by=by,
            user=user,
            role=role,
            area=area,
            party_org=party_org,
            starts_on=starts_on,
            ends_on=ends_on,
        )
    try:
        with transaction.atomic():
            user.set_password(password)
            user.password_changed_at = None
            user.save()
            audit_record(
                actor=by,
                action="account.create",
                obj=user,
                changes=changes_between(
                    {},
                    {
                        "username": username,
                        "first_name": full_name,
                        "person": person,
                        "password": user.password,
                    },
                ),
            )
            if (
                role
                and account_proposals.role_grant_needs_approval(role)
                and not (account_proposals.acts_alone(by))
            ):
                account_proposals.account_role_grant_propose(
                    by=by,
                    account=user,
                    role=role,
                    area=area,
                    party_org=party_org,
                    starts_on=starts_on,
                    ends_on=ends_on,
                )
            elif role:
                _role_assignment_write(
                    by=by,
                    user=user,
                    role=role,
                    area=area,
                    party_org=party_org,
                    starts_on=starts_on,
                    ends_on=ends_on,
                )
    except IntegrityError:
        # A concurrent request took the username or linked the person first.
        raise ValidationFailed(
            "用户名或所关联的人员刚刚已被其他账号使用，请重新填写。", field="username"
        ) from None
    return user


def account_role_assign(
    *,
    by,
    user: User,
    role: str,
    area: Area | None = None,
    party_org=None,
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> RoleAssignment:
    """Give ``user`` a role scoped to one area subtree or one party organization. A
    business role needs a second administrator (``account_role_grant_propose``) unless
    ``by`` acts alone (the superuser)."""
    from . import account_proposals

    _require_manageable(by=by, user=user)
    if account_proposals.role_grant_needs_approval(role) and not account_proposals.acts_alone(by):
        raise PermissionDenied("三员分立：授予业务角色须提交申请，由另一名管理员审批。")
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        _check_role_assignment(
            by=by,
            user=locked,
            role=role,
            area=area,
            party_org=party_org,
            starts_on=starts_on,
            ends_on=ends_on,
        )
        return _role_assignment_write(
            by=by,
            user=locked,
            role=role,
            area=area,
            party_org=party_org,
            starts_on=starts_on,
            ends_on=ends_on,
        )


def account_role_end(*, by, assignment: RoleAssignment, ends_on: date) -> RoleAssignment:
    """End a role assignment on ``ends_on`` (its last day in effect). Nothing is deleted:
    the row stays as the history of who held what, and a past end is never rewritten."""
    from datetime import timedelta

    from django.utils import timezone

    _require_manageable(by=by, user=assignment.user)
    if by is not None and by.pk == assignment.user_id and not by.is_superuser:
        raise PermissionDenied("不能结束自己账号的角色：安全管理员不能变更自己的权限。")
    if ends_on is None:
        raise ValidationFailed("请填写最后有效日期。", field="ends_on")
    yesterday = timezone.localdate() - timedelta(days=1)
    with transaction.atomic():
        locked = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
        if locked.ends_on and locked.ends_on <= yesterday:
            raise ValidationFailed("该角色授权已经结束。", field="ends_on")
        if ends_on < yesterday:
            raise ValidationFailed(
                "最后有效日期不能早于昨天：已经过去的授权记录不能改写。", field="ends_on"
            )
        if locked.starts_on and ends_on < locked.starts_on:
            raise ValidationFailed(
                f"最后有效日期不能早于起始日期（{locked.starts_on:%Y-%m-%d}）。", field="ends_on"
            )
        if locked.ends_on and ends_on > locked.ends_on:
            raise ValidationFailed(
                f"最后有效日期不能晚于原截止日期（{locked.ends_on:%Y-%m-%d}）；"
                "延长授权请新增一条角色授权。",
                field="ends_on",
            )
        before = locked.ends_on
        locked.ends_on = ends_on
        locked.save(update_fields=["ends_on"])
        audit_record(
            actor=by,
            action="account.role_end",
            obj=locked,
            changes=changes_between({"ends_on": before}, {"ends_on": ends_on}),
        )
    return locked


def _account_set_active(*, by, user: User, active: bool) -> User:
    from . import account_proposals

    _require_manageable(by=by, user=user)
    if not active and by is not None and by.pk == user.pk:
        raise PermissionDenied("不能停用自己的账号。")
    if (
        active
        and not account_proposals.acts_alone(by)
        and account_proposals.activation_needs_approval(user)
    ):
        raise PermissionDenied(
            "三员分立：恢复持有业务角色或特权角色的账号须提交申请，由另一名管理员审批。"
        )
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.is_active == active:
            state = "启用" if active else "停用"
            raise ValidationFailed(f"该账号已是{state}状态。", field="is_active")
        locked.is_active = active
        locked.save(update_fields=["is_active"])
        audit_record(
            actor=by,
            action="account.activate" if active else "account.deactivate",
            obj=locked,
            changes=changes_between({"is_active": not active}, {"is_active": active}),
        )
    return locked


def account_deactivate(*, by, user: User) -> User:
    """Stop the account: it can no longer log in and its open sessions end (Django's
    authentication refuses inactive users on every request). Its history stays."""
    return _account_set_active(by=by, user=user, active=False)


def account_activate(*, by, user: User) -> User:
    return _account_set_active(by=by, user=user, active=True)


def account_password_reset(*, by, user: User, new_password: str) -> User:
    """Set a password chosen by the administrator; its holder must change it at next login
    and every open session of the account ends (the session hash covers the password).
    A privileged account's password (district-wide or system role) needs a second
    administrator (``account_password_reset_propose``) unless ``by`` acts alone."""
    from . import account_proposals

    _require_manageable(by=by, user=user)
    if by is not None and by.pk == user.pk:
        raise PermissionDenied("不能重置自己的密码，请通过“修改密码”修改。")
    if not account_proposals.acts_alone(by) and account_proposals.password_reset_needs_approval(
        user
    ):
        raise PermissionDenied(
            "三员分立：特权账号（全区范围的业务角色、审计或安全管理员）的密码重置须提交申请，"
            "由另一名管理员审批。"
        )
    _validated_password(new_password, user, "password")
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        before = {"password": locked.password, "password_changed_at": locked.password_changed_at}
        locked.set_password(new_password)
        locked.password_changed_at = None
        locked.save(update_fields=["password", "password_changed_at"])
        after = {"password": locked.password, "password_changed_at": None}
        audit_record(
            actor=by,
            action="account.password_reset",
            obj=locked,
            changes=changes_between(before, after),
        )
    return locked


def account_unlock(*, by, user: User) -> int:
    """Clear the login lockout of the account (django-axes); returns the attempt rows
    removed. Refused when the account is not locked, so nothing is logged for nothing."""
    from axes.models import AccessAttempt
    from axes.utils import reset as axes_reset

    from .selectors import lockout_attempts

    _require_manageable(by=by, user=user)
    with transaction.atomic():
        if not lockout_attempts(username=user.username).exists():
            raise ValidationFailed("该账号未被锁定。", field="locked")
        failures = sum(
            AccessAttempt.objects.filter(username=user.username).values_list(
                "failures_since_start", flat=True
            )
        )
        removed = axes_reset(username=user.username)
        audit_record(
            actor=by,
            action="account.unlock",
            obj=user,
            changes=changes_between(
                {"locked": True, "failed_logins": failures}, {"locked": False, "failed_logins": 0}
            ),
        )
    return removed

"""Parameters for the URL walk (jiceng/core/tests/test_url_walk.py) of the core's routes.

Every app with parameterised routes has a ``tests/walk.py`` like this one: ``walk_params``
returns, per route name, the URL parameters of a row inside the acting role's scope (or None
where that role sees no such row) and of a row of the other street (street B of the `world`
fixture); ``out_of_scope_names`` lists texts of street B's rows that must never show.
"""

from jiceng.core.roles import Role

GRID_LEVEL = {Role.GRID_STEWARD, Role.SHARED_STEWARD, Role.RIDER}
ROSTER_PLANNERS = {Role.DISTRICT_ADMIN, Role.STREET_STAFF, Role.COMMUNITY_STAFF, Role.CHIEF_STEWARD}


def walk_params(world) -> dict:
    # grid_a1 and its steward lie under every business role's scope in the fixture.
    area_in = {"code": world.grid_a1.code}
    area_out = {"code": world.community_b1.code}
    person_in = {"pk": world.people_a[1].pk, "field": "phone"}
    person_out = {"pk": world.people_b[0].pk, "field": "phone"}
    return {
        "core:area_detail": (lambda role: area_in, area_out),
        "core:area_children": (lambda role: area_in, area_out),
        "core:area_indicators": (lambda role: area_in, area_out),
        "core:person_detail": (lambda role: person_in, person_out),
        "core:person_reveal": (lambda role: person_in, person_out),
        "core:area_edit": (lambda role: area_in, area_out),
        "core:area_child_create": (lambda role: area_in, area_out),
        "core:area_post_create": (lambda role: area_in, area_out),
        "core:person_edit": (lambda role: person_in, person_out),
        "core:person_post_create": (lambda role: person_in, person_out),
        "core:post_end": (lambda role: person_in, person_out),
        **_account_params(world),
        **_excel_params(world),
    }


def out_of_scope_names(world) -> list[str]:
    return ["赵春元", "钱村民", "春元里社区", "测试村"]


def _account_params(world) -> dict:
    """Account pages. In reach: the security administrator's own account, so the walk's
    junk POSTs as that role are refused (no self-deactivation, self-grant or self-reset).
    Out of reach of everyone but superusers: a superuser's account."""
    from jiceng.core.models import User

    own = world.users[Role.SECURITY_ADMIN]
    root, _ = User.objects.get_or_create(
        username="t_root", defaults={"is_superuser": True, "is_staff": True}
    )
    own_assignment = own.role_assignments.get().pk
    inside = {"pk": own.pk, "ra": own_assignment}
    outside = {"pk": root.pk, "ra": own_assignment}
    names = (
        "core:account_detail",
        "core:account_role_assign",
        "core:account_role_end",
        "core:account_deactivate",
        "core:account_activate",
        "core:account_password_reset",
        "core:account_unlock",
        "core:account_otp_reset",
    )
    params = {name: (lambda role: inside, outside) for name in names}
    return {**params, **_proposal_params(world)}


def _proposal_params(world) -> dict:
    """A pending proposal by another security administrator: the walk's security
    administrator may neither decide it (same role) nor withdraw it (not its proposer);
    only the district administrator may approve it. Out of reach: a proposal that does
    not exist."""
    from jiceng.core.models import AccountChangeProposal, ProposalKind, RoleAssignment, User

    proposer, created = User.objects.get_or_create(username="t_security_admin_2")
    if created:
        RoleAssignment.objects.create(user=proposer, role=Role.SECURITY_ADMIN, area=world.district)

    # Made directly, not by the service: the walk's snapshot counts audit rows.
    proposal = AccountChangeProposal.objects.create(
        kind=ProposalKind.ROLE_GRANT,
        account=world.users[Role.GRID_STEWARD],
        role=Role.STREET_STAFF,
        area=world.street_a,
        proposed_by=proposer,
        proposer_role=Role.SECURITY_ADMIN,
    )
    inside, outside = {"pk": proposal.pk}, {"pk": proposal.pk + 100_000}
    names = ("core:proposal_approve", "core:proposal_reject", "core:proposal_withdraw")
    return {name: (lambda role: inside, outside) for name in names}


def _excel_params(world) -> dict:
    """Exports and imports. A list's export and an import are named by key (POST-only
    exports answer GET with 405); an export job is its requester's alone, so the walk's
    out-of-scope job belongs to another account. Downloads of a finished file are covered
    by test_export.py (the walk has no files)."""
    from jiceng.core.models import ExportJob, User

    other, _ = User.objects.get_or_create(username="t_export_owner")
    foreign = ExportJob.objects.create(requester=other, key="core.people", title="人员名单")

    def own_job(role):
        if role is None:
            return {"pk": foreign.pk}
        job = ExportJob.objects.create(
            requester=world.users[role], key="core.people", title="人员名单"
        )
        return {"pk": job.pk}

    return {
        "core:list_export": (lambda role: {"key": "core.people"}, None),
        "core:export_job_progress": (own_job, {"pk": foreign.pk}),
        "core:export_job_download": (lambda role: None, {"pk": foreign.pk}),
        "core:import": (lambda role: {"key": "core.people"}, None),
        # The template is a binary file, which the walk cannot read for leaks: it asks only
        # as the roles that are refused it (test_import.py downloads it).
        "core:import_template": (
            lambda role: None if role in ROSTER_PLANNERS else {"key": "appeals.duty_roster"},
            None,
        ),
    }

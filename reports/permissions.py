"""Who may use which report. One function per rule, used by views (403) and templates."""

from tracker.roles import QC_LEAD, SUPERVISOR, has_role, is_admin

from .models import Upload


def can_export_qc_report(user) -> bool:
    return user.has_perm("cases.export_qc_report")


def can_exchange_handoff(user) -> bool:
    return user.has_perm("cases.exchange_handoff")


def uploads_visible_to(user):
    """Uploads of the reports this user works with. State Monitors share the hand-off work, so
    each sees every hand-off upload, not only their own."""
    from .handoff import HANDOFF_SPEC

    report_ids = []
    if can_exchange_handoff(user):
        report_ids.append(HANDOFF_SPEC.report_id)
    return Upload.objects.filter(report_id__in=report_ids).select_related(
        "uploaded_by", "decided_by"
    )


def can_see_pal_performance(user) -> bool:
    """PAL Coordinators (and superusers): how organizations perform, where coverage is thin."""
    return user.has_perm("referrals.view_all_referrals")


def can_delete_upload(user, upload: Upload) -> bool:
    """Whoever may upload this kind of sheet (for a Preferred Assister Report: for its
    organization), and Admins. Views fetch the upload through the user's own scope first."""
    if upload.deleted:
        return False
    if is_admin(user):
        return True
    if upload.assister_report_id:
        from referrals.permissions import assister_reports_visible_to

        return (
            user.has_perm("referrals.view_assisterreport")
            and assister_reports_visible_to(user).filter(pk=upload.assister_report_id).exists()
        )
    return can_exchange_handoff(user)


def can_review_access_log(user) -> bool:
    """Admins (the role, or a superuser): who saw full SSNs, for the state's auditors."""
    return is_admin(user)


def can_see_mco_dashboard(user) -> bool:
    """The MCO tracker dashboard (issue 16): QC Leads and Admins, for every team; Supervisors,
    for the teams they supervise (dashboard_teams)."""
    return is_admin(user) or has_role(user, QC_LEAD, SUPERVISOR)


def dashboard_teams(user):
    """The teams whose figures this user may see on the MCO dashboard: every team for QC Leads
    and Admins (who see every case); for a Supervisor, the teams they supervise — the rule of
    cases.permissions.cases_visible_to and the outreach list. A supervisor's own cases as a CSR
    are not a team's figures and stay out."""
    from tracker.models import Team

    if is_admin(user) or has_role(user, QC_LEAD):
        return Team.objects.order_by("name")
    if has_role(user, SUPERVISOR):
        return Team.objects.filter(supervisor=user).order_by("name")
    return Team.objects.none()


def sees_every_team(user) -> bool:
    """No team chosen means every case, those logged without a team too."""
    return is_admin(user) or has_role(user, QC_LEAD)

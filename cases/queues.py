"""The work lists' querysets, one function per list, each starting from `cases_visible_to`.

Views, the home page counts and exports (e.g. the QC report XLSX) all build on these, so a list,
its count and its export cannot disagree.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, IntegerField, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django_fsm_log.models import StateLog

from tracker.models import Team
from tracker.roles import CSR, QC_LEAD, STATE_MONITOR, SUPERVISOR, has_role, is_admin

from .models import Case, OutreachAttempt
from .permissions import cases_visible_to
from .states import AWAITING_VETTING, OUTREACH_OPEN, State

QC_QUEUE_STATES = [*AWAITING_VETTING, State.RETURNED_BY_MONITOR]


def qc_queue(user):
    """The seed's QC report (Plan Selected in Error + MCO Updated, not yet vetted) plus the cases
    the State Monitors returned. Empty for users who are not QC."""
    queryset = cases_visible_to(user).filter(state__in=QC_QUEUE_STATES)
    if not (has_role(user, QC_LEAD) or is_admin(user)):
        queryset = queryset.none()
    return queryset.for_lists()


def monitor_list(user):
    """The State Monitor hand-off: true tracker cases waiting for MMIS processing."""
    queryset = cases_visible_to(user).filter(state=State.TRUE_TRACKER)
    if not (has_role(user, STATE_MONITOR) or is_admin(user)):
        queryset = queryset.none()
    return queryset.for_lists(ssn=True)


def outreach_open(user):
    """Open outreach on the cases of the teams this user supervises (Admin: every team)."""
    queryset = cases_visible_to(user).filter(state__in=OUTREACH_OPEN)
    if not is_admin(user):
        if not has_role(user, SUPERVISOR):
            return Case.objects.none()
        # cases_visible_to also lets a supervisor who is a CSR see their own cases; the
        # outreach list is only about the teams they supervise. Their ids as constants, not a
        # join: with one team the page is read in order off a partial index (issue 12).
        teams = list(Team.objects.filter(supervisor=user).values_list("pk", flat=True))
        queryset = queryset.filter(team__in=teams)
    return queryset


def supervisor_list(user):
    """The outreach list: outreach_open with the attempts made and when outreach began."""
    queryset = outreach_open(user)
    entered_outreach = (
        StateLog.objects.filter(
            content_type=ContentType.objects.get_for_model(Case),
            object_id=OuterRef("pk"),
            state=State.OUTREACH_REQUIRED,
        )
        .order_by("-timestamp")
        .values("timestamp")[:1]
    )
    # Subqueries, not a join and GROUP BY over the whole list: PostgreSQL computes them for the
    # page's rows only (unless the list is sorted by attempts).
    attempts = OutreachAttempt.objects.filter(case=OuterRef("pk")).order_by().values("case")
    return queryset.for_lists().annotate(
        attempts_made=Coalesce(
            Subquery(attempts.annotate(n=Count("pk")).values("n")), 0, output_field=IntegerField()
        ),
        last_attempt_on=Subquery(attempts.annotate(last=Max("made_on")).values("last")),
        outreach_since=Subquery(entered_outreach),
    )


def csr_list(user):
    """The cases this user logged, wherever they stand."""
    if not (has_role(user, CSR) or is_admin(user)):
        return Case.objects.none()
    return cases_visible_to(user).filter(csr=user).for_lists()

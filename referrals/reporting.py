"""The Preferred Assister Report calendar and the reports due in it: creating the periods and,
for a period, one report per organization that was sent leads in it."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from .calendar import reporting_calendar
from .models import AssisterOrganization, AssisterReport, Referral, ReportingPeriod


@transaction.atomic
def create_reporting_periods(
    *, start: date, first_end: date, length: int, count: int
) -> tuple[list[ReportingPeriod], int]:
    """Create the calendar's periods; returns (created, already there).

    Running it again with the same answers creates nothing. A period that overlaps an existing,
    different one is refused with the dates of both, and nothing is created.
    """
    try:
        periods = reporting_calendar(start=start, first_end=first_end, length=length, count=count)
    except ValueError as error:
        raise ValidationError(str(error)) from None
    created, existing = [], 0
    for period in periods:
        same = ReportingPeriod.objects.filter(
            start=period.start, end=period.end, send_on=period.send_on, due_on=period.due_on
        )
        if same.exists():
            existing += 1
            continue
        clash = ReportingPeriod.objects.filter(
            Q(start__lte=period.end) & Q(end__gte=period.start)
        ).first()
        if clash is not None:
            raise ValidationError(
                f"The period {period.start:%m/%d/%Y}–{period.end:%m/%d/%Y} would overlap the "
                f"existing period {clash}. Nothing was created."
            )
        created.append(
            ReportingPeriod.objects.create(
                start=period.start, end=period.end, send_on=period.send_on, due_on=period.due_on
            )
        )
    return created, existing


def reports_for_period(period: ReportingPeriod) -> list[AssisterReport]:
    """Every organization sent leads in the period has a report (pending until it is sent)."""
    with_leads = AssisterOrganization.objects.filter(
        pk__in=Referral.objects.reported_in(period).values("organization")
    ).exclude(reports__period=period)
    AssisterReport.objects.bulk_create(
        [AssisterReport(organization=org, period=period) for org in with_leads],
        ignore_conflicts=True,
    )
    return list(
        AssisterReport.objects.filter(period=period)
        .select_related("organization", "period", "sent_by", "last_upload")
        # An upload's stored problems and preview are for its own page, not this list.
        .defer("last_upload__errors", "last_upload__preview")
        .order_by("organization__name")
    )


def current_period(today: date) -> ReportingPeriod | None:
    """The period `today` falls in, else the next one to start, else the last one."""
    return (
        ReportingPeriod.objects.filter(end__gte=today).order_by("start").first()
        or ReportingPeriod.objects.order_by("-start").first()
    )

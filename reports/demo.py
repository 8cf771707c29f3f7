"""Demo Preferred Assister Report calendar around today: the first period's reports are due to
go out, and go out (the demo command sends no real email)."""

from datetime import timedelta

from django.utils import timezone

from referrals.models import ReportingPeriod
from referrals.reporting import create_reporting_periods

from .assister_send import send_due_reports
from .mco_dashboard.rollup import forget as forget_rollup


def load(stdout, *, users):
    # The demo's cases are backdated (cases.demo): a rollup of those days made before they were
    # there would hide them.
    forget_rollup()
    if ReportingPeriod.objects.exists():
        stdout.write("Reporting calendar already there; none added.")
        return users
    today = timezone.localdate()
    periods, _ = create_reporting_periods(
        start=today - timedelta(days=24), first_end=today - timedelta(days=11), length=14, count=5
    )
    sent, _ = send_due_reports(today)
    stdout.write(f"Demo reporting calendar: {len(periods)} periods, {sent} reports sent.")
    return users

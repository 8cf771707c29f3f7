"""What the scorecard's parts (reports.performance, reports.scorecard_languages) share: which
leads fall in the chosen periods, and how a share is written."""

from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from referrals.models import ReportingPeriod


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def sent_during(periods: list[ReportingPeriod]) -> Q:
    return during(periods, "sent_at")


def during(periods: list[ReportingPeriod], field_name: str) -> Q:
    """`field_name` (a timestamp: sent, declined) on a local date within one of the periods,
    as Referral.objects.reported_in says of sending, but written as timestamp ranges
    (adjacent periods merged: a season is one range): a `sent_at__date` test converts every
    row's timestamp to a local date, 55 times over for a season. Midnight is the first
    instant of a local day, also where a DST change skips it (make_aware then reads it with
    the offset before the change)."""
    spans: list[list[date]] = []
    for period in sorted(periods, key=lambda p: p.start):
        if spans and period.start <= spans[-1][1] + timedelta(days=1):
            spans[-1][1] = max(spans[-1][1], period.end)
        else:
            spans.append([period.start, period.end])
    sent = Q(pk__in=[])
    for start, end in spans:
        sent |= Q(
            **{
                f"{field_name}__gte": _local_midnight(start),
                f"{field_name}__lt": _local_midnight(end + timedelta(days=1)),
            }
        )
    return sent

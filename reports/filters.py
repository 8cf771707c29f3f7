"""The query strings of the PAL coordinator pages, validated like any form: a hand-edited URL
gets a 400 that says what is wrong, never a server error."""

from datetime import date, timedelta

from django import forms

from referrals.models import ReportingPeriod

ALL_PERIODS = "all"


class PerformanceQuery(forms.Form):
    """?period=<pk>|all; empty means the latest sent period."""

    period = forms.CharField(required=False)

    def clean_period(self):
        value = self.cleaned_data["period"]
        if value in ("", ALL_PERIODS):
            return value
        return forms.ModelChoiceField(
            queryset=ReportingPeriod.objects.all(),
            error_messages={"invalid_choice": "There is no such reporting period."},
        ).clean(value)


class CoverageQuery(forms.Form):
    """?since=YYYY-MM-DD: count unmet requests from that day on."""

    since = forms.DateField(required=False)


def query_problems(form) -> str:
    """The errors of a query form as one line for the page ("" when it is valid)."""
    if form.is_valid():
        return ""
    return " ".join(error for errors in form.errors.values() for error in errors)


class McoDashboardQuery(forms.Form):
    """The MCO dashboard's ?period=week|4weeks|quarter|range&start=&end=&team=<pk>. The teams
    offered are the ones the user may see (reports.permissions.dashboard_teams)."""

    WEEK, FOUR_WEEKS, QUARTER, RANGE = "week", "4weeks", "quarter", "range"
    # A year and a day at most: the figures stay quick (bench/mco_dashboard.py) and a year is
    # what a lead compares.
    MAX_DAYS = 366
    EARLIEST = date(2000, 1, 1)

    period = forms.ChoiceField(
        label="Period",
        required=False,
        choices=[
            (WEEK, "This week"),
            (FOUR_WEEKS, "Last 4 weeks"),
            (QUARTER, "This quarter"),
            (RANGE, "Dates below"),
        ],
    )
    start = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    team = forms.ModelChoiceField(
        label="Team",
        required=False,
        queryset=None,
        empty_label="All my teams",
        error_messages={"invalid_choice": "Choose one of the teams listed."},
    )

    def __init__(self, *args, teams, today: date, every_team: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["team"].queryset = teams
        if every_team:  # QC Leads and Admins: no team chosen is every case, not "their" teams
            self.fields["team"].empty_label = "All teams"

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        period = cleaned.get("period") or self.FOUR_WEEKS
        today = self.today
        monday = today - timedelta(days=today.weekday())
        if period == self.WEEK:
            start, end = monday, today
        elif period == self.FOUR_WEEKS:
            start, end = monday - timedelta(weeks=3), today
        elif period == self.QUARTER:
            start, end = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1), today
        else:
            start, end = cleaned.get("start"), cleaned.get("end")
            if start is None:
                self.add_error("start", "Give the first day of the period.")
            if end is None:
                self.add_error("end", "Give the last day of the period.")
            if start is None or end is None:
                return cleaned
            if start < self.EARLIEST:
                self.add_error("start", f"Start on or after {self.EARLIEST:%m/%d/%Y}.")
            elif end < start:
                self.add_error("end", "The period must end on or after its first day.")
            elif end > today:
                self.add_error("end", "The period cannot end after today.")
            elif (end - start).days + 1 > self.MAX_DAYS:
                self.add_error("end", f"Choose at most {self.MAX_DAYS} days.")
        cleaned["period"], cleaned["start"], cleaned["end"] = period, start, end
        return cleaned


def named_problems(form) -> str:
    """The errors of a query form as one line, each naming its field ("" when it is valid)."""
    if form.is_valid():
        return ""
    return " ".join(
        f"{form.fields[name].label if name in form.fields else 'Query'}: {error}"
        for name, errors in form.errors.items()
        for error in errors
    )

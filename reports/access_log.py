"""The identifier access log for Admins and the state's auditors: filter by person, case, action
and dates; export what the filter shows (XLSX for reading, CSV for every case id in full)."""

import csv
import re

from django import forms
from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.http import StreamingHttpResponse
from django.utils import timezone

from tracker.models import IdentifierAccess, User

from .exports import xlsx_response
from .sheets import Column, Kind, SheetSpec
from .sheets.writer import neutralise

# "MCO-000123", "mco-123", "MCO000123" or "123": the case's number or its id.
CASE_NUMBER = re.compile(r"^(?:MCO-?)?0*(\d{1,12})$", re.IGNORECASE)
# Excel refuses a cell longer than 32,767 characters; a hand-off export can list more cases.
XLSX_CELL_LIMIT = 32_000


def case_number(pk: int) -> str:
    return f"MCO-{pk:06d}"


class AccessLogFilter(forms.Form):
    person = forms.ModelChoiceField(
        queryset=User.objects.order_by("username"), required=False, empty_label="Anyone"
    )
    case = forms.CharField(
        label="Case", max_length=20, required=False, help_text="Case number, e.g. MCO-000123"
    )
    action = forms.ChoiceField(choices=[("", "Any"), *IdentifierAccess.ACTIONS], required=False)
    since = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_case(self) -> int | None:
        value = self.cleaned_data["case"].strip()
        if not value:
            return None
        match = CASE_NUMBER.match(value)
        if not match or int(match.group(1)) == 0:
            raise forms.ValidationError("Enter a case number such as MCO-000123.")
        return int(match.group(1))

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", "The end date must be on or after the start date.")
        return cleaned

    def filter(self, queryset=None):
        """The log rows matching the (valid) form, newest first."""
        queryset = IdentifierAccess.objects.all() if queryset is None else queryset
        data = self.cleaned_data
        if data.get("person"):
            queryset = queryset.filter(user=data["person"])
        if data.get("action"):
            queryset = queryset.filter(action=data["action"])
        if data.get("since"):
            queryset = queryset.filter(at__date__gte=data["since"])
        if data.get("until"):
            queryset = queryset.filter(at__date__lte=data["until"])
        if data.get("case"):
            queryset = shown_case(queryset, data["case"])
        return queryset.select_related("user").order_by("-at", "-pk")


def shown_case(queryset, case_id: int):
    """Rows whose `object_ids` hold `case_id`. PostgreSQL: jsonb containment (GIN index,
    migration tracker 0003); SQLite has no JSON `contains` lookup, so json_each."""
    if connection.vendor == "postgresql":
        return queryset.filter(object_ids__contains=[case_id])
    table = IdentifierAccess._meta.db_table
    shown = RawSQL(
        f"EXISTS (SELECT 1 FROM json_each({table}.object_ids) WHERE json_each.value = %s)",
        [case_id],
        output_field=BooleanField(),
    )
    return queryset.alias(shown=shown).filter(shown=True)


def _cases(access: IdentifierAccess, limit: int | None = None) -> str:
    text = ", ".join(case_number(pk) for pk in access.object_ids)
    if limit is not None and len(text) > limit:
        cut = text[:limit].rsplit(", ", 1)[0]
        listed = cut.count(", ") + 1
        text = f"{cut} … and {len(access.object_ids) - listed} more (the CSV export lists all)"
    return text


ACCESS_LOG_SPEC = SheetSpec(
    report_id="identifier-access-log",
    version=1,
    title="Identifier access log",
    filename_stem="identifier-access-log",
    columns=(
        Column("at", "When", 18, accessor=lambda a: a.at, kind=Kind.DATE),
        Column("username", "User name", 16, accessor=lambda a: a.user.username),
        Column("name", "Person", 22, accessor=lambda a: a.user.get_full_name()),
        Column("action", "Action", 10, accessor=lambda a: a.get_action_display()),
        Column("what", "Page or export", 30, accessor=lambda a: a.what),
        Column("count", "Cases shown", 10, accessor=lambda a: len(a.object_ids), kind=Kind.NUMBER),
        Column("cases", "Case numbers", 60, accessor=lambda a: _cases(a, XLSX_CELL_LIMIT)),
    ),
)


def export_xlsx(queryset):
    return xlsx_response(ACCESS_LOG_SPEC, queryset.iterator(chunk_size=2000))


class _Echo:
    def write(self, value):
        return value


def export_csv(queryset):
    """Streamed, so a year of log rows never sits in memory; every case number in full."""
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow([c.header for c in ACCESS_LOG_SPEC.columns])
        for access in queryset.iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    timezone.localtime(access.at).isoformat(timespec="seconds"),
                    neutralise(access.user.username),
                    neutralise(access.user.get_full_name()),
                    access.get_action_display(),
                    neutralise(access.what),
                    len(access.object_ids),
                    _cases(access),
                ]
            )

    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="identifier-access-log-{stamp}.csv"'
    return response

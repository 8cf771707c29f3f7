"""The season scorecard (reports.performance._lead_counts) groups 166,000 leads by organization
and two day counts (sending to contact, sending to accepting). PostgreSQL guesses a group count
from the columns inside those expressions — near one group a lead (142,565) where there are
3,044 — so it sorted every lead and spilled the sort to disk instead of hashing a few thousand
groups. Extended statistics on exactly the grouped expressions give it the real number.

The expressions must be the ones Django writes for _lead_counts, word for word (PostgreSQL
matches them as trees): tests/reports/test_performance_plan.py fails if they drift apart.
SQLite has no such statistics and needs none; PostgreSQL before 14 has none on expressions (the
scorecard is right there too, only slower)."""

from django.conf import settings
from django.db import migrations

NAME = "referral_lead_days_stats"


def _sql(zone: str) -> str:
    sent_on = f"(\"sent_at\" AT TIME ZONE '{zone}')::date"
    accepted_on = f"(\"accepted_at\" AT TIME ZONE '{zone}')::date"
    return (
        f"CREATE STATISTICS {NAME} (ndistinct) ON organization_id, "
        '(CASE WHEN ("contact_date" IS NOT NULL AND "contact_made") '
        f"THEN (interval '1 day' * (\"contact_date\" - {sent_on})) ELSE NULL END), "
        "(CASE WHEN (\"accepted_at\" IS NOT NULL AND \"state\" IN ('accepted', 'in_progress', "
        f"'completed')) THEN (interval '1 day' * ({accepted_on} - {sent_on})) ELSE NULL END) "
        "FROM referrals_referral"
    )


def _has_expression_statistics(connection) -> bool:
    return connection.vendor == "postgresql" and connection.pg_version >= 140000


def create(apps, schema_editor):
    if _has_expression_statistics(schema_editor.connection):
        schema_editor.execute(_sql(settings.TIME_ZONE))


def drop(apps, schema_editor):
    if _has_expression_statistics(schema_editor.connection):
        schema_editor.execute(f"DROP STATISTICS IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("referrals", "0014_org_profile")]

    operations = [migrations.RunPython(create, drop)]

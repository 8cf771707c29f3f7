"""The season scorecard's lead query groups by two day counts; PostgreSQL knows how few groups
that makes only from the extended statistics of migration referrals 0015, which name the
grouped expressions word for word. If the query's SQL drifts from them, the estimate falls back
to about a group a lead (a disk sort at a million cases): this test says so."""

import json
from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from referrals.models import County, Referral
from referrals.states import State
from reports.performance import _lead_counts


def test_postgresql_knows_how_few_groups_the_lead_counts_make(oe5, make_org, pal_rep):
    if connection.vendor != "postgresql" or connection.pg_version < 140000:
        pytest.skip("statistics on expressions are PostgreSQL's, from 14")
    orgs = [make_org("Lakes Area Navigators"), make_org("Metro Brokers", kind="broker")]
    county = County.objects.get(name="Hennepin")
    start = oe5[0].start
    leads = []
    for number in range(600):
        day = start + timedelta(days=number % 30)
        # Every lead sent at its own instant (sent_at alone looks near unique) but contacted
        # 1 or 2 days and accepted 0 or 1 day later: 2 × (1 + 2) × (1 + 2) groups at most.
        sent_at = timezone.make_aware(datetime.combine(day, time(9))) + timedelta(seconds=number)
        accepted = number % 3 != 0
        leads.append(
            Referral(
                state=State.ACCEPTED if accepted else State.SENT,
                created_by=pal_rep,
                consumer_name=f"Consumer {number}",
                phone="612-555-0142",
                county=county,
                has_active_account=True,
                has_active_application=True,
                reason_for_help="Plans",
                guidance_given="PAL",
                consent=True,
                assister_type=orgs[number % 2].kind,
                type_reason="Test",
                organization=orgs[number % 2],
                sent_at=sent_at,
                accepted_at=sent_at + timedelta(days=number % 2) if accepted else None,
                contact_made=number % 5 != 0,
                contact_date=day + timedelta(days=1 + number % 2),
            )
        )
    Referral.objects.bulk_create(leads)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE referrals_referral")
        sql, params = _lead_counts(oe5).query.sql_with_params()
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    groups = len(list(_lead_counts(oe5)))
    assert 2 < groups <= 18
    assert plan[0]["Plan"]["Plan Rows"] <= 3 * groups, plan[0]["Plan"]

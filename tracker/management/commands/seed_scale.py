"""Fill a database with a production-sized history (issue 12): cases in every state with their
transitions, outreach and participants (SSNs encrypted by the model field, blind index filled),
referrals with deliveries and outcomes, and every organization's reports.

    DATABASE_URL=postgres://... python manage.py seed_scale --cases 1000000 --referrals 200000

PostgreSQL gets COPY and a process pool for the SSN encryption; SQLite gets bulk_create (small
sizes, for the test). A database that holds anything but seeded data is refused unless --force:
seeded users are named `seed.*`, and every case and referral has a user.
"""

import multiprocessing
import random
import time
from collections import deque
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, connections, transaction
from django.utils import timezone
from django_fsm_log.models import StateLog

from cases.models import Case, OutreachAttempt, Participant
from referrals.models import AssisterReport, LeadDelivery, Referral
from reports.mco_dashboard.rollup import forget as forget_dashboard_rollup
from tracker.models import User
from tracker.scale import directory, writer
from tracker.scale.cases import CaseMaker
from tracker.scale.referrals import ReferralMaker, report_rows

CHUNK = 10_000
LOADED = [Case, Participant, StateLog, OutreachAttempt, Referral, LeadDelivery, AssisterReport]


def _skip_row_triggers() -> None:
    """Skip per-row foreign-key checks for the rest of the transaction, as pg_dump's
    --disable-triggers does: every key is written by this command from ids it allocated, and
    checking millions of them one by one took a third of the time. Needs a superuser; other
    roles keep the checks (slower, same result)."""
    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        pass


class Command(BaseCommand):
    help = "Seed a large, realistic data set for benchmarks (PostgreSQL: COPY)."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=1_000_000)
        parser.add_argument("--referrals", type=int, default=200_000)
        parser.add_argument("--years", type=float, default=4.0, help="History spread (years)")
        parser.add_argument("--seed", type=int, default=12, help="Random seed (repeatable data)")
        parser.add_argument(
            "--workers", type=int, default=2, help="Processes encrypting SSNs (PostgreSQL only)"
        )
        parser.add_argument(
            "--force", action="store_true", help="Seed even a database that holds other data"
        )

    def handle(self, *args, cases, referrals, years, seed, workers, force, **options):
        if cases < 0 or referrals < 0:
            raise CommandError("--cases and --referrals must be zero or more.")
        others = User.objects.exclude(username__startswith=directory.SEED_PREFIX)
        if others.exists() and not force:
            raise CommandError(
                f"This database holds users not made by seed_scale ({others.count()}, e.g. "
                f"“{others.first().username}”): it may hold real data. Seed an empty database "
                "(after `migrate`), or pass --force to add seeded data anyway."
            )
        pool = None
        # Forking needs the connection closed, which would end a caller's transaction (a test's).
        if connection.vendor == "postgresql" and workers > 0 and not connection.in_atomic_block:
            connections.close_all()  # no open socket shared with the forked workers
            pool = multiprocessing.get_context("fork").Pool(workers)
        started = time.monotonic()
        try:
            with transaction.atomic(), writer.indexes_built_after(LOADED):
                counts = self._seed(cases, referrals, years, random.Random(seed), pool)
                # Its cases span past years: a dashboard rollup made before would hide them.
                forget_dashboard_rollup()
        finally:
            if pool is not None:
                pool.close()
                pool.join()
        seeded = time.monotonic() - started
        if connection.vendor == "postgresql":
            # VACUUM as autovacuum would soon after: it sets the visibility map, without which
            # a fresh table allows no index-only scans and benchmarks read the heap for counts.
            # VACUUM cannot run in a transaction (a test's): there, ANALYZE alone.
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            with connection.cursor() as cursor:
                for model in counts:
                    cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")
        for model, n in counts.items():
            self.stdout.write(f"  {model._meta.label:<28} {n:>10,}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded in {seeded:.0f} s (+{time.monotonic() - started - seeded:.0f} s VACUUM)."
            )
        )

    def _seed(self, n_cases, n_referrals, years, rng, pool):
        now = timezone.now().replace(microsecond=0)
        start = now - timedelta(days=round(365.25 * years))
        d = directory.load(start=timezone.localdate(start), rng=rng)
        _skip_row_triggers()
        models = [Case, Participant, StateLog, OutreachAttempt, Referral, LeadDelivery]
        ids = {model: writer.next_id(model) for model in [*models, AssisterReport]}
        counts = dict.fromkeys([*models, AssisterReport], 0)

        def put(model, rows):
            counts[model] += writer.write(model, rows)
            ids[model] += len(rows)

        # Cases: participants are encrypted in the pool while the rest is written here.
        maker = CaseMaker(
            d,
            content_type_id=ContentType.objects.get_for_model(Case).pk,
            start=start,
            end=now,
            rng=rng,
        )
        pending = deque()
        done = 0
        tick = time.monotonic()
        while done < n_cases:
            batch = {Case: [], Participant: [], StateLog: [], OutreachAttempt: []}
            for _ in range(min(CHUNK, n_cases - done)):
                case, people, logs, attempts = maker.make(
                    ids[Case] + len(batch[Case]),
                    ids[Participant] + len(batch[Participant]),
                    ids[StateLog] + len(batch[StateLog]),
                    ids[OutreachAttempt] + len(batch[OutreachAttempt]),
                )
                batch[Case].append(case)
                batch[Participant].extend(people)
                batch[StateLog].extend(logs)
                batch[OutreachAttempt].extend(attempts)
            done += len(batch[Case])
            people = batch.pop(Participant)
            if pool is None:
                put(Participant, people)
            else:
                pending.append(pool.apply_async(writer.convert, ("cases.Participant", people)))
                ids[Participant] += len(people)
                counts[Participant] += len(people)
            for model, rows in batch.items():
                put(model, rows)
            while len(pending) > 2 or (pending and done >= n_cases):
                writer.copy_tuples(Participant, pending.popleft().get())
            if time.monotonic() - tick > 15:
                tick = time.monotonic()
                self.stdout.write(f"  {done:,} cases…")

        referral_maker = ReferralMaker(
            d,
            content_type_id=ContentType.objects.get_for_model(Referral).pk,
            start=start,
            end=now,
            rng=rng,
        )
        done = 0
        while done < n_referrals:
            batch = {Referral: [], StateLog: [], LeadDelivery: []}
            for _ in range(min(CHUNK, n_referrals - done)):
                referral, logs, deliveries = referral_maker.make(
                    ids[Referral] + len(batch[Referral]),
                    ids[StateLog] + len(batch[StateLog]),
                    ids[LeadDelivery] + len(batch[LeadDelivery]),
                )
                batch[Referral].append(referral)
                batch[StateLog].extend(logs)
                batch[LeadDelivery].extend(deliveries)
            done += len(batch[Referral])
            for model, rows in batch.items():
                put(model, rows)

        existing = set(AssisterReport.objects.values_list("organization_id", "period_id"))
        reports = [
            row
            for row in report_rows(d, first_id=ids[AssisterReport], today=timezone.localdate())
            if (row["organization_id"], row["period_id"]) not in existing
        ]
        for i, row in enumerate(reports):
            row["id"] = ids[AssisterReport] + i
        put(AssisterReport, reports)
        writer.reset_sequences([*models, AssisterReport])
        return counts

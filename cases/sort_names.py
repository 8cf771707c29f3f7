"""The copies of the CSR's, team's and MCO's names on each case, kept only so that the work lists
sort by them through an index (issue 12; cases.models.SORT_NAME_FIELDS).

Case.save() copies them when a case's CSR, team or MCO is set; when a user, team or MCO is
renamed, the receivers below rewrite the copies on that one's cases (an indexed UPDATE of the
rows that differ); `refresh_all()` rewrites every case (the seed and the migration use it).
"""

from django.db import connections
from django.db.models.signals import post_save

from .models import SORT_NAMES_OF, Case


def copy_names(case) -> list[str]:
    """Set `case`'s copies from its CSR, team and MCO; return the fields set."""
    changed = []
    for relation, copies in SORT_NAMES_OF.items():
        related = getattr(case, relation) if getattr(case, f"{relation}_id") else None
        for field, source in copies.items():
            setattr(case, field, getattr(related, source, "") or "")
            changed.append(field)
    return changed


def _renamed(relation, instance, update_fields):
    copies = SORT_NAMES_OF[relation]
    if update_fields is not None and not set(update_fields) & set(copies.values()):
        return  # e.g. last_login on every sign-in
    names = {field: getattr(instance, source) or "" for field, source in copies.items()}
    Case.objects.filter(**{relation: instance}).exclude(**names).update(**names)


def user_saved(sender, instance, created, update_fields=None, **kwargs):
    if not created:
        _renamed("csr", instance, update_fields)


def team_saved(sender, instance, created, update_fields=None, **kwargs):
    if not created:
        _renamed("team", instance, update_fields)


def mco_saved(sender, instance, created, update_fields=None, **kwargs):
    if not created:
        _renamed("target_mco", instance, update_fields)


def connect():
    from django.contrib.auth import get_user_model

    from tracker.models import Team

    from .models import Mco

    post_save.connect(user_saved, sender=get_user_model(), dispatch_uid="cases.sort_names.user")
    post_save.connect(team_saved, sender=Team, dispatch_uid="cases.sort_names.team")
    post_save.connect(mco_saved, sender=Mco, dispatch_uid="cases.sort_names.mco")


# PostgreSQL: one joined UPDATE (a million rows in about a minute).
REFRESH_SQL = """
UPDATE cases_case c SET
    csr_last_name = COALESCE(u.last_name, ''), csr_first_name = COALESCE(u.first_name, ''),
    team_name = COALESCE(t.name, ''), mco_name = COALESCE(m.name, '')
FROM cases_case c2
LEFT JOIN tracker_user u ON u.id = c2.csr_id
LEFT JOIN tracker_team t ON t.id = c2.team_id
LEFT JOIN cases_mco m ON m.id = c2.target_mco_id
WHERE c.id = c2.id AND (
    c.csr_last_name IS DISTINCT FROM COALESCE(u.last_name, '')
    OR c.csr_first_name IS DISTINCT FROM COALESCE(u.first_name, '')
    OR c.team_name IS DISTINCT FROM COALESCE(t.name, '')
    OR c.mco_name IS DISTINCT FROM COALESCE(m.name, ''))
"""


# Elsewhere (SQLite): correlated subqueries.
REFRESH_SQL_PORTABLE = """
UPDATE cases_case SET
    csr_last_name = COALESCE((SELECT last_name FROM tracker_user u WHERE u.id = csr_id), ''),
    csr_first_name = COALESCE((SELECT first_name FROM tracker_user u WHERE u.id = csr_id), ''),
    team_name = COALESCE((SELECT name FROM tracker_team t WHERE t.id = team_id), ''),
    mco_name = COALESCE((SELECT name FROM cases_mco m WHERE m.id = target_mco_id), '')
"""


def refresh_all(using="default") -> int:
    """Rewrite every case's copies that differ (one statement); returns the rows changed."""
    db = connections[using]
    with db.cursor() as cursor:
        cursor.execute(REFRESH_SQL if db.vendor == "postgresql" else REFRESH_SQL_PORTABLE)
        return cursor.rowcount

"""The identifier access log is append-only for everyone: the model, its queryset, the Django
admin (superusers included) and, on PostgreSQL, the database itself refuse changes."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from tracker.audit import record_identifier_access
from tracker.models import AppendOnlyError, IdentifierAccess

from ..conftest import make_user


@pytest.fixture
def superuser(db):
    return make_user("root", is_staff=True, is_superuser=True)


@pytest.fixture
def access(monitor):
    return record_identifier_access(
        user=monitor, action=IdentifierAccess.VIEW, what="case MCO-000007", object_ids=[7]
    )


def _unchanged(access):
    row = IdentifierAccess.objects.get(pk=access.pk)
    return (row.what, row.object_ids) == ("case MCO-000007", [7])


@pytest.mark.parametrize(
    "attempt",
    [
        pytest.param(lambda a: (setattr(a, "what", "nothing"), a.save()), id="save"),
        pytest.param(lambda a: a.delete(), id="delete"),
        pytest.param(lambda a: IdentifierAccess.objects.all().delete(), id="queryset-delete"),
        pytest.param(
            lambda a: IdentifierAccess.objects.filter(pk=a.pk).update(what="x"), id="update"
        ),
        pytest.param(
            lambda a: IdentifierAccess.objects.bulk_update([a], ["what"]), id="bulk-update"
        ),
        pytest.param(
            lambda a: IdentifierAccess(pk=a.pk, user=a.user, action="view", what="x").save(),
            id="save-over-a-primary-key",
        ),
    ],
)
def test_it_refuses_every_change_through_the_model(access, attempt):
    with pytest.raises(AppendOnlyError):
        attempt(access)
    assert _unchanged(access)


def test_it_still_adds_rows(access, monitor):
    record_identifier_access(user=monitor, action="export", what="hand-off", object_ids=[3, 1, 3])
    assert IdentifierAccess.objects.count() == 2
    assert IdentifierAccess.objects.latest("pk").object_ids == [1, 3]


def test_it_refuses_deleting_in_the_admin_even_to_a_superuser(client, superuser, access):
    client.force_login(superuser)
    changelist = reverse("admin:tracker_identifieraccess_changelist")

    page = client.get(changelist)
    assert page.status_code == 200
    assert "delete_selected" not in page.content.decode()
    response = client.post(
        changelist, {"action": "delete_selected", "_selected_action": [access.pk], "post": "yes"}
    )
    assert response.status_code in (200, 302)
    delete = reverse("admin:tracker_identifieraccess_delete", args=[access.pk])
    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert IdentifierAccess.objects.filter(pk=access.pk).exists()


def test_it_refuses_editing_and_adding_in_the_admin_even_to_a_superuser(client, superuser, access):
    client.force_login(superuser)
    change = reverse("admin:tracker_identifieraccess_change", args=[access.pk])
    page = client.get(change).content.decode()
    assert 'name="_save"' not in page  # shown read-only
    client.post(change, {"what": "edited", "action": "view", "user": superuser.pk})
    assert client.get(reverse("admin:tracker_identifieraccess_add")).status_code == 403
    assert _unchanged(access)


@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM tracker_identifieraccess",
        "UPDATE tracker_identifieraccess SET what = 'nothing'",
        "UPDATE tracker_identifieraccess SET object_ids = '[]'",
    ],
)
def test_the_database_refuses_raw_changes_on_postgresql(access, sql):
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger is PostgreSQL's (migration tracker 0003)")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql)
    assert _unchanged(access)

"""Confirming an upload twice, or three people confirming it at once: one applies it, the others
are told it was already applied — never a server error, never applied twice (issue 11)."""

import threading

import pytest
from django.db import connection, connections
from django.urls import reverse

from cases.models import Case
from cases.states import State
from reports.handoff_import import confirm_handoff, receive_handoff
from reports.models import AppliedRow, Upload
from reports.uploads import AlreadyHandled

from .workbooks import as_upload, download_handoff, fill


def _previewed(client, monitor, case) -> Upload:
    client.force_login(monitor)
    workbook = fill(download_handoff(client), case, processed="N", reason="Not in MMIS")
    preview = receive_handoff(uploaded_file=as_upload(workbook), by=monitor)
    assert preview.can_confirm, preview.errors
    return preview


def test_a_stale_second_confirmation_is_told_it_was_already_applied(client, monitor, true_case):
    case = true_case()
    preview = _previewed(client, monitor, case)
    stale = Upload.objects.get(pk=preview.pk)  # loaded before the first confirmation

    confirm_handoff(upload=preview, by=monitor)
    with pytest.raises(AlreadyHandled, match="already applied by monitor"):
        confirm_handoff(upload=stale, by=monitor)

    assert AppliedRow.objects.count() == 1
    assert Case.objects.get(pk=case.pk).returned_count == 1


def test_the_page_says_already_applied_on_a_second_click(client, monitor, true_case):
    preview = _previewed(client, monitor, true_case())
    url = reverse("reports:upload_confirm", args=[preview.pk])
    client.post(url)
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert "This upload was already applied by monitor" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_simultaneous_confirmations_apply_once(client, monitor, true_case):
    if connection.vendor == "sqlite":
        # The in-memory test database is shared between threads without real locking; the
        # claim-first confirm relies on the file database's write lock (WAL + IMMEDIATE).
        pytest.skip("needs a database with real concurrent connections")
    case = true_case()
    preview = _previewed(client, monitor, case)
    start = threading.Barrier(3)
    outcomes: list[str] = []

    def confirm():
        try:
            start.wait()
            confirm_handoff(upload=Upload.objects.get(pk=preview.pk), by=monitor)
            outcomes.append("applied")
        except AlreadyHandled:
            outcomes.append("already")
        except Exception as error:  # anything else is the bug this test is for
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["already", "already", "applied"], outcomes
    assert AppliedRow.objects.count() == 1
    assert Case.objects.get(pk=case.pk).state == State.RETURNED_BY_MONITOR


def test_a_locked_database_is_a_message_not_a_server_error(client, monitor, true_case, monkeypatch):
    from django.db import OperationalError

    from reports import handoff_import

    preview = _previewed(client, monitor, true_case())

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(handoff_import, "_apply", locked)
    response = client.post(reverse("reports:upload_confirm", args=[preview.pk]), follow=True)
    assert response.status_code == 200
    assert "Someone else was saving at the same moment" in response.content.decode()
    assert Upload.objects.get(pk=preview.pk).status == Upload.Status.PREVIEWED

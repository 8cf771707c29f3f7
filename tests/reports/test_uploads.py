from django.urls import reverse
from django.utils import timezone

from reports.models import Upload

from .workbooks import as_upload, download_handoff, fill, upload


def test_it_keeps_each_upload_with_its_outcome(client, monitor, true_case, media_root):
    case = true_case()
    client.force_login(monitor)
    workbook = fill(
        download_handoff(client),
        case,
        processed="Y",
        mmis_date=timezone.localdate(),
        mmis_reference="R-1",
    )
    upload(client, as_upload(workbook, "Monday hand-off.xlsx"))
    kept = Upload.objects.get()
    client.post(reverse("reports:upload_confirm", args=[kept.pk]))
    upload(client, as_upload(workbook, "by mistake.csv"))

    page = client.get(reverse("reports:uploads")).content.decode()

    assert "Monday hand-off.xlsx" in page and "by mistake.csv" in page
    assert "Applied" in page and "Refused — nothing changed" in page
    kept.refresh_from_db()
    assert kept.uploaded_by == monitor and kept.decided_by == monitor
    assert kept.processed_count == 1
    # Stored under MEDIA_ROOT with a random name, not the user's file name.
    assert kept.file.path.startswith(str(media_root))
    assert "Monday" not in kept.file.name


def test_it_lets_state_monitors_see_each_others_uploads(client, monitor, true_case):
    from tests.conftest import make_user
    from tracker.roles import STATE_MONITOR

    true_case()
    colleague = make_user("monitor.two", STATE_MONITOR)
    client.force_login(monitor)
    upload(client, as_upload(download_handoff(client)))
    mine = Upload.objects.get()
    client.force_login(colleague)
    assert client.get(mine.get_absolute_url()).status_code == 200


def test_it_refuses_the_history_to_other_roles(client, qc_lead, csr):
    for user in (qc_lead, csr):
        client.force_login(user)
        assert client.get(reverse("reports:uploads")).status_code == 403

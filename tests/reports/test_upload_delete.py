"""Deleting an upload drops its file and what was read from it; who deleted it and when stay on
record (issue 11). Only those who may upload that sheet, and Admins, may delete it."""

import pytest
from django.urls import reverse

from reports.models import Upload

from . import par
from .workbooks import as_upload, download_handoff, fill, upload


@pytest.fixture
def handoff_upload(client, monitor, true_case):
    case = true_case()
    client.force_login(monitor)
    upload(client, as_upload(fill(download_handoff(client), case, processed="N", reason="x")))
    client.logout()
    return Upload.objects.get()


def delete(client, kept: Upload):
    name = "reports:assister_upload_delete" if kept.assister_report_id else "reports:upload_delete"
    return client.post(reverse(name, args=[kept.pk]))


def test_it_deletes_the_file_and_keeps_who_and_when(client, monitor, handoff_upload):
    storage, name = handoff_upload.file.storage, handoff_upload.file.name
    assert storage.exists(name) and handoff_upload.preview
    client.force_login(monitor)

    response = delete(client, handoff_upload)

    assert response.status_code == 302
    kept = Upload.objects.get(pk=handoff_upload.pk)
    assert not storage.exists(name)
    assert (kept.file.name, kept.errors, kept.preview) == ("", [], [])
    assert kept.deleted_by == monitor and kept.deleted_at is not None
    assert kept.original_name == handoff_upload.original_name  # the record stays
    page = client.get(kept.get_absolute_url()).content.decode()
    assert f"Deleted</strong> by {monitor}" in page
    assert "Confirm and apply" not in page
    assert "File deleted" in client.get(reverse("reports:uploads")).content.decode()


def test_a_deleted_upload_cannot_be_confirmed(client, monitor, handoff_upload):
    client.force_login(monitor)
    delete(client, handoff_upload)
    client.post(reverse("reports:upload_confirm", args=[handoff_upload.pk]))
    assert Upload.objects.get(pk=handoff_upload.pk).status == Upload.Status.PREVIEWED


def test_an_admin_may_delete_it(client, admin_user, handoff_upload):
    client.force_login(admin_user)
    assert delete(client, handoff_upload).status_code == 302
    assert Upload.objects.get(pk=handoff_upload.pk).deleted_by == admin_user


@pytest.mark.parametrize("role", ["qc_lead", "csr", "assister_user", "pal_coordinator"])
def test_other_roles_may_not_delete_it(client, request, role, handoff_upload):
    client.force_login(request.getfixturevalue(role))
    assert delete(client, handoff_upload).status_code in (403, 404)
    kept = Upload.objects.get(pk=handoff_upload.pk)
    assert kept.deleted_at is None and kept.file


def test_an_assister_may_delete_their_organization_s_upload(
    client, assister_user, sent_report, period_leads
):
    client.force_login(assister_user)
    workbook = par.fill(par.download(client, sent_report), period_leads[0], **par.GOOD_ANSWERS)
    par.upload(client, sent_report, par.as_upload(workbook))
    kept = Upload.objects.get()
    page = client.get(kept.get_absolute_url()).content.decode()
    assert "Delete this upload" in page
    assert f'action="{reverse("reports:assister_upload_delete", args=[kept.pk])}"' in page

    delete(client, kept)

    kept.refresh_from_db()
    assert kept.deleted_by == assister_user and not kept.file
    report_page = client.get(reverse("reports:assister_report", args=[sent_report.pk]))
    assert "File deleted" in report_page.content.decode()


def test_another_organization_s_assister_may_not(
    client, assister_user, sent_report, period_leads, make_org
):
    from tests.conftest import make_user
    from tracker.roles import ASSISTER

    client.force_login(assister_user)
    workbook = par.fill(par.download(client, sent_report), period_leads[0], **par.GOOD_ANSWERS)
    par.upload(client, sent_report, par.as_upload(workbook))
    kept = Upload.objects.get()
    outsider = make_user("outsider", ASSISTER)
    make_org("North Star Navigators").members.add(outsider)
    client.force_login(outsider)

    assert delete(client, kept).status_code == 404
    assert Upload.objects.get(pk=kept.pk).deleted_at is None

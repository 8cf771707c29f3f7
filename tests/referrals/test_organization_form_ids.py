"""Ids no database column can hold are refused by the organization form with a message, not a
500 (SQLite raised OverflowError on a 20-digit county id, found by the fuzz test)."""

import pytest
from django.urls import reverse

from referrals.models import AssisterOrganization


@pytest.mark.parametrize("field", ["counties", "members"])
@pytest.mark.parametrize("bad", ["99999999999999999999", "-1", "1e3", "９"])
def test_an_impossible_id_is_refused_by_name(client, pal_coordinator, field, bad):
    client.force_login(pal_coordinator)
    response = client.post(
        reverse("referrals:organization_new"),
        {"name": "Lakes Navigators", "kind": "navigator", "lead_email": "a@lakes.org", field: bad},
    )
    assert response.status_code == 200
    assert "is not a valid value" in response.content.decode()
    assert not AssisterOrganization.objects.exists()

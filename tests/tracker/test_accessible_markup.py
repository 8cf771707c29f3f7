"""Issue 17: markup screen readers rely on — the skip link and landmarks, errors announced as
alerts and successes as status, the error summary linking each error to its field, and the QC
queue's row checkboxes named after their case. (tests/e2e/test_accessibility.py runs axe.)"""

import re

from django.urls import reverse


def test_it_has_a_skip_link_to_main_and_labelled_landmarks(client, csr):
    client.force_login(csr)
    html = client.get(reverse("home")).content.decode()
    assert '<a class="skip-link" href="#main">Skip to main content</a>' in html
    assert html.index("skip-link") < html.index("<header")
    assert '<nav class="main-nav" aria-label="Main">' in html
    assert '<main id="main" tabindex="-1">' in html
    assert '<footer class="site-footer">' in html


def test_it_announces_errors_as_alerts_and_successes_as_status(client, qc_lead, log_case):
    case = log_case()
    client.force_login(qc_lead)
    url = reverse("cases:qc_bulk_vet")
    failed = client.post(url, {"verdict": "true"}, follow=True).content.decode()
    assert re.search(r'<p class="message error" role="alert">', failed)
    done = client.post(url, {"selection": [case.pk], "verdict": "true"}, follow=True)
    assert '<p class="message success" role="status">Vetted 1 case(s) true' in done.content.decode()


def test_it_sums_up_a_forms_errors_with_links_to_their_fields(client, pal_coordinator):
    client.force_login(pal_coordinator)
    # Not an empty POST: the view (like most) treats `request.POST or None` as unbound.
    html = client.post(reverse("referrals:organization_new"), {"kind": "broker"}).content.decode()
    summary = html[
        html.index("data-error-summary") : html.index("</ul>", html.index("data-error-summary"))
    ]
    assert "There is a problem" in summary
    assert '<a href="#id_name">Name: This field is required.</a>' in summary
    assert "js/error-summary.js" in html


def test_it_names_each_qc_row_checkbox_after_its_case(client, qc_lead, log_case):
    case = log_case()
    client.force_login(qc_lead)
    html = client.get(reverse("cases:qc_queue")).content.decode()
    assert f'aria-label="Select {case.number}"' in html
    assert 'aria-label="Select every case here"' in html

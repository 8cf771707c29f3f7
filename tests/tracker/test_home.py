from django.urls import reverse

from cases import services


def test_it_shows_each_role_its_queues_with_counts(client, csr, qc_lead, log_case):
    log_case()
    services.case_vet_true(case=log_case(), by=qc_lead)
    client.force_login(qc_lead)
    html = client.get(reverse("home")).content.decode()
    assert reverse("cases:qc_queue") in html
    assert 'data-queue="cases:qc_queue">1<' in html
    client.force_login(csr)
    html = client.get(reverse("home")).content.decode()
    assert reverse("cases:new") in html and 'data-queue="cases:mine">2<' in html
    assert reverse("cases:qc_queue") not in html


def test_it_shows_a_supervisor_their_outreach_count(client, supervisor, qc_lead, log_case):
    services.case_vet_false(case=log_case(), by=qc_lead, reason="Not a tracker case")
    client.force_login(supervisor)
    assert 'data-queue="cases:outreach">1<' in client.get(reverse("home")).content.decode()


def test_it_runs_few_queries(client, admin_user, django_assert_max_num_queries):
    client.force_login(admin_user)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("home")).status_code == 200


def test_it_sends_anonymous_users_to_login(client, db):
    assert client.get(reverse("home")).url.startswith(reverse("login"))

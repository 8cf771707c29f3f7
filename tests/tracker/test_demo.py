from io import StringIO

from django.core.management import call_command
from django.test import RequestFactory

from cases.models import Case, Mco, ProviderTermination
from cases.states import State
from tracker.models import Team, User
from tracker.roles import ALL_ROLES


def test_it_loads_demo_data_twice_without_duplicates(db):
    out = StringIO()
    call_command("demo", stdout=out)
    counts = (
        User.objects.count(),
        Team.objects.count(),
        Mco.objects.count(),
        ProviderTermination.objects.count(),
        Case.objects.count(),
    )
    call_command("demo", stdout=StringIO())

    assert (
        User.objects.count(),
        Team.objects.count(),
        Mco.objects.count(),
        ProviderTermination.objects.count(),
        Case.objects.count(),
    ) == counts
    assert Mco.objects.count() == 9
    logged_states = {s for s in State.values if s != State.NEW}
    assert set(Case.objects.values_list("state", flat=True)) == logged_states
    for role in ALL_ROLES:
        assert User.objects.filter(groups__name=role).exists(), role
    assert "exchange-demo-2026" in out.getvalue()


def test_it_lets_each_demo_user_log_in(client, db):
    from tracker.demo import DEMO_PASSWORD, DEMO_USERS

    call_command("demo", stdout=StringIO())
    for username, *_ in DEMO_USERS:
        # django-axes checks every authenticate() call for a lockout and needs the request.
        request = RequestFactory().post("/login/")
        assert client.login(request=request, username=username, password=DEMO_PASSWORD), username

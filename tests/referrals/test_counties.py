import pytest
from django.core.management import call_command

from referrals.counties import MINNESOTA_COUNTIES
from referrals.models import County


def test_it_loads_minnesotas_87_counties(db):
    assert County.objects.count() == 87 == len(set(MINNESOTA_COUNTIES))
    assert (
        County.objects.filter(name__in=["Hennepin", "Lake of the Woods", "Yellow Medicine"]).count()
        == 3
    )


@pytest.mark.django_db(transaction=True)
def test_it_restores_the_counties_after_a_flush():
    call_command("flush", interactive=False, verbosity=0)
    assert County.objects.count() == 87

import pytest
from django.test import RequestFactory

from signin.client_address import client_address
from signin.models import Lockout


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "peer", "expected"),
    [
        (0, None, "198.51.100.7", "198.51.100.7"),
        (0, "1.1.1.1", "198.51.100.7", "198.51.100.7"),  # no proxy: the header is forged
        (1, "203.0.113.5", "10.0.0.2", "203.0.113.5"),
        (1, "1.1.1.1, 203.0.113.5", "10.0.0.2", "203.0.113.5"),  # forged entry on the left
        (1, "192.168.4.20", "10.0.0.2", "192.168.4.20"),  # private client, kept as it is
        (2, "1.1.1.1, 203.0.113.5, 10.0.0.9", "10.0.0.2", "203.0.113.5"),
        (2, "203.0.113.5", "10.0.0.2", "10.0.0.2"),  # fewer entries than proxies: the peer
        (1, None, "10.0.0.2", "10.0.0.2"),
        (1, "not-an-address", "10.0.0.2", "10.0.0.2"),  # never a 500 from a bad header
        (1, " 2001:db8::1 ", "10.0.0.2", "2001:db8::1"),
        (0, None, "garbage", None),
    ],
)
def test_it_reads_the_client_address_behind_trusted_proxies(
    settings, proxies, forwarded_for, peer, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    headers = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for is not None else {}
    request = RequestFactory().get("/", REMOTE_ADDR=peer, **headers)
    assert client_address(request) == expected


@pytest.mark.django_db
def test_it_throttles_the_forwarded_client_not_the_proxy(client, csr, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    for number in range(3):
        client.post(
            "/login/",
            {"username": f"guess{number}", "password": "x"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"{number}.{number}.{number}.{number}, 203.0.113.5",
        )
    other_client = client.post(
        "/login/",
        {"username": "csr.alice", "password": "pw-for-tests-123"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.6",
    )
    assert other_client.status_code == 302  # the proxy's address was not paused
    paused = Lockout.objects.get(kind=Lockout.ADDRESS)
    assert paused.ip_address == "203.0.113.5"  # the forged entries did not help

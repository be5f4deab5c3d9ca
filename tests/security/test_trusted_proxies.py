"""Behind the proxy the README describes, the portal sees each client's own address: X-Forwarded-For is read from
the right, only through the proxies named in TRUSTED_PROXIES; the login lockout (django-axes) and the mail limits
key on it (issue 16: behind nginx every client had the proxy's address, so anyone could lock anyone out)."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory
from django.urls import reverse

from maasland.client_address import client_address
from tests import factories

pytestmark = pytest.mark.sqlite_pass

PASSWORD = "Maasland-voorstel-2023"
PROXY = "10.0.0.5"


@pytest.fixture(autouse=True)
def trusted_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24", "2001:db8::1"]


def address_of(remote_addr, forwarded_for=None):
    headers = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client_address(RequestFactory().get("/", **headers))


@pytest.mark.parametrize(
    ("remote_addr", "forwarded_for", "client"),
    [
        ("192.0.2.50", None, "192.0.2.50"),
        ("192.0.2.50", "198.51.100.7", "192.0.2.50"),  # not a trusted proxy: its header is ignored
        (PROXY, "198.51.100.7", "198.51.100.7"),
        (PROXY, "1.2.3.4, 198.51.100.7", "198.51.100.7"),  # what the client put in front is not believed
        (PROXY, "198.51.100.7, 10.0.0.9", "198.51.100.7"),  # two trusted proxies in a row
        (PROXY, "10.0.0.8, 10.0.0.9", "10.0.0.8"),  # only proxies: the farthest one
        (PROXY, "not-an-address", PROXY),
        (PROXY, "", PROXY),
        (PROXY, None, PROXY),
        ("2001:db8::1", "2001:db8::77", "2001:db8::77"),
        (PROXY, " 198.51.100.7 ", "198.51.100.7"),
    ],
)
def test_the_client_address_is_read_through_trusted_proxies_only(remote_addr, forwarded_for, client):
    assert address_of(remote_addr, forwarded_for) == client


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert address_of(PROXY, "198.51.100.7") == PROXY


@pytest.fixture
def applicant(db):
    return get_user_model().objects.create_user("nadia@example.org", PASSWORD, full_name="Nadia Peeters")


def log_in(client, password, forwarded_for=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for else {}
    return client.post(reverse("accounts:login"), {"username": "nadia@example.org", "password": password}, **extra)


def test_behind_a_trusted_proxy_an_attacker_locks_out_only_himself(applicant):
    attacker = Client(REMOTE_ADDR=PROXY)
    for _attempt in range(5):
        log_in(attacker, "wrong-password", "198.51.100.7")
    victim = log_in(Client(REMOTE_ADDR=PROXY), PASSWORD, "203.0.113.9")
    assert (log_in(attacker, PASSWORD, "198.51.100.7").status_code, victim.status_code) == (429, 302)


def test_an_untrusted_peer_cannot_dodge_the_lockout_with_a_forwarded_header(applicant):
    attacker = Client(REMOTE_ADDR="192.0.2.50")
    for attempt in range(5):
        log_in(attacker, "wrong-password", f"198.51.100.{attempt}")
    assert log_in(attacker, PASSWORD, "198.51.100.200").status_code == 429


def test_the_mail_limit_per_client_counts_each_client_behind_the_proxy(db, mailoutbox, settings):
    settings.MAIL_LIMIT_PER_CLIENT = 1
    for n in range(4):
        factories.user(f"lid{n}@example.org")
    proxy = Client(REMOTE_ADDR=PROXY)
    for n, forwarded_for in enumerate(["198.51.100.7", "198.51.100.7", "203.0.113.9", "203.0.113.10"]):
        proxy.post(
            reverse("accounts:password_reset"), {"email": f"lid{n}@example.org"}, HTTP_X_FORWARDED_FOR=forwarded_for
        )
    assert [message.to for message in mailoutbox] == [["lid0@example.org"], ["lid2@example.org"], ["lid3@example.org"]]

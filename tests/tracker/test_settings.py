import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from tests.tracker.production import HOST, ORIGIN, PRODUCTION_ENV, manage, production_settings
from tracker.settings import env_bool, env_choice, env_int


def test_it_reads_booleans_and_fails_loudly_on_nonsense(monkeypatch):
    monkeypatch.setenv("FLAG", "yes")
    assert env_bool("FLAG", False) is True
    monkeypatch.setenv("FLAG", "0")
    assert env_bool("FLAG", True) is False
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FLAG"):
        env_bool("FLAG", False)


def test_it_reads_integers_and_fails_loudly_on_nonsense(monkeypatch):
    monkeypatch.setenv("NUMBER", "12")
    assert env_int("NUMBER", 3) == 12
    monkeypatch.setenv("NUMBER", "twelve")
    with pytest.raises(ImproperlyConfigured, match="NUMBER"):
        env_int("NUMBER", 3)


def test_it_reads_a_choice_and_fails_loudly_on_anything_else(monkeypatch):
    monkeypatch.delenv("DETAIL", raising=False)
    assert env_choice("DETAIL", "full", ("full", "minimal")) == "full"
    monkeypatch.setenv("DETAIL", "minimal")
    assert env_choice("DETAIL", "full", ("full", "minimal")) == "minimal"
    monkeypatch.setenv("DETAIL", "Minimal")
    with pytest.raises(ImproperlyConfigured, match="DETAIL"):
        env_choice("DETAIL", "full", ("full", "minimal"))


# ---- production environment (README, "Production") ------------------------------------------
PRODUCTION_KEYS = [
    "DEBUG",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
]


@pytest.fixture
def production(monkeypatch, settings):
    """This process's settings switched to what tracker/settings.py gives in production."""
    values = production_settings(monkeypatch)
    for name in PRODUCTION_KEYS:
        setattr(settings, name, values[name])
    return values


def test_it_passes_check_deploy_with_the_documented_production_environment(tmp_path):
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV, tmp_path=tmp_path
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
    assert result.stderr == ""


def test_it_names_every_production_variable_in_the_readme():
    readme = (Path(django_settings.BASE_DIR) / "README.md").read_text()
    production_section = readme.split("\n## Production", 1)[1].split("\n## ", 1)[0]

    for name in PRODUCTION_ENV:
        assert name in production_section, name


def test_it_lists_every_environment_variable_in_the_readme_configuration_table():
    base = Path(django_settings.BASE_DIR)
    source = (base / "tracker" / "settings.py").read_text()
    reads = r"(?:os\.environ\.get\(|os\.getenv\(|os\.environ\[|env_\w+\()\s*\"([A-Z][A-Z0-9_]+)\""
    read = set(re.findall(reads, source))
    read |= {"DATABASE_URL"}  # read by dj_database_url.config()
    readme = (base / "README.md").read_text()
    table = readme.split("\n## Configuration", 1)[1].split("\n## ", 1)[0]

    assert len(read) > 20  # the pattern still finds the reads
    assert sorted(name for name in read if f"`{name}`" not in table) == []


def test_it_turns_on_https_only_defaults_when_debug_is_off(production):
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SECURE_HSTS_SECONDS"] == 31_536_000
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["CSRF_COOKIE_SECURE"] is True
    assert production["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert production["CSRF_TRUSTED_ORIGINS"] == [ORIGIN]


@pytest.mark.parametrize(
    "name, value",
    [
        ("SECURE_PROXY_SSL_HEADER", "HTTP_X_FORWARDED_PROTO"),
        ("SECURE_PROXY_SSL_HEADER", "HTTP_X_FORWARDED_PROTO,https,http"),
        ("LEAD_EMAIL_DETAIL", "everything"),
        ("SECURE_HSTS_SECONDS", "a year"),
        ("LOG_FORMAT", "xml"),
        ("METRICS_TOKEN", "too-short"),
        ("PROMETHEUS_MULTIPROC_DIR", "/nonexistent/tracker-metrics"),
        ("WORKER_HEARTBEAT_SECONDS", "0"),
        ("READY_UNSENT_LEAD_MAX_MINUTES", "-5"),
    ],
)
def test_it_refuses_to_start_on_a_bad_value(monkeypatch, name, value):
    with pytest.raises(ImproperlyConfigured, match=name):
        production_settings(monkeypatch, **{name: value})


def test_it_signs_in_through_a_tls_terminating_proxy(production, csr):
    client = Client(enforce_csrf_checks=True)
    behind_proxy = {"Host": HOST, "X-Forwarded-Proto": "https"}

    page = client.get("/login/", headers=behind_proxy)
    assert page.status_code == 200
    assert page["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert client.cookies["csrftoken"]["secure"] is True
    response = client.post(
        "/login/",
        {
            "username": "csr.alice",
            "password": "pw-for-tests-123",
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
        },
        headers={**behind_proxy, "Origin": ORIGIN},
    )

    assert response.status_code == 302, response.content[:300]
    assert response["Location"] == "/"
    assert client.cookies["sessionid"]["secure"] is True
    assert client.get("/", headers=behind_proxy).status_code == 200


@pytest.mark.parametrize(
    "origin, proxy_header, trusted_origins",
    [
        ("https://evil.example.com", ("HTTP_X_FORWARDED_PROTO", "https"), [ORIGIN]),
        # The report: no SECURE_PROXY_SSL_HEADER, no CSRF_TRUSTED_ORIGINS.
        (ORIGIN, None, []),
    ],
)
def test_it_refuses_a_login_post_whose_origin_it_cannot_verify(
    production, settings, csr, origin, proxy_header, trusted_origins
):
    settings.SECURE_PROXY_SSL_HEADER = proxy_header
    settings.CSRF_TRUSTED_ORIGINS = trusted_origins
    settings.SECURE_SSL_REDIRECT = False
    client = Client(enforce_csrf_checks=True)
    behind_proxy = {"Host": HOST, "X-Forwarded-Proto": "https"}
    client.get("/login/", headers=behind_proxy)

    response = client.post(
        "/login/",
        {
            "username": "csr.alice",
            "password": "pw-for-tests-123",
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
        },
        headers={**behind_proxy, "Origin": origin},
    )

    assert response.status_code == 403


def test_it_redirects_plain_http_to_https(production, db):
    response = Client().get("/login/", headers={"Host": HOST})

    assert response.status_code == 301
    assert response["Location"] == f"https://{HOST}/login/"

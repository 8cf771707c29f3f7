"""The systemd units and environment file in deploy/ (issue 16): every command they start exists
and takes the arguments given, every scheduled command has its timer, the environment example
lists exactly the settings the README documents and starts the app, and gunicorn keeps the
README's timeout. `deploy/verify.sh` runs systemd-analyze on the same files."""

import re
import runpy
import shlex
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import ManagementUtility, get_commands, load_command_class

from .production import PRODUCTION_ENV, production_settings

BASE = Path(django_settings.BASE_DIR)
DEPLOY = BASE / "deploy"
UNITS = sorted(DEPLOY.glob("*.service"))
TIMERS = sorted(DEPLOY.glob("*.timer"))
LONG_RUNNING = {"exchange-tracker-web.service", "exchange-tracker-worker@.service"}


def directives(path: Path, name: str) -> list[str]:
    return [
        line.split("=", 1)[1].strip()
        for line in path.read_text().splitlines()
        if line.startswith(f"{name}=")
    ]


def manage_py_call(unit: Path) -> list[str] | None:
    """The manage.py command and its arguments a unit starts, or None (gunicorn)."""
    [exec_start] = directives(unit, "ExecStart")
    words = shlex.split(exec_start.replace("%H-%i", "host-1"))
    if not words[0].endswith("/python"):
        return None
    assert words[1] == "/srv/exchange-tracker/manage.py", exec_start
    return words[2:]


def readme_settings() -> set[str]:
    readme = (BASE / "README.md").read_text()
    table = readme.split("\n## Configuration", 1)[1].split("\n## ", 1)[0]
    names = set()
    for line in table.splitlines():
        if line.startswith("| `"):
            names |= set(re.findall(r"`([A-Z][A-Z0-9_]+)`", line.split("|")[1]))
    return names


def example_settings() -> dict[str, str]:
    """NAME -> value for every line of the example, commented-out defaults included."""
    values = {}
    for line in (DEPLOY / "environment.example").read_text().splitlines():
        match = re.match(r"^#?([A-Z][A-Z0-9_]+)=(.*)$", line)
        if match:
            name, value = match.groups()
            assert name not in values, f"{name} listed twice"
            values[name] = shlex.split(value)[0] if value else ""
    return values


def test_it_has_a_unit_for_the_web_the_worker_and_each_scheduled_command():
    names = {unit.name for unit in UNITS}
    assert LONG_RUNNING <= names
    scheduled = {
        call[0]
        for unit in UNITS
        if (call := manage_py_call(unit)) and unit.name not in LONG_RUNNING
    }
    assert {
        "sweep_leads",
        "send_assister_reports",
        "send_reminders",
        "purge_uploads",
        "rollup_mco_dashboard",
    } <= scheduled


@pytest.mark.parametrize("unit", [u for u in UNITS if manage_py_call(u)], ids=lambda u: u.name)
def test_it_starts_a_command_that_exists_with_arguments_it_takes(unit, capsys, settings):
    # As the environment example sets it: db_worker and prune_db_task_results check the backend.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    name, *arguments = manage_py_call(unit)
    assert name in get_commands(), f"{unit.name}: no command {name}"
    # `manage.py help <command>` exits non-zero for a command that does not exist.
    ManagementUtility(["manage.py", "help", name]).execute()
    assert f"manage.py {name}" in capsys.readouterr().out
    # The arguments parse as the command's own parser reads them (a bad option exits).
    parser = load_command_class(get_commands()[name], name).create_parser("manage.py", name)
    parser.parse_args(arguments)


@pytest.mark.parametrize("unit", [u for u in UNITS if u.name not in LONG_RUNNING], ids=str)
def test_it_schedules_every_oneshot_command_with_a_timer(unit):
    timer = unit.with_suffix(".timer")
    assert timer.exists(), f"{unit.name} has no timer"
    assert directives(unit, "Type") == ["oneshot"]
    assert len(directives(timer, "OnCalendar")) == 1


@pytest.mark.parametrize("timer", TIMERS, ids=lambda t: t.name)
def test_it_has_a_service_for_every_timer(timer):
    assert timer.with_suffix(".service").exists()


@pytest.mark.parametrize("unit", UNITS, ids=lambda u: u.name)
def test_it_runs_every_unit_hardened_as_the_service_user(unit):
    assert directives(unit, "User") == ["exchange-tracker"]
    assert directives(unit, "ProtectSystem") == ["strict"]
    assert directives(unit, "NoNewPrivileges") == ["yes"]
    assert directives(unit, "EnvironmentFile") == ["/etc/exchange-tracker/environment"]
    # The only writable place is MEDIA_ROOT, as the environment example sets it.
    assert directives(unit, "ReadWritePaths") == [example_settings()["MEDIA_ROOT"]]


def test_it_lists_exactly_the_readme_settings_in_the_environment_example():
    listed = set(example_settings())
    assert len(readme_settings()) > 40  # the README's table is still found
    assert sorted(readme_settings() - listed) == []
    assert sorted(listed - readme_settings()) == []


def test_it_starts_the_app_with_every_setting_of_the_example(monkeypatch, tmp_path):
    """Every line uncommented, secrets replaced by the tests' made-up keys: the values parse."""
    values = example_settings()
    values.update({name: PRODUCTION_ENV[name] for name, v in values.items() if v == "CHANGE-ME"})
    values.pop("DATABASE_URL")  # the tests' own database, not the example's host
    # The units create /run/exchange-tracker-metrics as they start (RuntimeDirectory=).
    assert values["PROMETHEUS_MULTIPROC_DIR"] == "/run/exchange-tracker-metrics"
    values["PROMETHEUS_MULTIPROC_DIR"] = str(tmp_path)
    settings = production_settings(monkeypatch, **values)
    assert settings["DEBUG"] is False
    assert settings["TASKS"]["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert str(settings["MEDIA_ROOT"]) == values["MEDIA_ROOT"]
    assert settings["MFA_REQUIRED_ROLES"] == ["State Monitor", "Admin"]


def test_it_keeps_the_readme_timeout_and_logs_no_query_strings():
    config = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    readme = (BASE / "README.md").read_text()
    assert f"timeout = {config['timeout']}" in readme or f"--timeout {config['timeout']}" in readme
    assert config["workers"] >= 2
    # A search query may be an SSN: the access log writes the path only.
    assert "%(U)s" in config["access_log_format"]
    assert not {"%(r)s", "%(q)s"} & set(re.findall(r"%\(\w\)s", config["access_log_format"]))
    [exec_start] = directives(DEPLOY / "exchange-tracker-web.service", "ExecStart")
    assert "-c /srv/exchange-tracker/deploy/gunicorn.conf.py tracker.wsgi" in exec_start

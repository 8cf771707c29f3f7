"""Load-test users, written into the run's own database after `manage.py demo` (run.py).

The demo's users share one published password and one authenticator; the load test signs in
as many people at once, each with a session of their own, so it makes its own users: per role,
`load.<role>NN` with the run's random password (LOAD_PASSWORD), State Monitors with a TOTP
device whose secret only this run knows (the locust users compute the code, as a phone would),
assisters as members of every organization (so any lead is someone's), organizations without a
maximum of open leads (routing never runs out of room in 5 minutes of referrals). Prints JSON:
usernames per role, the monitors' secrets and the counties that have an organization of each
assister type.

Usage: python bench/load/setup_users.py COUNT_PER_ROLE  (with the app's environment)
"""

import json
import os
import secrets
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import transaction  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from referrals.models import AssisterOrganization as Organization  # noqa: E402
from referrals.models import County  # noqa: E402
from referrals.routing import route  # noqa: E402
from tracker import roles  # noqa: E402
from tracker.models import Team, User  # noqa: E402

ROLES = {
    "csr": roles.CSR,
    "qc": roles.QC_LEAD,
    "monitor": roles.STATE_MONITOR,
    "rep": roles.PAL_REPRESENTATIVE,
    "assister": roles.ASSISTER,
}


@transaction.atomic
def main(count: int, password: str) -> dict:
    team = Team.objects.order_by("pk").first()
    organizations = list(Organization.objects.filter(status=Organization.Status.ACTIVE))
    Organization.objects.filter(pk__in=[o.pk for o in organizations]).update(
        max_open_leads=None, paused_from=None, paused_until=None
    )
    out = {"users": {}, "totp": {}, "counties": {}}
    # One hash for everyone: hashing is slow on purpose (PBKDF2), 250 times took minutes.
    hashed = make_password(password)
    for short, role in ROLES.items():
        group = Group.objects.get(name=role)
        names = []
        for number in range(1, count + 1):
            username = f"load.{short}{number:02d}"
            user, _ = User.objects.get_or_create(
                username=username,
                defaults={"email": f"{username}@example.org", "first_name": "Load"},
            )
            user.password = hashed
            user.team = team if role == roles.CSR else None
            user.save()
            user.groups.add(group)
            if role == roles.ASSISTER:
                for organization in organizations:
                    organization.members.add(user)
            if role == roles.STATE_MONITOR:
                key = secrets.token_hex(20)
                TOTPDevice.objects.filter(user=user).delete()
                TOTPDevice.objects.create(user=user, name="Load authenticator", key=key)
                out["totp"][username] = key
            names.append(username)
        out["users"][short] = names
    for kind in ("broker", "navigator"):
        out["counties"][kind] = [
            county.pk
            for county in County.objects.order_by("pk")
            if route(assister_type=kind, county=county).organizations
        ]
    return out


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]), os.environ["LOAD_PASSWORD"])))

"""Demo users and teams: one user per role, printed with their password."""

from django.contrib.auth.models import Group

from . import roles
from .models import Team, User

DEMO_PASSWORD = "exchange-demo-2026"

# username, first, last, role, team, staff
DEMO_USERS = [
    ("admin", "Ada", "Admin", roles.ADMIN, None, True),
    ("csr.alice", "Alice", "Reyes", roles.CSR, "Team Alpha", True),
    ("csr.bob", "Bob", "Nguyen", roles.CSR, "Team Alpha", True),
    ("csr.carol", "Carol", "Okafor", roles.CSR, "Team Beta", True),
    ("sup.alpha", "Sam", "Alvarez", roles.SUPERVISOR, "Team Alpha", True),
    ("sup.beta", "Bea", "Thompson", roles.SUPERVISOR, "Team Beta", True),
    ("qc.lead", "Quinn", "Carter", roles.QC_LEAD, None, True),
    ("monitor", "Morgan", "Lee", roles.STATE_MONITOR, None, True),
    ("pal.rep", "Riley", "Hansen", roles.PAL_REPRESENTATIVE, None, False),
    ("pal.coord", "Casey", "Olson", roles.PAL_COORDINATOR, None, True),
    ("assister", "Avery", "Lund", roles.ASSISTER, None, False),
]


def load(stdout) -> dict[str, User]:
    users = {}
    for username, first, last, role, _team, staff in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@example.org",
                "is_staff": staff,
                "is_superuser": role == roles.ADMIN,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.add(Group.objects.get(name=role))
        users[username] = user
    for team_name, supervisor in [("Team Alpha", "sup.alpha"), ("Team Beta", "sup.beta")]:
        team, _ = Team.objects.get_or_create(
            name=team_name, defaults={"supervisor": users[supervisor]}
        )
        for username, *_rest, user_team, _staff in DEMO_USERS:
            if user_team == team_name:
                User.objects.filter(pk=users[username].pk).update(team=team)
                users[username].team = team
    stdout.write(f"Demo users (password for all: {DEMO_PASSWORD}):")
    for username, _first, _last, role, team_name, _staff in DEMO_USERS:
        stdout.write(f"  {username:<12} {role}{' · ' + team_name if team_name else ''}")
    return users

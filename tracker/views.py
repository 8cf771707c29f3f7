from django.shortcuts import render

from .home import Tile, recent_activity
from .roles import ADMIN, role_names


def home(request):
    """The signed-in user's day's work: each role's queues (count, oldest, past target), the
    pages it works from, and what the user did last."""
    from cases.home import tiles as case_tiles
    from referrals.home import tiles as pal_tiles

    roles = sorted(role_names(request.user))
    tiles = {**case_tiles(request.user), **pal_tiles(request.user)}
    shown = [tiles.get(role) or Tile(role) for role in roles if role != ADMIN]
    if ADMIN in roles:  # Admin may work every queue: the other roles' tiles, then its own.
        shown += [tile for role, tile in sorted(tiles.items()) if role not in roles]
        shown.append(Tile(ADMIN))
    context = {"roles": roles, "tiles": shown, "activity": recent_activity(request.user)}
    return render(request, "tracker/home.html", context)

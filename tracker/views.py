from django.shortcuts import render

from .roles import ADMIN, role_names


def home(request):
    """The signed-in user's home: what each of their roles works on, with queue counts."""
    from cases.queues import home_links
    from referrals.home import home_links as pal_links

    roles = sorted(role_names(request.user))
    links = {**home_links(request.user), **pal_links(request.user)}
    if ADMIN in roles:  # Admin may work every queue: list them on the Admin tile.
        admin_links = [link for role in sorted(links) for link in links[role]]
        links[ADMIN] = admin_links
    tiles = [(role, links.get(role, [])) for role in roles]
    return render(request, "tracker/home.html", {"roles": roles, "tiles": tiles})

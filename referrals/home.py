"""PAL links for the home page tiles: role -> [(label, url name, count)]."""

from tracker.roles import ASSISTER, has_role

from .permissions import portal_leads


def home_links(user) -> dict[str, list[tuple[str, str, int | None]]]:
    links = {}
    if has_role(user, ASSISTER):
        awaiting = portal_leads(user).filter(contact_made__isnull=True).count()
        links[ASSISTER] = [("Leads awaiting an outcome", "portal:home", awaiting)]
    return links

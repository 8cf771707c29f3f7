"""Who may do what with sign-in protection. Used by views (403) and templates (nav link)."""

from tracker.roles import is_admin


def can_manage_lockouts(user) -> bool:
    """See current and past lockouts and clear them (AC-7: "until released by an administrator")."""
    return is_admin(user)

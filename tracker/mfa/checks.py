from django.conf import settings
from django.core.checks import Error, register

from ..roles import ALL_ROLES


@register()
def required_roles_exist(app_configs, **kwargs):
    """A misspelt role in MFA_REQUIRED_ROLES would silently exempt that role from MFA."""
    unknown = [role for role in settings.MFA_REQUIRED_ROLES if role not in ALL_ROLES]
    if not unknown:
        return []
    return [
        Error(
            f"MFA_REQUIRED_ROLES names unknown role(s): {', '.join(unknown)}",
            hint=f"Use role names exactly as written: {', '.join(ALL_ROLES)}.",
            id="mfa.E001",
        )
    ]

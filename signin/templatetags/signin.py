from django import template

from signin import permissions

register = template.Library()


@register.filter
def can_manage_lockouts(user) -> bool:
    return permissions.can_manage_lockouts(user)

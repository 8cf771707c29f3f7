from django import template

register = template.Library()


@register.filter
def words(name: str) -> str:
    """`return_unprocessed` -> `return unprocessed`."""
    return (name or "").replace("_", " ")

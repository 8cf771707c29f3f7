"""Rendering the plain-text part of an email."""

from django.template import Context
from django.template.loader import get_template


def render_plain_text(template_name: str, context: dict) -> str:
    """Render a text/plain part (or a subject) with autoescaping off: HTML escaping is for HTML,
    and in plain text it turns O'Brien & Sons into O&#x27;Brien &amp; Sons. Done here, for every
    email, rather than trusting each .txt template to say {% autoescape off %}."""
    return get_template(template_name).template.render(Context(context, autoescape=False))

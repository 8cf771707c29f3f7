"""Form widgets for list pages (issue 12)."""

from django import forms
from django.utils.html import format_html, format_html_join


def _attrs(attrs) -> str:
    """As django/forms/widgets/attrs.html writes them, in their order."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


class LeanSelect(forms.Select):
    """A `<select>` built in Python, with the markup of Django's select.html. Django renders
    every option through two templates: the QC queue's filter form (200 CSRs) took 40% of the
    page's CPU time that way, the referral list's (87 counties, every organization) more than
    its rows."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        groups = []
        for group_name, options, _index in widget["optgroups"]:
            html = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                ((str(o["value"]), _attrs(o["attrs"]), o["label"]) for o in options),
            )
            groups.append(
                format_html('<optgroup label="{}">{}</optgroup>', group_name, html)
                if group_name
                else html
            )
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            _attrs(widget["attrs"]),
            format_html_join("", "{}", ((g,) for g in groups)),
        )

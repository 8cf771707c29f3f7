"""Form widgets for list pages (issue 12)."""

from django import forms
from django.utils.safestring import mark_safe

from .markup import escape_text as _escape


def _attrs(attrs) -> str:
    """As django/forms/widgets/attrs.html writes them, in their order."""
    return "".join(
        f" {_escape(name)}" if value is True else f' {_escape(name)}="{_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class LeanSelect(forms.Select):
    """A `<select>` built in Python, with the markup of Django's select.html. Django renders
    every option through two templates: the QC queue's filter form (200 CSRs) took 40% of the
    page's CPU time that way, the referral list's (87 counties, every organization) more than
    its rows. The options are Django's own (ChoiceWidget.optgroups: the same values, labels,
    groups and selection), written as strings rather than through a context of dicts."""

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final_attrs["multiple"] = True
        wanted = self.format_value(value)
        has_selected = False
        out = [f'<select name="{_escape(name)}"{_attrs(final_attrs)}>']
        for option_value, option_label in self.choices:
            if option_value is None:
                option_value = ""
            grouped = isinstance(option_label, (list, tuple))
            if grouped:
                out.append(f'<optgroup label="{_escape(option_value)}">')
            for subvalue, sublabel in option_label if grouped else [(option_value, option_label)]:
                text = str(subvalue)
                selected = (not has_selected or self.allow_multiple_selected) and text in wanted
                has_selected |= selected
                mark = " selected" if selected else ""
                out.append(f'<option value="{_escape(text)}"{mark}>{_escape(sublabel)}</option>')
            if grouped:
                out.append("</optgroup>")
        out.append("</select>")
        return mark_safe("".join(out))

"""Small helpers for forms: errors as one message line, and fields that bound their input."""

from django import forms


def problems(form) -> str:
    """Every error of a bound, invalid form as one sentence-like line for messages.error()."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        label = label or (name.replace("_", " ").capitalize() if name != "__all__" else "")
        text = " ".join(str(error) for error in errors)
        parts.append(f"{label}: {text}" if label else text)
    return " ".join(parts)


# The largest id a database integer column holds (PostgreSQL bigint; SQLite's INTEGER).
MAX_ID = 2**63 - 1


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField that refuses ids no database column can hold before asking the
    database: Django passes them to `pk__in`, and SQLite raises OverflowError (a 500) on a
    20-digit id (issue 11: no input may cause a 500)."""

    def _check_values(self, value):
        for pk in value or ():
            text = str(pk).strip()
            if not (text.isascii() and text.isdigit()) or int(text) > MAX_ID:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": text[:30]},
                )
        return super()._check_values(value)

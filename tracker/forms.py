"""Small helpers for forms whose errors are shown as a message after a redirect."""


def problems(form) -> str:
    """Every error of a bound, invalid form as one sentence-like line for messages.error()."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        label = label or (name.replace("_", " ").capitalize() if name != "__all__" else "")
        text = " ".join(str(error) for error in errors)
        parts.append(f"{label}: {text}" if label else text)
    return " ".join(parts)

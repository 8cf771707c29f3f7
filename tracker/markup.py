"""HTML text written as strings, for rows and options built in Python (issue 12)."""

import html


def escape_text(content) -> str:
    """conditional_escape's text without a SafeString for each piece of a long page (the
    caller marks the whole safe once): safe content as it is, anything else HTML-escaped."""
    if hasattr(content, "__html__"):
        return content.__html__()
    return html.escape(str(content))

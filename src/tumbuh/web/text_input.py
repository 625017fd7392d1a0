"""Text typed into the web forms and the API, before it reaches a query.

PostgreSQL cannot hold the NUL character in a text value (it refuses the whole
statement), and no control character (NUL, tab, line break, escape, ...) belongs in a
name, a username or a search. The pages refuse them in what is stored (with a message)
and replace them in what is only looked up.
"""

import unicodedata


def has_control_characters(text: str) -> bool:
    """True when ``text`` holds a control character (Unicode category Cc)."""
    return any(unicodedata.category(ch) == "Cc" for ch in text)


def without_control_characters(text: str, replacement: str) -> str:
    """``text`` with every control character replaced by ``replacement``."""
    if not has_control_characters(text):
        return text
    return "".join(replacement if unicodedata.category(ch) == "Cc" else ch for ch in text)

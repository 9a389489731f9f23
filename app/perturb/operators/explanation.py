"""The wording shared by explanations: "ERRADO. ...", "X, e não Y", a lower-cased restatement."""

from __future__ import annotations

from app.perturb import dictionary


def contrast(text: str, start: int, end: int, other: str) -> str:
    """"A automação reduz o tempo" + "aumenta" -> "A automação reduz, e não aumenta, o tempo"."""
    following = text[end:end + 1]
    tail = "" if following in (",", ".", ";", ":", "") else ","
    return f"{text[:end]}, e não {other}{tail}{text[end:]}"


def errado(body: str) -> str:
    body = body.strip()
    return f"ERRADO. {body[0].upper()}{body[1:]}"


def lower_first(text: str) -> str:
    """Lower-case the first letter unless the first word is a name or acronym ("MLOps", "Docker")."""
    first = text.split(" ", 1)[0]
    lower = first.lower()
    common = dictionary.is_known(lower) or lower.endswith(_COMMON_NOUN_ENDINGS)
    if first[1:] != first[1:].lower() or not common:
        return text
    return text[:1].lower() + text[1:]


_COMMON_NOUN_ENDINGS = ("ção", "ções", "são", "mento", "mentos", "dade", "dades", "ismo", "agem", "ência", "ância")

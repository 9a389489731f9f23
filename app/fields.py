"""Field types of the API's schemas: JSON values taken for what they are (issue 12, point 8).

marshmallow's own number and boolean fields coerce: 1.5 becomes the integer 1, "7" the number 7,
"yes" and 1 become true. Those suit query strings, where every value arrives as text, and are used
there; a JSON body has types of its own, and the OpenAPI document promises them, so its fields
refuse a value of another type instead of guessing.
"""

from __future__ import annotations

import re
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from app.models import ID_MAX

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# The same rule as the OpenAPI document writes it on every text field and parameter, so that what the
# document promises is what the API takes (app/api/guard.py refuses the rest with 422).
TEXT_PATTERN = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F]*$"


class CleanString(fields.String):
    """A one-paragraph string: runs of whitespace become one space; control characters are refused."""

    def _deserialize(self, value, attr, data, **kwargs):  # noqa: ANN001, ANN003
        text = super()._deserialize(value, attr, data, **kwargs)
        if CONTROL_CHARACTERS.search(text):
            raise ma.ValidationError("must not contain control characters")
        return " ".join(text.split())


class Int(fields.Integer):
    """A JSON integer. A number with a fraction (1.5) is refused, not truncated; a whole number
    written with one (2.0) is taken; strings and booleans are refused."""

    def _validated(self, value: Any) -> int:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.make_error("invalid", input=value)
        return super()._validated(value)


class Number(fields.Float):
    """A JSON number: strings ("0.5") and booleans are refused; so are NaN and the infinities."""

    def _validated(self, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.make_error("invalid", input=value)
        return super()._validated(value)


class Bool(fields.Boolean):
    """A JSON boolean: true or false, not 1, "yes" or "on"."""

    def _deserialize(self, value, attr, data, **kwargs):  # noqa: ANN001, ANN003
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


def id_field(**kwargs) -> fields.Integer:  # noqa: ANN003
    """An id in a JSON body: an integer from 1 to ID_MAX."""
    return Int(validate=validate.Range(min=1, max=ID_MAX), **kwargs)


def query_id_field(**kwargs) -> fields.Integer:  # noqa: ANN003
    """An id in a query string (text): an integer from 1 to ID_MAX."""
    return fields.Integer(validate=validate.Range(min=1, max=ID_MAX), **kwargs)

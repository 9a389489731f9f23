"""API schemas: health."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields

# --- health ----------------------------------------------------------------------------------


class HealthSchema(ma.Schema):
    status = fields.String(required=True)
    database = fields.String()
    revision = fields.String(allow_none=True)
    head = fields.String(allow_none=True)

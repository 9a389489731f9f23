"""Flask's JSON provider with orjson: the same JSON as the standard one, made faster.

What orjson would write differently is left to the standard provider: dates (Flask writes them
as HTTP dates), dataclasses, and any value orjson refuses (integers beyond 64 bits, ...); an
indented or ASCII-only dump (debug, ensure_ascii) also goes the standard way.
"""

from __future__ import annotations

from typing import Any

import orjson
from flask.json.provider import DefaultJSONProvider

_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


class OrjsonProvider(DefaultJSONProvider):
    """dumps/loads through orjson where it writes what the standard provider writes."""

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        if kwargs.keys() - {"separators"} or self.ensure_ascii:
            return super().dumps(obj, **kwargs)
        try:
            return orjson.dumps(obj, default=self.default, option=self._options()).decode("utf-8")
        except (TypeError, orjson.JSONEncodeError):
            return super().dumps(obj, **kwargs)

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        if kwargs:
            return super().loads(s, **kwargs)
        try:
            return orjson.loads(s)
        except orjson.JSONDecodeError:
            return super().loads(s)  # the standard error, and what it accepts that orjson does not (NaN)

    def _options(self) -> int:
        return _OPTIONS | (orjson.OPT_SORT_KEYS if self.sort_keys else 0)

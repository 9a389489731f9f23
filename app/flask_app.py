"""The Flask class qbank runs on."""

from __future__ import annotations

from collections.abc import Callable
from types import FunctionType
from typing import Any

from flask import Flask


class QbankFlask(Flask):
    """Flask, with `ensure_sync`'s answer kept per plain function.

    Flask asks `inspect.iscoroutinefunction` of every hook and view on every request, and
    flask-smorest once more for each view; that was 3 % of a GET answered from kept bytes. A plain
    function's answer never changes, so it is kept (the app's functions are finitely many); bound
    methods, a new object each time a view class is instantiated, are asked as before. Flask
    documents `ensure_sync` as the method to override for this."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._sync: dict[FunctionType, Callable[..., Any]] = {}

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        if type(func) is not FunctionType:
            return super().ensure_sync(func)
        found = self._sync.get(func)
        if found is None:
            found = self._sync[func] = super().ensure_sync(func)
        return found

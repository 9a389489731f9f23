"""Progress of long command-line work (qbank fake, qbank variants generate): a bar on a terminal,
plain lines in logs and pipes. The services take a plain `progress(n)` callback and know nothing
of this."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click


@contextmanager
def progress(label: str, total: int) -> Iterator[Callable[[int], None]]:
    """An `advance(n)` for long work, on stderr: a progress bar on a terminal, a plain line at each
    tenth otherwise (logs and pipes get no control characters)."""
    if total <= 0:
        yield lambda n=1: None
        return
    if sys.stderr.isatty():
        with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
            yield bar.update
        return
    state = {"done": 0, "tenth": 0}

    def advance(n: int = 1) -> None:
        state["done"] = min(total, state["done"] + n)
        tenth = state["done"] * 10 // total
        if tenth > state["tenth"]:
            state["tenth"] = tenth
            click.echo(f"{label}: {state['done']}/{total} ({tenth * 10}%)", err=True)

    yield advance

"""The `qbank` command line: the same services as the API, for operators and scripts.

One module per noun: database (schema), keys, bank (import, fake), scans, perturb, variants,
exams, server (serve, worker, openapi); what they share is in common.
"""

from app.cli import bank, database, exams, keys, perturb, scans, server, variants  # noqa: F401 (they register)
from app.cli.common import main

__all__ = ["main"]

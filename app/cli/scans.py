"""Scanned answer sheets: `qbank scan`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from app.cli.common import command_app, main
from app.progress import progress

SCAN_SUFFIXES = (".png", ".jpg", ".jpeg", ".pdf")
SCAN_COLUMNS = ("file", "page", "sheet", "exam", "version", "candidate", "status", "score", "right", "wrong",
                "blank", "ambiguous", "error")


def _scan_files(paths: tuple[Path, ...]) -> list[Path]:
    """Files as given, and the PNG, JPEG and PDF files of each folder given, in name order."""
    found = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SCAN_SUFFIXES)
        else:
            found.append(path)
    return found


@main.command("scan")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--exam", "exam_id", type=click.IntRange(min=1), default=None,
              help="Only sheets of this exam (else each sheet's QR code names its exam).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the CSV summary here instead of standard output.")
def scan(paths: tuple[Path, ...], exam_id: int | None, output: Path | None) -> None:
    """Read scanned answer sheets (PNG, JPEG, PDF; folders of them) into attempts; a CSV summary:
    candidate, version, score and ambiguous items per sheet. Each file is stored whole or not at
    all; a refused file is a CSV row with its error, and the exit status is 1."""
    import csv

    from app.db import db as database
    from app.errors import ServiceError
    from app.models import Attempt
    from app.services.scan import store

    files = _scan_files(paths)
    if not files:
        raise click.BadParameter("no PNG, JPEG or PDF file found", param_hint="PATHS")
    rows, failed = [], 0
    app = command_app()
    with app.app_context(), progress("scan: files read", len(files)) as advance:
        for path in files:
            session = database.new_session()
            try:
                result = store.upload_scans(session, data=path.read_bytes(), exam_id=exam_id,
                                            max_bytes=app.config["MAX_CONTENT_LENGTH"])
                for sheet in result.sheets:
                    attempt = session.get(Attempt, sheet.attempt_id) if sheet.attempt_id else None
                    rows.append({"file": str(path), "page": sheet.first_page, "sheet": sheet.id,
                                 "exam": sheet.exam_id, "version": sheet.version, "candidate": sheet.candidate or "",
                                 "status": sheet.status if result.created else f"{sheet.status} (already read)",
                                 "score": f"{attempt.score:g}" if attempt else "",
                                 "right": attempt.right if attempt else "", "wrong": attempt.wrong if attempt else "",
                                 "blank": attempt.blank if attempt else "",
                                 "ambiguous": " ".join(map(str, sheet.ambiguous)), "error": ""})
            except ServiceError as exc:
                session.rollback()
                failed += 1
                rows.append({"file": str(path), "status": "refused", "error": exc.detail})
            except OSError as exc:
                failed += 1
                rows.append({"file": str(path), "status": "refused", "error": f"cannot read: {exc.strerror}"})
            finally:
                session.close()
            advance(1)
    handle = output.open("w", newline="", encoding="utf-8") if output else sys.stdout
    try:
        writer = csv.DictWriter(handle, fieldnames=SCAN_COLUMNS, restval="", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    finally:
        if output:
            handle.close()
    sheets = [r for r in rows if r.get("sheet")]
    click.echo(f"{len(files)} files, {len(sheets)} sheets: "
               f"{sum(r['status'].startswith('scored') for r in sheets)} scored, "
               f"{sum(r['status'].startswith('needs_review') for r in sheets)} to review, {failed} refused",
               err=True)
    if failed:
        sys.exit(1)

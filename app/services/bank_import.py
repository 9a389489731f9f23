"""Writing into the bank what an import brings: seed documents (parsed by importer.py) and, through
transfer.py, bank JSON documents. One transaction per import, matched by (topic code, subtopic,
item), all or nothing, run again when it loses a race for new rows (races.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session, object_session, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from app.models import Assertion, Label, Status, Subtopic, Topic
from app.services import pool
from app.services.importer import ParsedSubtopic, ParsedTopic, SeedDocument
from app.services.races import retry_lost_races

# The 409 of an import that kept losing races to concurrent imports of overlapping documents.
CONCURRENT_IMPORT = "outras importações gravavam os mesmos tópicos ao mesmo tempo; envie o documento de novo"


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportResult:
    """What an import did (or, on a dry run, would do)."""

    documents: list[str]
    dry_run: bool
    topics: Counts = field(default_factory=Counts)
    subtopics: Counts = field(default_factory=Counts)
    assertions: Counts = field(default_factory=Counts)
    variants: Counts | None = None  # JSON bank documents only
    warnings: list[dict] = field(default_factory=list)


def import_documents(
    session: Session,
    *,
    documents: Sequence[SeedDocument],
    status: Status = Status.PUBLISHED,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Upsert parsed documents in one transaction, matched by (topic code, subtopic, item).

    Re-importing the same document changes nothing. On a dry run the same work is done and
    counted, then rolled back. Items present in the bank but absent from the document stay.
    An import that loses a race for new rows to a concurrent one is run again (races.py).
    `progress(n)` is told of the n assertions of each topic written.
    """
    return retry_lost_races(session, lambda: _import_once(session, documents, status, dry_run, progress),
                            conflict=CONCURRENT_IMPORT)


def _import_once(session: Session, documents: Sequence[SeedDocument], status: Status, dry_run: bool,
                 progress: Callable[[int], None] | None = None) -> ImportResult:
    result = ImportResult(documents=[d.name for d in documents], dry_run=dry_run)
    touched: list[Subtopic] = []
    with all_or_nothing(session, dry_run=dry_run):
        for document in documents:
            result.warnings.extend(
                {"document": document.name, "line": w.line, "message": w.message}
                for w in document.warnings
            )
            for parsed in document.topics:
                touched.extend(_upsert_topic(session, parsed, document.name, status, result))
                if progress is not None:
                    progress(sum(len(sub.items) for sub in parsed.subtopics))
        session.flush()
        pool.refresh(session, subtopic_ids=[s.id for s in touched])
    if not dry_run and result.assertions.created >= pool.BULK_ROWS:
        pool.analyze(session)
        session.commit()
    return result


@contextmanager
def all_or_nothing(session: Session, *, dry_run: bool) -> Iterator[None]:
    """One transaction for a whole import: committed, or rolled back on a dry run or any error."""
    try:
        yield
        if dry_run:
            session.rollback()
        else:
            session.commit()
    except BaseException:
        session.rollback()
        raise


def _upsert_topic(
    session: Session, parsed: ParsedTopic, source: str, status: Status, result: ImportResult
) -> list[Subtopic]:
    """Create or update one topic; returns the subtopics the document holds."""
    topic = session.scalars(
        sa.select(Topic)
        .where(Topic.code == parsed.code)
        .options(selectinload(Topic.subtopics).selectinload(Subtopic.assertions))
    ).one_or_none()
    if topic is None:
        topic = Topic(code=parsed.code, title=parsed.title, source_document=source)
        session.add(topic)
        result.topics.created += 1
    elif topic.title != parsed.title:
        topic.title, topic.source_document = parsed.title, source
        result.topics.updated += 1
    else:
        if topic.source_document != source:  # provenance only: recorded, not counted as a change
            table = Topic.__table__
            session.execute(sa.update(table).where(table.c.id == topic.id)
                            .values(source_document=source, updated_at=table.c.updated_at))
            set_committed_value(topic, "source_document", source)
        result.topics.unchanged += 1

    existing_subs = {s.number: s for s in topic.subtopics}
    touched = []
    for parsed_sub in parsed.subtopics:
        sub = existing_subs.get(parsed_sub.number)
        if sub is None:
            sub = Subtopic(number=parsed_sub.number, title=parsed_sub.title)
            topic.subtopics.append(sub)
            result.subtopics.created += 1
        elif sub.title != parsed_sub.title:
            sub.title = parsed_sub.title
            result.subtopics.updated += 1
        else:
            result.subtopics.unchanged += 1
        _upsert_items(sub, parsed_sub, source, status, result)
        touched.append(sub)
    return touched


def _record_provenance(assertion: Assertion, source: str, line: int) -> None:
    """Point an unchanged assertion at the document and line it was last imported from, without
    bumping its version or its updated_at (a Core UPDATE, which the ORM's version counter ignores)."""
    session = object_session(assertion)
    table = Assertion.__table__
    session.execute(
        sa.update(table).where(table.c.id == assertion.id)
        .values(source_file=source, source_line=line, updated_at=table.c.updated_at)
    )
    set_committed_value(assertion, "source_file", source)
    set_committed_value(assertion, "source_line", line)


def _upsert_items(
    sub: Subtopic, parsed: ParsedSubtopic, source: str, status: Status, result: ImportResult
) -> None:
    by_number = {a.number: a for a in sub.assertions}
    for item in parsed.items:
        assertion = by_number.get(item.number)
        antecedent = by_number.get(item.depends_on) if item.depends_on is not None else None
        if assertion is None:
            assertion = Assertion(
                number=item.number,
                text=item.text,
                label=Label.C.value,
                status=status.value,
                source_file=source,
                source_line=item.line,
                depends_on=antecedent,
            )
            sub.assertions.append(assertion)
            by_number[item.number] = assertion
            result.assertions.created += 1
            continue
        if (item.text, antecedent) == (assertion.text, assertion.depends_on):
            # Provenance (file, line) is not a change of the item: recorded apart, without a new
            # version, so that an author's ETag stays valid across re-imports under another name.
            if (assertion.source_file, assertion.source_line) != (source, item.line):
                _record_provenance(assertion, source, item.line)
            result.assertions.unchanged += 1
            continue
        assertion.text = item.text
        assertion.source_file, assertion.source_line = source, item.line
        assertion.depends_on = antecedent
        result.assertions.updated += 1

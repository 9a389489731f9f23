"""The bank's topics, subtopics and assertions: queries and writes behind the REST API."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.errors import Conflict, Invalid, NotFound, PreconditionFailed
from app.models import NUMBER_MAX, Assertion, Subtopic, Topic
from app.search import contains
from app.services import issued, pool
from app.services.races import lock_parent


@contextmanager
def _committed(session: Session, *, conflict: str) -> Iterator[None]:
    """Commit what the block writes; a uniqueness race lost to another writer, at a flush inside the
    block or at the commit, becomes a 409."""
    try:
        yield
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict(conflict) from None


def _commit(session: Session, *, conflict: str) -> None:
    with _committed(session, conflict=conflict):
        pass


def _get(session: Session, model: type, ident: int, noun: str) -> Any:
    obj = session.get(model, ident)
    if obj is None:
        raise NotFound(f"{noun} {ident} does not exist")
    return obj


# --- topics ----------------------------------------------------------------------------------


def topics_query() -> sa.Select:
    """All topics, ordered by code."""
    return sa.select(Topic).order_by(Topic.code, Topic.id)


def get_topic(session: Session, *, topic_id: int) -> Topic:
    """One topic, or NotFound."""
    return _get(session, Topic, topic_id, "topic")


def _ensure_code_free(session: Session, code: str, *, except_id: int | None = None) -> None:
    other = session.scalar(sa.select(Topic.id).where(Topic.code == code))
    if other is not None and other != except_id:
        raise Conflict(
            f"a topic with code {code} already exists (id {other})",
            errors=[{"field": "code", "message": "already in use"}],
        )


def create_topic(session: Session, *, code: str, title: str, source_document: str | None = None) -> Topic:
    """Create a topic with a unique code."""
    _ensure_code_free(session, code)
    topic = Topic(code=code, title=title, source_document=source_document)
    session.add(topic)
    _commit(session, conflict=f"a topic with code {code} already exists")
    return topic


def update_topic(session: Session, *, topic_id: int, changes: Mapping[str, Any]) -> Topic:
    """Apply a partial update to a topic."""
    topic = get_topic(session, topic_id=topic_id)
    if "code" in changes:
        _ensure_code_free(session, changes["code"], except_id=topic.id)
    for key, value in changes.items():
        setattr(topic, key, value)
    _commit(session, conflict=f"a topic with code {changes.get('code')} already exists")
    return topic


def delete_topic(session: Session, *, topic_id: int, cascade: bool) -> None:
    """Delete a topic; one that still has subtopics needs cascade=True."""
    topic = get_topic(session, topic_id=topic_id)
    if not cascade:
        count = session.scalar(sa.select(sa.func.count()).where(Subtopic.topic_id == topic.id))
        if count:
            raise Conflict(
                f"topic {topic.code} has {count} subtopic(s); delete with ?cascade=true "
                "to remove them and their assertions"
            )
    issued.retoken_exams(session, subtopic_ids=issued.topic_subtopic_ids(session, topic.id))
    session.delete(topic)
    session.commit()


# --- subtopics -------------------------------------------------------------------------------


def subtopics_query(session: Session, *, topic_id: int) -> sa.Select:
    """The subtopics of a topic, by number (NotFound for an unknown topic)."""
    get_topic(session, topic_id=topic_id)
    return sa.select(Subtopic).where(Subtopic.topic_id == topic_id).order_by(Subtopic.number)


def get_subtopic(session: Session, *, subtopic_id: int) -> Subtopic:
    """One subtopic, or NotFound."""
    return _get(session, Subtopic, subtopic_id, "subtopic")


def _next_number(session: Session, column: sa.Column, parent_column: sa.Column, parent_id: int) -> int:
    """The number after the highest in use; a 409 when that would pass NUMBER_MAX."""
    number = (session.scalar(sa.select(sa.func.max(column)).where(parent_column == parent_id)) or 0) + 1
    if number > NUMBER_MAX:
        raise Conflict(f"the highest number ({NUMBER_MAX}) is taken: give a free number explicitly",
                       errors=[{"field": "number", "message": "no number after the highest one"}])
    return number


def _ensure_subtopic_number_free(session: Session, topic_id: int, number: int, except_id: int | None = None) -> None:
    other = session.scalar(
        sa.select(Subtopic.id).where(Subtopic.topic_id == topic_id, Subtopic.number == number)
    )
    if other is not None and other != except_id:
        raise Conflict(
            f"subtopic number {number} is taken in this topic (id {other})",
            errors=[{"field": "number", "message": "already in use"}],
        )


def create_subtopic(session: Session, *, topic_id: int, title: str, number: int | None = None) -> Subtopic:
    """Add a subtopic to a topic; the number defaults to the next free one."""
    get_topic(session, topic_id=topic_id)
    lock_parent(session, Topic, topic_id)
    if number is None:
        number = _next_number(session, Subtopic.number, Subtopic.topic_id, topic_id)
    _ensure_subtopic_number_free(session, topic_id, number)
    subtopic = Subtopic(topic_id=topic_id, number=number, title=title)
    session.add(subtopic)
    _commit(session, conflict=f"subtopic number {number} is taken in this topic")
    return subtopic


def update_subtopic(session: Session, *, subtopic_id: int, changes: Mapping[str, Any]) -> Subtopic:
    """Apply a partial update to a subtopic."""
    subtopic = get_subtopic(session, subtopic_id=subtopic_id)
    if "number" in changes:
        _ensure_subtopic_number_free(session, subtopic.topic_id, changes["number"], subtopic.id)
    for key, value in changes.items():
        setattr(subtopic, key, value)
    _commit(session, conflict=f"subtopic number {changes.get('number')} is taken in this topic")
    return subtopic


def delete_subtopic(session: Session, *, subtopic_id: int, cascade: bool) -> None:
    """Delete a subtopic; one that still has assertions needs cascade=True."""
    subtopic = get_subtopic(session, subtopic_id=subtopic_id)
    if not cascade:
        count = session.scalar(sa.select(sa.func.count()).where(Assertion.subtopic_id == subtopic.id))
        if count:
            raise Conflict(
                f"subtopic {subtopic.number} has {count} assertion(s); delete with "
                "?cascade=true to remove them"
            )
    issued.retoken_exams(session, subtopic_ids=[subtopic.id])
    session.delete(subtopic)
    session.commit()


# --- assertions ------------------------------------------------------------------------------


def assertions_query(
    *,
    topic_id: int | None = None,
    subtopic_id: int | None = None,
    label: str | None = None,
    status: str | None = None,
    q: str | None = None,
) -> sa.Select:
    """Assertions matching every given filter, in bank order (topic, subtopic, number)."""
    stmt = sa.select(Assertion).join(Assertion.subtopic)
    if topic_id is not None:
        stmt = stmt.where(Subtopic.topic_id == topic_id)
    if subtopic_id is not None:
        stmt = stmt.where(Assertion.subtopic_id == subtopic_id)
    if label is not None:
        stmt = stmt.where(Assertion.label == label)
    if status is not None:
        stmt = stmt.where(Assertion.status == status)
    if q:
        stmt = stmt.where(contains(Assertion.search_text, q))
    return stmt.order_by(Subtopic.topic_id, Subtopic.number, Assertion.number)


def get_assertion(session: Session, *, assertion_id: int) -> Assertion:
    """One assertion, or NotFound."""
    return _get(session, Assertion, assertion_id, "assertion")


def _check_antecedent(session: Session, *, subtopic_id: int, number: int, depends_on_id: int | None,
                      self_id: int | None = None) -> None:
    if depends_on_id is None:
        return
    antecedent = session.get(Assertion, depends_on_id)
    problem = None
    if antecedent is None:
        problem = f"assertion {depends_on_id} does not exist"
    elif antecedent.id == self_id:
        problem = "an assertion cannot depend on itself"
    elif antecedent.subtopic_id != subtopic_id:
        problem = "must be an assertion of the same subtopic"
    elif antecedent.number >= number:
        problem = "must come before the assertion (a lower number)"
    if problem:
        raise Invalid(f"depends_on_id: {problem}", errors=[{"field": "depends_on_id", "message": problem}])


def _ensure_assertion_number_free(
    session: Session, subtopic_id: int, number: int, except_id: int | None = None
) -> None:
    other = session.scalar(
        sa.select(Assertion.id).where(Assertion.subtopic_id == subtopic_id, Assertion.number == number)
    )
    if other is not None and other != except_id:
        raise Conflict(
            f"item number {number} is taken in this subtopic (assertion {other})",
            errors=[{"field": "number", "message": "already in use"}],
        )


def create_assertion(
    session: Session,
    *,
    subtopic_id: int,
    text: str,
    label: str,
    status: str,
    explanation: str | None = None,
    number: int | None = None,
    depends_on_id: int | None = None,
) -> Assertion:
    """Add an assertion to a subtopic; the number defaults to the next free one."""
    get_subtopic(session, subtopic_id=subtopic_id)
    lock_parent(session, Subtopic, subtopic_id)
    if number is None:
        number = _next_number(session, Assertion.number, Assertion.subtopic_id, subtopic_id)
    _ensure_assertion_number_free(session, subtopic_id, number)
    _check_antecedent(session, subtopic_id=subtopic_id, number=number, depends_on_id=depends_on_id)
    assertion = Assertion(
        subtopic_id=subtopic_id,
        number=number,
        text=text,
        label=label,
        status=status,
        explanation=explanation,
        depends_on_id=depends_on_id,
    )
    with _committed(session, conflict=f"item number {number} is taken in this subtopic"):
        session.add(assertion)
        pool.refresh(session, subtopic_ids=[subtopic_id])
    return assertion


def check_if_match(obj: Any, if_match: Collection[str] | None) -> None:
    """412 unless the client's If-Match names the current ETag (or is "*", or absent)."""
    if if_match is not None and "*" not in if_match and obj.etag not in if_match:
        raise PreconditionFailed(
            f"the resource changed since you read it (it is now {obj.etag}); fetch it again before changing it",
            code="stale_etag",
        )


def update_assertion(session: Session, *, assertion_id: int, changes: Mapping[str, Any],
                     if_match: Collection[str] | None = None) -> Assertion:
    """Apply a partial update to an assertion; its version counter goes up by one."""
    assertion = get_assertion(session, assertion_id=assertion_id)
    check_if_match(assertion, if_match)
    number = changes.get("number", assertion.number)
    if "number" in changes:
        _ensure_assertion_number_free(session, assertion.subtopic_id, number, assertion.id)
    if "number" in changes or "depends_on_id" in changes:
        _check_antecedent(
            session,
            subtopic_id=assertion.subtopic_id,
            number=number,
            depends_on_id=changes.get("depends_on_id", assertion.depends_on_id),
            self_id=assertion.id,
        )
    with _committed(session, conflict=f"item number {number} is taken in this subtopic"):
        for key, value in changes.items():
            setattr(assertion, key, value)
        pool.refresh(session, subtopic_ids=[assertion.subtopic_id])
    return assertion


def delete_assertion(session: Session, *, assertion_id: int, if_match: Collection[str] | None = None) -> None:
    """Delete an assertion; items that referred to it lose their depends_on link."""
    assertion = get_assertion(session, assertion_id=assertion_id)
    check_if_match(assertion, if_match)
    issued.retoken_exams(session, assertion_ids=[assertion.id])
    session.delete(assertion)
    pool.refresh(session, subtopic_ids=[assertion.subtopic_id])
    session.commit()

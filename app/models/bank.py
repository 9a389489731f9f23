"""The bank: topics, subtopics, assertions and their false variants, plus shared column types."""

from __future__ import annotations

import enum
import hashlib
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from app.db import Base
from app.search import fold

# Longest texts the bank accepts, through the API and the importer alike, in characters.
TEXT_MAX_CHARS = 2000
TITLE_MAX_CHARS = 300
# Highest subtopic or item number.
NUMBER_MAX = 100_000
# Largest id: PostgreSQL's integer columns stop here, so a bigger number names no row.
ID_MAX = 2**31 - 1


def text_digest(text: str) -> str:
    """SHA-256 of a text, the key that makes a variant unique within its assertion."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# Sample keys are the top SAMPLE_KEY_BITS bits of the text's SHA-256, uniform over [0, 2**58):
# exam generation draws its window pivots from that same range (generation.KEY_SPACE).
SAMPLE_KEY_BITS = 58


def sample_key_of(text: str) -> int:
    """A uniform 58-bit key derived from the text: exams sample a subtopic by a window of keys.

    Derived from content (not drawn at random) so that the same bank gives the same exams on
    every database.
    """
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return int.from_bytes(digest, "big") >> (256 - SAMPLE_KEY_BITS)


def utcnow() -> datetime:
    """Current time, timezone-aware UTC."""
    return datetime.now(UTC)


class Label(enum.StrEnum):
    """Truth label of an item: certo (true) or errado (false)."""

    C = "C"
    E = "E"


class Status(enum.StrEnum):
    """Editorial state of an assertion; only published items feed exams."""

    DRAFT = "draft"
    PUBLISHED = "published"
    RETIRED = "retired"


class UTCDateTime(sa.TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores them without the zone)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC)
            if dialect.name == "sqlite":
                value = value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


def _in_check(column: str, values: type[enum.StrEnum]) -> str:
    return f"{column} IN ({', '.join(repr(v.value) for v in values)})"


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Topic(TimestampMixin, Base):
    """A discipline ("Pergunta Original"), e.g. code 9.3, title "MLOps - implantação"."""

    __tablename__ = "topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    title: Mapped[str] = mapped_column(sa.String(TITLE_MAX_CHARS))
    source_document: Mapped[str | None] = mapped_column(sa.String(255))

    subtopics: Mapped[list[Subtopic]] = relationship(
        back_populates="topic",
        order_by="Subtopic.number",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class Subtopic(TimestampMixin, Base):
    """A numbered part of a topic; an exam block is one subtopic."""

    __tablename__ = "subtopics"
    __table_args__ = (
        sa.UniqueConstraint("topic_id", "number"),
        sa.CheckConstraint("number >= 1", name="number_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(
        sa.ForeignKey("topics.id", ondelete="CASCADE")
    )
    number: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(TITLE_MAX_CHARS))
    # Exam pool sizes, recomputed by services.pool after every write that can change them, so
    # that planning an exam reads one row per subtopic instead of counting assertions.
    pool_true: Mapped[int] = mapped_column(default=0, server_default="0")
    pool_false: Mapped[int] = mapped_column(default=0, server_default="0")
    pool_variants: Mapped[int] = mapped_column(default=0, server_default="0")
    pool_variants_approved: Mapped[int] = mapped_column(default=0, server_default="0")
    # Drawn again with the counts (services/pool.refresh): what a process keeps of the pool in
    # memory is for one stamp (services/generation/pools.py).
    pool_stamp: Mapped[int] = mapped_column(default=0, server_default="0")

    topic: Mapped[Topic] = relationship(back_populates="subtopics")
    assertions: Mapped[list[Assertion]] = relationship(
        back_populates="subtopic",
        order_by="Assertion.number",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class Assertion(TimestampMixin, Base):
    """One sentence to judge certo or errado, identified by (topic code, subtopic, number)."""

    __tablename__ = "assertions"
    __table_args__ = (
        sa.UniqueConstraint("subtopic_id", "number"),
        sa.CheckConstraint("number >= 1", name="number_positive"),
        sa.CheckConstraint(_in_check("label", Label), name="label"),
        sa.CheckConstraint(_in_check("status", Status), name="status"),
        sa.Index("ix_assertions_status_label", "status", "label"),
        sa.Index("ix_assertions_pool", "subtopic_id", "status", "label", "sample_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subtopic_id: Mapped[int] = mapped_column(
        sa.ForeignKey("subtopics.id", ondelete="CASCADE")
    )
    number: Mapped[int]
    text: Mapped[str] = mapped_column(sa.Text)
    # Lower-case, accent-free copy of `text` for portable search (SQLite has no unaccent).
    search_text: Mapped[str] = mapped_column(sa.Text)
    sample_key: Mapped[int] = mapped_column(sa.BigInteger)
    # 0: no false variant, 1: only unreviewed untrusted ones, 2: an unreviewed trusted one, 3: an approved
    # one (services.pool).
    variant_review: Mapped[int] = mapped_column(sa.SmallInteger, default=0, server_default="0")
    # The text's cue features with the word lists' fingerprint (services/audit/surface.py); None: not computed.
    surface: Mapped[int | None]
    label: Mapped[str] = mapped_column(sa.String(1), default=Label.C.value)
    explanation: Mapped[str | None] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(16), default=Status.DRAFT.value)
    source_file: Mapped[str | None] = mapped_column(sa.String(255))
    source_line: Mapped[int | None]
    depends_on_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("assertions.id", ondelete="SET NULL"), index=True
    )
    version: Mapped[int] = mapped_column(default=1)

    subtopic: Mapped[Subtopic] = relationship(back_populates="assertions")
    depends_on: Mapped[Assertion | None] = relationship(remote_side=[id])
    variants: Mapped[list[Variant]] = relationship(
        back_populates="assertion",
        order_by="Variant.rank",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    __mapper_args__ = {"version_id_col": version}

    @validates("text")
    def _keep_search_text(self, _key: str, value: str) -> str:
        from app.services.audit import surface  # loads the word lists: only when a text is written

        self.search_text = fold(value)
        self.sample_key = sample_key_of(value)
        self.surface = surface.stored(value)
        return value

    @property
    def etag(self) -> str:
        """Strong ETag: changes whenever the row does (its version counter goes up)."""
        return f'"assertion-{self.id}-v{self.version}"'

    @property
    def provenance(self) -> dict[str, str | int | None] | None:
        """The document and line an imported item came from (None when made through the API)."""
        if self.source_file is None and self.source_line is None:
            return None
        return {"file": self.source_file, "line": self.source_line}

    @property
    def topic_id(self) -> int:
        """The topic the assertion belongs to, through its subtopic."""
        return self.subtopic.topic_id


class VariantStatus(enum.StrEnum):
    """Review state of a false variant: only approved ones feed exams unless configured otherwise."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class VariantOrigin(enum.StrEnum):
    GENERATED = "generated"
    MANUAL = "manual"


class VariantKind(enum.StrEnum):
    """A false variant (shown E), or a true rewrite: the same true claim restated (shown C)."""

    FALSE = "false"
    TRUE_REWRITE = "true_rewrite"


class Variant(TimestampMixin, Base):
    """A false version of a true assertion, with what changed and why it is false; or, of kind
    true_rewrite, a restatement that keeps it true."""

    __tablename__ = "variants"
    __table_args__ = (
        # On a digest of the text: PostgreSQL cannot index texts this long directly.
        sa.UniqueConstraint("assertion_id", "text_digest"),
        sa.CheckConstraint(_in_check("status", VariantStatus), name="status"),
        sa.CheckConstraint(_in_check("origin", VariantOrigin), name="origin"),
        sa.CheckConstraint(_in_check("kind", VariantKind), name="kind"),
        sa.Index("ix_variants_status_operator", "status", "operator"),
        # Lookups by assertion (review state, usable variants) must not fall back to the status index.
        sa.Index("ix_variants_assertion_id_status", "assertion_id", "status"),
        # A review's trust update counts one operator's reviews (services.variant_quality): a range of
        # this index, not a scan of every variant of the bank.
        sa.Index("ix_variants_review_counts", "operator", "origin", "status", "edited",
                 "trusted"),
        # The review queue's page: a status's variants in assertion order, read in index order (no sort).
        sa.Index("ix_variants_status_assertion_id", "status", "assertion_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assertion_id: Mapped[int] = mapped_column(sa.ForeignKey("assertions.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(sa.Text)
    text_digest: Mapped[str] = mapped_column(sa.String(64))
    operator: Mapped[str] = mapped_column(sa.String(40))
    category: Mapped[str] = mapped_column(sa.String(40))
    changes: Mapped[list] = mapped_column(sa.JSON, default=list)
    explanation: Mapped[str] = mapped_column(sa.Text)
    risk: Mapped[float] = mapped_column(sa.Float, default=0.5)
    rank: Mapped[int | None]
    status: Mapped[str] = mapped_column(sa.String(16), default=VariantStatus.PENDING.value)
    origin: Mapped[str] = mapped_column(sa.String(16), default=VariantOrigin.GENERATED.value)
    # Whether the operator's measured precision (corpus, adjusted by this bank's reviews) lets the
    # variant enter an exam before an author has reviewed it.
    trusted: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    edited: Mapped[bool] = mapped_column(default=False, server_default=sa.false())  # text changed by an author
    kind: Mapped[str] = mapped_column(sa.String(16), default=VariantKind.FALSE.value, server_default="false")
    surface: Mapped[int | None]  # as Assertion.surface
    version: Mapped[int] = mapped_column(default=1)

    assertion: Mapped[Assertion] = relationship(back_populates="variants")

    __mapper_args__ = {"version_id_col": version}

    @property
    def etag(self) -> str:
        """Strong ETag: changes whenever the row does (its version counter goes up)."""
        return f'"variant-{self.id}-v{self.version}"'

    @validates("text")
    def _keep_digest(self, _key: str, value: str) -> str:
        from app.services.audit import surface

        self.text_digest = text_digest(value)
        self.surface = surface.stored(value)
        return value

"""Marshmallow schemas: the API's contract, and the source of openapi.yaml.

One module per noun: common (errors, pages, the strict base), bank (topics, subtopics,
assertions, imports), health, variants, exams (with keys, audits, attempts, sessions, statistics,
exports) and keys (API keys). Everything is re-exported here.
"""

from __future__ import annotations

from app.schemas.bank import (  # noqa: F401
    AssertionPatchSchema,
    AssertionQuerySchema,
    AssertionSchema,
    CountsSchema,
    DeleteArgsSchema,
    ImportArgsSchema,
    ImportResultSchema,
    ImportWarningSchema,
    ProvenanceSchema,
    SubtopicSchema,
    TopicSchema,
)
from app.schemas.common import (  # noqa: F401
    CODE_PATTERN,
    PageArgsSchema,
    PageSchema,
    ProblemErrorSchema,
    ProblemSchema,
    StrictSchema,
    page_of,
)
from app.schemas.exams import (  # noqa: F401
    AttemptCreateSchema,
    AttemptResultSchema,
    AttemptSummarySchema,
    AuditQuerySchema,
    BankExportQuerySchema,
    BlockResultSchema,
    ExamAuditSchema,
    ExamBlockSchema,
    ExamCreateSchema,
    ExamItemSchema,
    ExamKeySchema,
    ExamSchema,
    ExportQuerySchema,
    FlaggedListSchema,
    FlaggedVariantSchema,
    GuesserSchema,
    ItemResultSchema,
    ItemStatsSchema,
    KeyItemSchema,
    PracticeSessionSchema,
    VersionQuerySchema,
    WeightsSchema,
    exam_json,
)
from app.schemas.health import (  # noqa: F401
    HealthSchema,
)
from app.schemas.keys import (  # noqa: F401
    ALLOW_UNREVIEWED,
    ApiKeyCreateSchema,
    ApiKeySchema,
    ApiKeyUpdateSchema,
    NewApiKeySchema,
)
from app.schemas.scans import (  # noqa: F401
    ScanListArgsSchema,
    ScanResolveSchema,
    ScanSheetSchema,
    ScanUploadResultSchema,
)
from app.schemas.variants import (  # noqa: F401
    BulkVariantRequestSchema,
    BulkVariantResultSchema,
    ChangeSchema,
    JobSchema,
    OperatorQualitySchema,
    TopicQualitySchema,
    VariantListSchema,
    VariantPatchSchema,
    VariantQualityQuerySchema,
    VariantQualitySchema,
    VariantQuerySchema,
    VariantRequestSchema,
    VariantSchema,
    VariantStatusQuerySchema,
)

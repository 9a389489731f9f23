"""Exam generation: plan per subtopic, sample by key windows, assemble blocks, snapshot.

Reproducible: the same bank content, parameters and seed give the same exam (texts, order,
labels), because every choice comes from one seeded random.Random and every query has a total
order. Fast on large banks: planning reads one row per subtopic (the pool counts kept by
services.pool), and sampling reads a window of the (subtopic, status, label, sample_key) index
per subtopic instead of scanning or sorting the table.
"""

from __future__ import annotations

from app.services.generation.assembly import IssuedExam, generate_exam, issue_exam
from app.services.generation.request import KEY_SPACE, MAX_ITEMS, MAX_VERSIONS, ExamRequest, false_count
from app.services.headings import block_heading
from app.services.issued import (  # reading issued exams lives there; importable from here too
    answer_key,
    describe_exam,
    get_exam,
    require_answers_visible,
    version_items,
)

__all__ = ["KEY_SPACE", "MAX_ITEMS", "MAX_VERSIONS", "ExamRequest", "IssuedExam", "answer_key", "block_heading",
           "describe_exam", "false_count", "generate_exam", "get_exam", "issue_exam", "require_answers_visible",
           "version_items"]

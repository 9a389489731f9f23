"""Load, once per server process, what the first requests would otherwise wait for.

The variant engine's word lists, simplemma's Portuguese dictionary (low-memory backend; variants
check words against it), the PDF fonts and hyphenation patterns, the HTML template and the export
modules are all loaded lazily; without this, each gunicorn worker's first exam or PDF took about
half a second longer than the next ones.
"""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime


def warm_up() -> float:
    """Exercise the engine, the audit, the block headings and every export format on a one-item exam;
    seconds spent."""
    from app import perturb
    from app.services.audit import AuditItem, run_fixed
    from app.services.export import FORMATS
    from app.services.export.document import KEY_COMMENTED, AuditLine, DocBlock, DocItem, ExamDocument
    from app.services.generation import block_heading

    started = time.perf_counter()
    sentence = "A automação reduz o tempo necessário para implantar um modelo de machine learning."
    perturb.generate(sentence, rng=random.Random(0))
    item = DocItem(number=1, text=sentence, block=1, subtopic="Implantação", label="C", explanation=None,
                   original=None)
    block = DocBlock(number=1, subtopic="Implantação", heading=block_heading("Implantação de modelos"),
                     items=(item,))
    audit = tuple(AuditLine(g.name, g.description, g.right, g.wrong, g.blank, g.net)
                  for g in run_fixed([AuditItem(1, sentence, "C")]))  # the audit's word lists
    document = ExamDocument(exam_id=0, title="Aquecimento", version=1, versions=1, created_at=datetime.now(UTC),
                            weights=(1.0, -1.0, 0.0), blocks=(block,), key=KEY_COMMENTED, items=(item,),
                            audit=audit)
    for spec in FORMATS.values():
        spec.render(document)
    return time.perf_counter() - started

"""A corpus of seed documents run through the engine offline (no database): for `qbank perturb`
and the quality benchmark."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from app import perturb
from app.perturb.evaluation import Row
from app.services import importer


@dataclass(frozen=True)
class CorpusError(Exception):
    """A document of the corpus that does not parse: one message per bad line."""

    messages: tuple[str, ...]


def run_corpus(paths: Sequence[Path], *, seed: int = 0, encoding: str | None = None,
               lexicon: perturb.Lexicon | None = None, floor: bool = True) -> list[Row]:
    """Every assertion of the documents with its ranked variants, in document order.

    Each topic is the context of its own sentences; the whole corpus is one batch, so operators
    are spread over its first places as `generate_many` does for a topic.
    """
    sources, texts, contexts = [], [], []
    errors: list[str] = []
    for path in paths:
        try:
            document = importer.parse_seed(path.read_bytes(), name=path.name, encoding=encoding)
        except importer.DocumentError as exc:
            errors.extend(f"{path}:{error.line}: {error.message}" for error in exc.line_errors)
            continue
        for topic in document.topics:
            context = perturb.Context(topic_sentences=tuple(i.text for s in topic.subtopics for i in s.items))
            for sub in topic.subtopics:
                for item in sub.items:
                    sources.append(f"{topic.code} {sub.number}.{item.number}")
                    texts.append(item.text)
                    contexts.append(context)
    if errors:
        raise CorpusError(tuple(errors))
    results = perturb.generate_many(texts, rng=random.Random(seed), lexicon=lexicon, contexts=contexts, floor=floor)
    return [Row(source, text, tuple(variants))
            for source, text, variants in zip(sources, texts, results, strict=True)]


def corpus_files(folder: Path) -> list[Path]:
    """The seed documents of a corpus folder, in name order."""
    return sorted(folder.glob("*.txt"))

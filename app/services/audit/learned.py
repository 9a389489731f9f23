"""The learned guesser of the exam audit: a logistic regression on surface features.

It stands for the strongest test-wise candidate: one who has practised on the site's own items,
with their keys, and learned which surface features give false items away. It is trained on
labelled items of the bank the exam was drawn from (never on the audited exam's own assertions
or texts; see app.services.audit.training_items) and tested on the exam.

scikit-learn is imported inside `learned_guesser` only: serving exams never loads it.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from app.errors import Invalid
from app.services.audit.guessers import (
    AuditItem,
    E,
    GuesserResult,
    count_phrases,
    default_cue_lists,
    score,
    words,
)

NAME = "learned"
DESCRIPTION = ("Aprendido: regressão logística treinada em itens do próprio banco (fora desta prova) sobre "
               "traços de superfície — palavras funcionais, tamanho, pontuação, palavras-chave e sequências "
               "de caracteres; marca a classe mais provável.")
# Fewest items of each label the model needs to learn anything (below: 422, not a guess from noise).
MIN_PER_LABEL = 5
_PUNCTUATION = ",;:()\"“”—–-%/"


@cache
def _function_words() -> tuple[str, ...]:
    from importlib import resources

    from app.services.audit.guessers import strip_comments

    text = resources.files("app.services.audit").joinpath("data", "function_words.txt").read_text(encoding="utf-8")
    return tuple(dict.fromkeys(line.lower() for line in strip_comments(text.splitlines())))


def surface(texts: Sequence[str]) -> list[list[float]]:
    """Dense features of each text: characters, words, mean word length, each punctuation mark,
    digits, and the counts of cue, engine and negative words."""
    lists = default_cue_lists()
    rows = []
    for text in texts:
        tokens = words(text)
        rows.append([
            float(len(text)), float(len(tokens)), len(text) / max(1, len(tokens)),
            *(float(text.count(mark)) for mark in _PUNCTUATION),
            float(sum(ch.isdigit() for ch in text)),
            float(count_phrases(tokens, lists.cue_words)),
            float(count_phrases(tokens, lists.engine_words)),
            float(count_phrases(tokens, lists.negative_words)),
        ])
    return rows


def _model():  # noqa: ANN202
    """The pipeline: character 2–4-grams (tf-idf), function-word counts, scaled dense features,
    then an L2 logistic regression with balanced class weights."""
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, make_pipeline
    from sklearn.preprocessing import FunctionTransformer, StandardScaler

    features = FeatureUnion([
        ("char_ngrams", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), min_df=2, sublinear_tf=True)),
        ("function_words", CountVectorizer(vocabulary=_function_words(), token_pattern=r"(?u)\b\w+\b")),
        ("surface", make_pipeline(FunctionTransformer(surface), StandardScaler())),
    ])
    return make_pipeline(features, LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced"))


def learned_guesser(items: Sequence[AuditItem], training: Sequence[AuditItem]) -> GuesserResult:
    """Train on `training` (labelled items outside the exam) and answer every item of the exam with
    the more probable label; 422 when the training items have too few of either label."""
    false = sum(1 for t in training if t.label == E)
    true = len(training) - false
    if min(true, false) < MIN_PER_LABEL:
        raise Invalid(f"the learned guesser needs at least {MIN_PER_LABEL} true and {MIN_PER_LABEL} false items "
                      f"outside this exam to practise on; the bank has {true} true and {false} false",
                      code="audit_training_too_small")
    model = _model()
    model.fit([t.text for t in training], [t.label for t in training])
    answers = [str(label) for label in model.predict([i.text for i in items])] if items else []
    return score(NAME, DESCRIPTION, items, answers, training_items=len(training))

"""Synthetic pt-BR banks for development, tests and benchmarks, from Faker and sentence templates."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import sqlalchemy as sa
from faker import Faker
from sqlalchemy.orm import Session

from app.models import (
    Assertion,
    Label,
    Status,
    Subtopic,
    Topic,
    Variant,
    VariantOrigin,
    VariantStatus,
    sample_key_of,
    text_digest,
    utcnow,
)
from app.search import fold
from app.services import pool
from app.services.audit import surface

SUBJECTS = (
    "A criptografia assimétrica", "O controle de acesso baseado em papéis", "A normalização de tabelas",
    "O princípio da legalidade", "A auditoria interna", "O backup incremental", "A gestão de riscos",
    "O índice em árvore B", "A assinatura digital", "O firewall de aplicação", "A licitação na modalidade pregão",
    "O controle externo", "A governança de dados", "O modelo relacional", "A autenticação multifator",
    "O plano de continuidade de negócios", "A administração pública indireta", "O ato administrativo",
    "A replicação de banco de dados", "O gerenciamento de incidentes", "A política de senhas",
    "O orçamento público", "A transação distribuída", "O teste de intrusão",
)
VERBS = (
    "permite", "garante", "reduz", "facilita", "exige", "aumenta", "dificulta", "assegura",
    "contribui para", "depende de", "impede", "possibilita",
)
OBJECTS = (
    "a integridade dos dados armazenados", "o tempo de resposta das consultas", "a confidencialidade das informações",
    "a eficiência dos processos internos", "a rastreabilidade das decisões", "o custo operacional",
    "a disponibilidade dos serviços", "a transparência da gestão", "o controle das despesas",
    "a recuperação após falhas", "a padronização dos procedimentos", "a segregação de funções",
)
COMPLEMENTS = (
    "em ambientes corporativos", "no âmbito da administração pública", "em sistemas distribuídos",
    "durante auditorias periódicas", "quando aplicado corretamente", "em organizações de grande porte",
    "segundo as boas práticas", "nos órgãos de controle",
)
LIST_ITEMS = (
    "confidencialidade", "integridade", "disponibilidade", "autenticidade", "legalidade", "publicidade",
    "eficiência", "moralidade", "impessoalidade", "atomicidade", "consistência", "isolamento", "durabilidade",
)
UNITS = ("dias", "meses", "anos", "horas")


def _sentence(fake: Faker, rng: random.Random) -> str:
    kind = rng.randrange(4)
    if kind == 0:
        return (
            f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} "
            f"{rng.choice(COMPLEMENTS)}."
        )
    if kind == 1:
        a, b, c = rng.sample(LIST_ITEMS, 3)
        return f"{rng.choice(SUBJECTS)} envolve princípios como {a}, {b} e {c}."
    if kind == 2:
        return (
            f"Na {fake.company()}, o prazo para {rng.choice(OBJECTS).split(' ', 1)[1]} "
            f"é de {rng.randint(2, 90)} {rng.choice(UNITS)}."
        )
    subject = rng.choice(SUBJECTS)
    return f"{subject} pode ser utilizado para melhorar {rng.choice(OBJECTS)}, segundo {fake.name()}."


@dataclass(frozen=True)
class FakeBankSize:
    topics: int
    subtopics: int
    assertions: int


def fake_document(*, rng: random.Random, size: FakeBankSize, first_code: int = 1) -> Iterator[str]:
    """Lines of a synthetic seed-format document (same shape as seeds/)."""
    fake = Faker("pt_BR")
    fake.seed_instance(rng.getrandbits(32))
    for t in range(size.topics):
        yield f"Pergunta Original: {first_code + t} {fake.catch_phrase()}"
        yield ""
        for s in range(1, size.subtopics + 1):
            yield f"{s}. Subtópico:"
            yield f"{s}. {fake.catch_phrase()}."
            yield "Assertivas:"
            for n in range(1, size.assertions + 1):
                yield f"{n}. {_sentence(fake, rng)}"
            yield ""


def fake_bank(
    session: Session,
    *,
    rng: random.Random,
    size: FakeBankSize,
    false_share: float = 0.0,
    variant_share: float = 0.0,
    batch: int = 5000,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Insert a synthetic published bank in bulk; returns the number of assertions added.

    `false_share` of the items are written as false (label E, with an explanation);
    `variant_share` of the true ones get two approved engine variants, so exams can be drawn.
    `progress(n)` is told of every n assertions written.
    """
    fake = Faker("pt_BR")
    fake.seed_instance(rng.getrandbits(32))
    taken = {code for code in session.scalars(sa.select(Topic.code))}
    code = 1000
    now = utcnow()
    rows: list[dict] = []
    subtopic_ids: list[int] = []
    added = 0
    for _ in range(size.topics):
        while str(code) in taken:
            code += 1
        topic = Topic(code=str(code), title=fake.catch_phrase(), source_document="qbank fake")
        taken.add(str(code))
        session.add(topic)
        for s in range(1, size.subtopics + 1):
            topic.subtopics.append(Subtopic(number=s, title=f"{fake.catch_phrase()}."))
        session.flush()
        subtopic_ids.extend(s.id for s in topic.subtopics)
        for subtopic in topic.subtopics:
            for n in range(1, size.assertions + 1):
                text = _sentence(fake, rng)
                false = rng.random() < false_share
                rows.append({
                    "subtopic_id": subtopic.id, "number": n, "text": text, "search_text": fold(text),
                    "sample_key": sample_key_of(text), "variant_review": 0, "surface": surface.stored(text),
                    "label": Label.E.value if false else Label.C.value, "status": Status.PUBLISHED.value,
                    "explanation": "ERRADO. Item sintético gerado como falso." if false else None,
                    "version": 1, "source_file": "qbank fake", "created_at": now, "updated_at": now,
                })
                if len(rows) >= batch:
                    session.execute(sa.insert(Assertion), rows)
                    added += len(rows)
                    if progress is not None:
                        progress(len(rows))
                    rows.clear()
    if rows:
        session.execute(sa.insert(Assertion), rows)
        added += len(rows)
        if progress is not None:
            progress(len(rows))
    with_variants = _fake_variants(session, rng=rng, subtopic_ids=subtopic_ids, share=variant_share, now=now) \
        if variant_share > 0 else []
    pool.refresh(session, subtopic_ids=subtopic_ids, assertion_ids=with_variants)
    session.commit()
    pool.analyze(session)
    session.commit()
    return added


def _fake_variants(session: Session, *, rng: random.Random, subtopic_ids: list[int], share: float,
                   now) -> list[int]:  # noqa: ANN001
    """Approved engine variants (the two best) for `share` of the new true assertions."""
    from app import perturb

    chosen: list[int] = []
    rows: list[dict] = []
    for start in range(0, len(subtopic_ids), 200):
        stmt = (sa.select(Assertion.id, Assertion.text)
                .where(Assertion.subtopic_id.in_(subtopic_ids[start:start + 200]), Assertion.label == Label.C.value)
                .order_by(Assertion.id))
        for assertion_id, text in session.execute(stmt).all():
            if rng.random() >= share:
                continue
            variants = perturb.generate(text, rng=random.Random(assertion_id))[:2]
            if not variants:
                continue
            chosen.append(assertion_id)
            for rank, v in enumerate(variants, start=1):
                rows.append({
                    "assertion_id": assertion_id, "text": v.text, "text_digest": text_digest(v.text),
                    "surface": surface.stored(v.text),
                    "operator": v.operator, "category": v.category, "changes": [dict(c) for c in v.changes],
                    "explanation": v.explanation, "risk": v.risk, "rank": rank,
                    "status": VariantStatus.APPROVED.value, "origin": VariantOrigin.GENERATED.value,
                    "version": 1, "created_at": now, "updated_at": now,
                })
            if len(rows) >= 5000:
                session.execute(sa.insert(Variant), rows)
                rows.clear()
    if rows:
        session.execute(sa.insert(Variant), rows)
    return chosen

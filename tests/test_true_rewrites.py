"""The true-rewrite families (app/perturb/rewrites/): where each applies, and where it stays out.

A rewrite must say what the original says; a family that misfires puts a false item under the key
C, the worst defect cue balance could bring. So every family is checked on sentences it must leave
alone as much as on those it rewrites.
"""

from __future__ import annotations

import pytest

from app.perturb.rewrites import true_rewrites


def _only(text: str) -> tuple[str, str]:
    rewrites = true_rewrites(text)
    assert len(rewrites) == 1, (text, [r.text for r in rewrites])
    rewrite = rewrites[0]
    assert rewrite.kind == "true_rewrite" and rewrite.explanation.startswith("CERTO. ")
    return rewrite.operator, rewrite.text


@pytest.mark.parametrize(("text", "expected"), [
    ("O monitoramento contínuo é imprescindível no MLOps.", "O monitoramento contínuo não é dispensável no MLOps."),
    ("O ato é indevido.", "O ato não é devido."),
    ("O bem de família é impenhorável.", "O bem de família não é penhorável."),
    ("A obra requer licença ambiental.", "A obra não dispensa licença ambiental."),
    ("A responsabilidade objetiva independe de culpa.", "A responsabilidade objetiva não depende de culpa."),
])
def test_complement_covers_the_new_pairs(text, expected):
    assert _only(text) == ("complement", expected)


@pytest.mark.parametrize(("text", "expected"), [
    ("A criação de métricas é uma etapa essencial no processo.",
     "A criação de métricas não é uma etapa dispensável no processo."),
    ("A segurança e a gestão de riscos são etapas essenciais no processo.",
     "A segurança e a gestão de riscos não são etapas dispensáveis no processo."),
    ("Uma imagem de contêiner é um modelo imutável.", "Uma imagem de contêiner não é um modelo mutável."),
])
def test_complement_attribute_negates_the_predicate_noun_phrase(text, expected):
    assert _only(text) == ("complement_attribute", expected)


@pytest.mark.parametrize("text", [
    "A saúde é um direito fundamental do ser humano.",  # "fundamental" after a noun names a kind of right
    "O monitoramento é fundamental no MLOps.",  # "fundamental": what matters most, not only what is required
    "Os testes são cruciais para a entrega.",  # "crucial" likewise
    # A gerund clause after the claim would hang on the "não".
    "A reprodutibilidade é um princípio essencial do MLOps, garantindo que os resultados possam ser reproduzidos.",
    "O prazo torna-se um requisito essencial.",  # a change of state: "não se torna dispensável" differs
    "A medida é mais essencial que a outra.",  # "não é mais dispensável" would mean "no longer"
    "A etapa é uma fase essencial e custosa.",  # the "não" would reach "custosa" too
    "A etapa não é uma fase essencial.",  # already negated
    "O MLOps é uma área em constante evolução.",  # no complement pair
])
def test_complement_attribute_stays_out(text):
    assert [r.operator for r in true_rewrites(text) if r.operator.startswith("complement")] == []


@pytest.mark.parametrize(("text", "expected"), [
    ("O orçamento deve ser elaborado com base em estimativas realistas.",
     "O orçamento não pode deixar de ser elaborado com base em estimativas realistas."),
    ("Os recursos devem ser destinados aos municípios.",
     "Os recursos não podem deixar de ser destinados aos municípios."),
    ("A gravação do log deve preceder a gravação das páginas.",
     "A gravação do log não pode deixar de preceder a gravação das páginas."),
    ("O relatório deverá ser publicado até o fim do bimestre.",
     "O relatório não poderá deixar de ser publicado até o fim do bimestre."),
])
def test_obligation_restates_a_duty_as_the_impossibility_of_omitting_it(text, expected):
    assert _only(text) == ("obligation", expected)


@pytest.mark.parametrize("text", [
    "A teoria defende que o estilo do líder deve variar conforme a maturidade.",  # a reported duty
    "O servidor não deve aceitar presentes.",  # already negated
    "Deve-se observar a anterioridade nonagesimal.",  # an impersonal "deve-se"
    "O contribuinte deve a diferença ao fisco.",  # "dever" as "to owe", no infinitive
    "O IPI não se sujeita à anterioridade, mas deve observar a noventena.",  # a negative word already
    "O servidor só deve responder após a sindicância.",  # restricted: "só não pode deixar de" differs
    # A gerund clause after the duty ("never fails to identify ..., permitindo ...").
    "O monitoramento deve identificar anomalias no desempenho do modelo, permitindo ação imediata.",
])
def test_obligation_stays_out(text):
    assert [r for r in true_rewrites(text) if r.operator == "obligation"] == []


def test_a_rewrite_carries_a_cue_word_the_original_lacks():
    """What the families are for: the true item then carries the words false variants carry."""
    from app.services.audit.guessers import count_phrases, default_cue_lists, words

    cues = default_cue_lists().cue_words
    for text in ("A criação de métricas é uma etapa essencial.", "O orçamento deve ser elaborado por lei.",
                 "O monitoramento é imprescindível no MLOps."):
        assert count_phrases(words(text), cues) == 0
        assert all(count_phrases(words(r.text), cues) > 0 for r in true_rewrites(text)) and true_rewrites(text)

"""Concept swap: a term replaced by one of another class of its group (AES -> RSA)."""

from __future__ import annotations

import random
import re
from functools import lru_cache

from app.perturb.lexicon import Concept, words_of
from app.perturb.operators.candidate import CONTRADICTION, Candidate, Context
from app.perturb.operators.explanation import contrast, errado
from app.perturb.operators.list_restriction import OPEN_LIST
from app.perturb.operators.topic_subject_swap import term_in, topic_subject_swap
from app.perturb.text import Edit, Sentence, match_case


@lru_cache(maxsize=4)
def _concept_occurrences(sentence: Sentence) -> tuple[tuple[int, int, Concept], ...]:
    """(first token, last token, concept) of each term of the lexicon in the sentence, the longest
    where terms overlap; cached for the few sentences in flight (concept_swap and pair_exchange
    both ask, and a Sentence hashes by identity)."""
    found = []
    index = sentence.lexicon.concepts_by_first_word
    candidates = [c for word in sentence.positions if word in index for c in index[word]]
    for concept in candidates:
        for i in sentence.find(concept.key):
            found.append((i, i + len(concept.key) - 1, concept))
    # Longest match wins where terms overlap ("backup incremental" over "backup").
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    chosen, last_end = [], -1
    for first, last, concept in found:
        if first > last_end:
            chosen.append((first, last, concept))
            last_end = last
    return tuple(chosen)


# Words before a term that make it refer back to something already said ("essa imunidade",
# "tal ato", "o referido contrato"): swapped, it contradicts what it refers to.
_ANAPHORIC = frozenset(
    "esse essa esses essas este esta estes estas aquele aquela aqueles aquelas tal tais referido referida "
    "referidos referidas aludido aludida mencionado mencionada".split()
)

_GENDERED_DETERMINERS = frozenset(
    "todo toda todos todas este esta estes estas esse essa esses essas aquele aquela nosso nossa seu sua".split()
)


def _with_article(sentence: Sentence, first: int, old: Concept, new: Concept) -> tuple[int, str]:
    """Start offset and replacement prefix that keep the article before a term in agreement."""
    previous = first - 1
    if previous >= 1 and old.gender != new.gender and sentence.lowers[previous - 1] in _GENDERED_DETERMINERS:
        return -1, ""  # "toda a organização" -> "toda o controle": more than the article would change
    if previous >= 0 and old.gender != new.gender:
        swaps = {"o": "a", "a": "o", "do": "da", "da": "do", "no": "na", "na": "no", "ao": "à", "à": "ao",
                 "pelo": "pela", "pela": "pelo", "um": "uma", "uma": "um"}
        article = sentence.lowers[previous]
        if article in swaps:
            token = sentence.tokens[previous]
            between = sentence.text[token.end:sentence.tokens[first].start]
            return token.start, match_case(swaps[article], token.text) + between
    return sentence.tokens[first].start, ""


def _part_of_a_longer_name(sentence: Sentence, first: int, last: int) -> bool:
    """Whether an upper-case word is written right beside the term ("DROP TABLE", "CREATE INDEX")."""
    tokens = sentence.tokens
    for i, gap in ((first - 1, (first - 1, first)), (last + 1, (last, last + 1))):
        if not 0 <= i < len(tokens) or not tokens[i].is_word:
            continue
        between = sentence.text[tokens[gap[0]].end:tokens[gap[1]].start]
        if between.strip() == "" and len(tokens[i].text) > 1 and tokens[i].text.isupper():
            return True
    return False


def _swappable(sentence: Sentence, first: int, last: int, concept: Concept, context: Context) -> bool:
    """Whether this occurrence is used as the lexicon's term, so that swapping it is meaningful.

    Names and acronyms (Docker, AES) always are. (Jargon a dictionary does not know, "firewall",
    was tried as always swappable too: "Tanto o sistema de prevenção de intrusão quanto o IDS
    contribuem para a segurança" stays true, so it needs its group in the context like any word.)
    A lower-case phrase ("integração contínua") is swapped as the subject or beside
    its acronym; any term where a definition defines it ("Denomina-se overfitting ...",
    data/definition_openers.txt); a common word ("controle"), or a phrase after the verb, only where another term
    of its group appears in the sentence or topic.
    """
    term = concept.term
    if _part_of_a_longer_name(sentence, first, last):
        return False  # "DROP TABLE": "SELECT TABLE" would be nonsense, not a false statement
    if _family_elsewhere(sentence, _own_words(concept, sentence.lexicon), (first, last), before_only=True):
        return False  # "São imunes ..., alcançando essa imunidade", "DHCP ... DHCPDISCOVER": the
        # sentence names the concept twice, and a swap of one mention contradicts the other
    if term[:1].isupper() or term.isupper() or any(ch.isdigit() for ch in term):
        return True
    if _defined_term(sentence, first):
        return True
    if " " in term:
        end = sentence.tokens[last].end
        with_acronym = concept.acronym is not None and \
            re.match(rf"\s*\({re.escape(concept.acronym)}\)", sentence.text[end:]) is not None
        verb = sentence.main_verb
        if with_acronym or (verb is not None and last < verb) or _competent_body(sentence, first):
            return True
        # After the verb, a phrase is swapped like a common word: where another term of its group
        # appears in the sentence or topic. Measured apart (see _predicate_phrase).
    if _anchored(sentence, first, concept):
        return True
    corpus = f"{sentence.text.lower()}\n{context.corpus}"
    return any(
        c.term != term and term_in(corpus, c.term) for c in sentence.lexicon.concepts_by_group[concept.group]
    )


_NOUN_OPENERS = frozenset("o a os as do da dos das no na nos nas ao à aos às pelo pela pelos pelas de em".split())


def _anchored(sentence: Sentence, first: int, concept: Concept) -> bool:
    """Whether a common word is used in its group's sense because the sentence names what the
    group's things are (data/group_anchors.tsv: "O phishing é um ataque ...", "pena de reclusão",
    "transfere competências de uma pessoa jurídica"), and the word is a noun there: it opens the
    sentence or a phrase, or follows an article or a preposition ("o servidor ativo" is an adjective)."""
    anchors = sentence.lexicon.group_anchors.get(concept.group)
    if not anchors or (first > 0 and sentence.tokens[first - 1].is_word
                       and sentence.lowers[first - 1] not in _NOUN_OPENERS):
        return False
    return any(sentence.find(words) for words in anchors)


def _head_pair(sentence: Sentence, first: int, last: int, concept: Concept) -> bool:
    """Whether a lower-case phrase the context does not vouch for is still used in its group's
    sense because its group holds a term of another class with the same head noun and a different
    modifier ("efeito suspensivo" / "efeito devolutivo", "extraterritorialidade incondicionada" /
    "condicionada", "brasileiros natos" / "naturalizados"): the head fixes the sense, and the
    modifier is the whole distinction, the minimal pair an examiner swaps. Only such a partner is
    swapped in (see concept_swap)."""
    if " " not in concept.term or concept.term[:1].isupper() or any(ch.isdigit() for ch in concept.term):
        return False
    if concept.key[0] in sentence.lexicon.generic_heads:
        return False  # "obter dados pessoais e financeiros da vítima": "dados" fixes no sense
    if _part_of_a_longer_name(sentence, first, last) or \
            _family_elsewhere(sentence, _own_words(concept, sentence.lexicon), (first, last), before_only=True):
        return False
    if _DEFINED_AFTER.match(sentence.text[sentence.tokens[last].end:]):
        return False  # "podem ocorrer leituras sujas, isto é, leituras de dados não confirmados": the
        # sentence defines the term, and the swapped item mixes a true claim with a wrong definition
    return any(_same_head(concept, c) for c in sentence.lexicon.concepts_by_group[concept.group])


_DEFINED_AFTER = re.compile(r"\s*,?\s*(?:isto é|ou seja|a saber|vale dizer)\b", re.IGNORECASE)


def _same_head(old: Concept, new: Concept) -> bool:
    """Whether `new` is of another class and shares `old`'s head noun (its first word)."""
    return new.klass != old.klass and len(new.key) > 1 and new.key[0] == old.key[0]


def _defined_term(sentence: Sentence, first: int) -> bool:
    """Whether the term at token `first` is what a definition defines: right after a definition
    opener ("Denomina-se overfitting ...", "No ITIL 4, denomina-se erro conhecido ..."), which
    opens the sentence or follows an opening phrase."""
    for words in sentence.lexicon.definition_openers:
        for i in sentence.find(words):
            opens = i == 0 or sentence.tokens[i - 1].text == ","
            after = i + len(words)
            if after < first and sentence.lowers[after] in ("o", "a", "os", "as"):
                after += 1  # "Diz-se o crime tentado ..."
            if opens and after == first and not sentence.in_parens[first]:
                return True
    return False


_DEFINIENDUM_ARTICLES = frozenset("o a os as um uma".split())


def _defined_before_its_definition(sentence: Sentence, first: int, last: int) -> bool:
    """Whether the term at first..last is what a definition opener defines and the definition
    follows it at once with its own article ("Denomina-se elasticidade rápida a capacidade de
    ..."): nothing in the sentence agrees with the term, so a term of the other gender fits as
    well ("Denomina-se serviço mensurado a capacidade de ...")."""
    after = last + 1
    if after >= len(sentence.tokens) or sentence.lowers[after] not in _DEFINIENDUM_ARTICLES:
        return False
    return _defined_term(sentence, first) and not any(w in _PRONOUNS for w in sentence.lowers[after:])


# "Compete à direção municipal do SUS ...", "Cabe à alta administração ...": the verb of competence
# opens the sentence and whoever holds the competence comes right after it.
_COMPETENCE_VERBS = frozenset("compete competem cabe cabem incumbe incumbem".split())
_COMPETENCE_ADVERBS = frozenset("privativamente exclusivamente originariamente".split())
_TO = frozenset("a à ao aos às".split())


def _competent_body(sentence: Sentence, first: int) -> bool:
    """Whether the term at token `first` is who holds a competence the sentence opens with
    ("Compete à direção municipal do SUS planejar ..."): what the sentence speaks of, though it
    follows the verb, so that another body of its group makes the item false."""
    lowers = sentence.lowers
    i = 0
    if not lowers or lowers[i] not in _COMPETENCE_VERBS:
        return False
    i += 1
    if i < len(lowers) and lowers[i] in _COMPETENCE_ADVERBS:
        i += 1
    return i < len(lowers) and lowers[i] in _TO and first == i + 1


def _predicate_phrase(sentence: Sentence, first: int, last: int, concept: Concept) -> bool:
    """A lower-case phrase after the main verb ("... é um protocolo da camada de enlace"): what the
    sentence predicates rather than what it speaks of. Such swaps are measured apart, as
    concept_swap_predicate, since a predicate more often fits another class too."""
    term = concept.term
    verb = sentence.main_verb
    end = sentence.tokens[last].end
    with_acronym = concept.acronym is not None and \
        re.match(rf"\s*\({re.escape(concept.acronym)}\)", sentence.text[end:]) is not None
    return " " in term and not (term[:1].isupper() or term.isupper() or any(ch.isdigit() for ch in term)) \
        and not with_acronym and (verb is None or last >= verb) and not _competent_body(sentence, first)


_FUNCTION_WORDS = frozenset("de do da dos das em no na o a os as e por para com".split())


def _differs_where_predicated(sentence: Sentence, old: Concept, new: Concept, *, regender: bool = False) -> bool:
    """Whether swapping `old` for `new` makes this sentence false rather than true or garbled.

    - Not what the old term is a kind of (`is_a` facts, followed up the chain): "referencia a
      chave primária" -> "a superchave" stays true, since a primary key is a superkey.
    - Same gender: adjectives and participles later in the sentence agree with the term ("a ação
      popular ... impetrada" would stay feminine), unless `regender` (see _regender_safe).
    - Not a synonym of the old term, nor of another term of the sentence ("garante a
      confidencialidade, mas não o sigilo").
    - For every facet the sentence speaks of (facets.tsv: "retroativos" -> effect), the two terms
      have different known values: "A anulação produz efeitos retroativos" -> "convalidação"
      stays true (both ex tunc). A `*` value is disputed and never differs; a `-` value says
      the facet does not apply to the term at all ("a vida útil de um patrimônio líquido" is a
      category error a candidate rejects unread), so nothing is swapped into it.
    - For every kind facet (kind_facets.txt) the sentence does not speak of, the two terms are of
      the same kind: "reduz a variância" -> "reduz a moda" is a category error.
    - No distinctive word of the new term is already in the sentence ("o estratégico precede o
      tático e o operacional" -> "o operacional precede o tático e o operacional").
    """
    lexicon = sentence.lexicon
    if (old.gender != new.gender and not regender) or _is_a(lexicon, old, new):
        return False
    if new.acronym and new.acronym.lower() in sentence.positions:
        return False  # "Tanto o sistema de detecção de intrusão quanto o IDS": the same thing twice
    synonyms = lexicon.synonyms_of(new.term)
    if old.key in synonyms or any(sentence.find(s) for s in synonyms if s != new.key):
        return False
    for facet in sentence.facets:
        mine, theirs = old.fact(facet), new.fact(facet)
        if theirs == "-":
            return False  # the facet does not apply to the new term: "vida útil de um patrimônio líquido"
        if mine is not None and theirs is not None and (mine == theirs or "*" in (mine, theirs)):
            return False
    for facet in lexicon.kind_facets.difference(sentence.facets):
        mine, theirs = old.fact(facet), new.fact(facet)
        if mine is not None and theirs is not None and mine != theirs:
            return False  # "reduz a variância" -> "reduz a moda": a predicate of one kind of thing
    distinctive = [w for w in new.key if w not in old.key and w not in _FUNCTION_WORDS]
    # ... nor a word of its family: "Ativo é a participação residual nos ativos", "a administração
    # patrimonialista buscou combater o patrimonialismo" refer to themselves.
    return not any(w in sentence.positions for w in distinctive) and \
        not _family_elsewhere(sentence, _own_words(new, lexicon))


def _lacks_a_predicated_property(sentence: Sentence, old: Concept, new: Concept) -> bool:
    """Whether, on a facet the sentence speaks of, both terms have a known, undisputed value and
    the values differ ("Ferramentas como Terraform ... automatizar o provisionamento" -> Grafana:
    iac=yes, iac=no): the new term cannot be one more member of the list the sentence opens."""
    for facet in sentence.facets:
        mine, theirs = old.fact(facet), new.fact(facet)
        if mine not in (None, "*", "-") and theirs not in (None, "*", "-") and mine != theirs:
            return True
    return False


_OPEN_MARKERS = (("entre", "outras"), ("entre", "outros"), ("dentre", "outras"), ("dentre", "outros"))


def _in_open_list(sentence: Sentence, first: int) -> bool:
    """Whether the term at token `first` is a member of an open enumeration: after "entre outras"
    or inside ", como A, B e C". Another member swapped in may belong to the list too."""
    if any(i < first for words in _OPEN_MARKERS for i in sentence.find(words)):
        return True
    start = sentence.tokens[first].start
    if any(m.start("items") <= start < m.end("items") for m in OPEN_LIST.finditer(sentence.text)):
        return True
    # "demonstrações financeiras como o balanço patrimonial, a DRE e ...": examples after "como"
    # with no comma before it, up to the end of the clause.
    for i in sentence.find(("como",)):
        if i < first and not any(sentence.tokens[j].text in (";", ":", ".") or sentence._any_verb(j)
                                 for j in range(i + 1, first)):
            end = next((j for j in range(first + 1, len(sentence.tokens))
                        if sentence.tokens[j].text in (";", ":", ".") or sentence._any_verb(j)), len(sentence.tokens))
            if any(sentence.lowers[j] in ("e", "ou", ",") for j in range(i + 1, end)):
                return True  # a list, not "atua como mediador"
    return False


# Words that may follow a term without agreeing with it: prepositions, conjunctions.
_LINKS = frozenset(
    "de do da dos das em no na nos nas e ou para por pelo pela com sem quem a ao à aos às até entre sobre".split())
_ADJUSTABLE = frozenset("o a do da no na ao à pelo pela um uma".split())
_PRONOUNS = frozenset("ele ela eles elas dele dela deles delas mesmo mesma próprio própria".split())
_PARTICIPLE = re.compile(r"(?:ad|id)[oa]s?$")


# A bare subject defined by a noun phrase ("Imposto é o tributo ...", "Empenho é o ato ...").
_DEFINING_COPULA = [[copula, article] for copula in ("é", "são") for article in ("o", "a", "os", "as", "um", "uma")]


def _regender_safe(sentence: Sentence, first: int, last: int) -> bool:
    """Whether the term at first..last may be swapped for a term of the other gender: only the
    article right before it would have to change ("o PPA" -> "a LOA"; _with_article does it).

    So: a bare subject defined by a noun phrase ("Imposto é o tributo ..."); after the main verb (a
    subject carries the agreement of its predicate: "a LOA é aprovada");
    followed by punctuation, a preposition or a conjunction, not by an adjective ("a LOA anual") nor,
    after a comma, by a participle ("a LOA, aprovada ..."); preceded by an article, a preposition or
    nothing ("sua LOA", "nova lei" would keep their gender); and no pronoun after it that could refer
    back to it ("... dela").
    """
    tokens, lowers, verb = sentence.tokens, sentence.lowers, sentence.main_verb
    if first == 0 and lowers[last + 1:last + 3] in _DEFINING_COPULA:
        return True  # "Imposto é o tributo cuja ...": what follows agrees with "o tributo", not the subject
    if verb is None or first <= verb:
        return False
    after = last + 1
    if after < len(tokens) and tokens[after].is_word and lowers[after] not in _LINKS:
        return False
    if after + 1 < len(tokens) and tokens[after].text == "," and _PARTICIPLE.search(lowers[after + 1]):
        return False
    before = first - 1
    if before >= 0 and tokens[before].is_word and lowers[before] not in _ADJUSTABLE | _LINKS:
        return False
    return not any(w in _PRONOUNS for w in lowers[after:])


def _is_a(lexicon, old: Concept, new: Concept) -> bool:  # noqa: ANN001
    """Whether `old` is a kind of `new`, by the `is_a` facts of the lexicon (transitively)."""
    seen, current = set(), old
    while current is not None and current.term.lower() not in seen:
        seen.add(current.term.lower())
        broader = current.fact("is_a")
        if broader is None:
            return False
        if broader.lower() == new.term.lower():
            return True
        current = lexicon.concept_in_group.get((old.group, broader.lower()))
    return False


def _own_words(concept: Concept, lexicon) -> list[str]:  # noqa: ANN001
    """The words of a term whose family no other term of its group shares ("sequência" of
    "diagrama de sequência"; not "diagrama")."""
    counts = lexicon.group_stems.get(concept.group, {})
    # A stem counted once in the group is this term's own (its words' stems count it once).
    return [w for w in concept.key if counts.get(w[:_STEM], 0) <= 1 and w not in _FUNCTION_WORDS]


_STEM = 5  # letters a word shares with its family ("imunidade", "imunes"; "patrimonialista", "-ismo")


def _family_elsewhere(sentence: Sentence, words: list[str], span: tuple[int, int] = (-1, -1),
                      before_only: bool = False) -> bool:
    """Whether a token outside `span` belongs to the family of one of `words`: it shares its first
    letters ("imunes" for "imunidade") or, for an acronym, starts with it ("DHCPDISCOVER"). With
    `before_only`, a shared stem counts only before the span (the term then refers back to it: "São
    imunes ..., alcançando essa imunidade"); an acronym's prefix counts anywhere."""
    for i, lower in enumerate(sentence.lowers):
        if span[0] <= i <= span[1] or not sentence.tokens[i].is_word:
            continue
        for word in words:
            if len(word) < 3:
                continue
            if sentence.tokens[i].text.isupper() and len(word) <= _STEM:  # "DHCPDISCOVER" for "DHCP"
                if lower != word and lower.startswith(word):
                    return True
            elif lower.startswith(word[:_STEM]) and not (before_only and i > span[1]):
                return True
    return False


def concept_swap(sentence: Sentence, rng: random.Random, context: Context) -> list[Candidate]:
    """Replace a term by one of another function (RSA where AES was); never of the same class."""
    out = []
    occurrences = _concept_occurrences(sentence)
    present = {c.term.lower() for _, _, c in occurrences}
    # "Diferentemente de X, Y ...": X is what Y is set against; another term there is usually just
    # as different from Y, and the item stays true. Only the claim's own terms are swapped.
    contrast_end = -1
    if sentence.is_contrasted:
        contrast_end = next((j for j, tok in enumerate(sentence.tokens) if tok.text == ","), -1)
    for first, last, concept in occurrences:
        if first < contrast_end:
            continue
        # A sentence relating two concepts of one group ("1FN ... 2FN", "DELETE ... TRUNCATE", "o
        # cabeçalho do UDP ..., ao passo que o do TCP ...") often stays true or turns into nonsense
        # when one of them is swapped: such swaps are measured apart, as concept_swap_paired.
        paired = any(c.group == concept.group and c.klass != concept.klass for _, _, c in occurrences)
        name = "concept_swap_paired" if paired else \
            "concept_swap_predicate" if _predicate_phrase(sentence, first, last, concept) else "concept_swap"
        if any(sentence.in_parens[first:last + 1]):
            continue
        head_only = False  # only the minimal-pair partner may be swapped in (_head_pair)
        if not _swappable(sentence, first, last, concept, context):
            if not _head_pair(sentence, first, last, concept):
                continue
            head_only = True
        if first > 0 and sentence.lowers[first - 1] in _ANAPHORIC:
            continue  # "alcançando essa imunidade": the term refers back to what the sentence said
        # "entre outras, a vigilância sanitária" -> "ambiental": another member of an open list
        # may belong to it too, and the item stays true; only a term that lacks the property the
        # sentence predicates of the members (a facet it speaks of) is swapped in there.
        open_list = _in_open_list(sentence, first)
        if open_list and not sentence.facets:
            continue
        regender = _regender_safe(sentence, first, last) or _defined_before_its_definition(sentence, first, last)
        options = [
            c for c in sentence.lexicon.concepts_by_group.get(concept.group, ())
            if c.klass != concept.klass and c.term.lower() not in present
            and (not head_only or _same_head(concept, c))
            and not term_in(sentence.text.lower(), c.term)
            and _differs_where_predicated(sentence, concept, c, regender=regender)
            and (not open_list or _lacks_a_predicated_property(sentence, concept, c))
        ]
        if first == 0 and regender and any(c.gender == concept.gender for c in options):
            # "Empenho é o ato ...": a term of the same gender changes less of the sentence
            options = [c for c in options if c.gender == concept.gender]
        if not options:
            continue
        pick = rng.randrange(len(options))
        other = options[pick]
        candidate = _swap(sentence, first, last, concept, other, name)
        if candidate is None:
            continue
        out.append(candidate)
        if name in ("concept_swap", "concept_swap_paired", "concept_swap_predicate"):
            # A spare: the next option of yet another class, taken in list order (no draw, so that
            # the draws of the other occurrences stay as they were). The engine keeps it only
            # where the sentence has fewer than two other variants.
            spare = next((o for o in options[pick + 1:] + options[:pick] if o.klass != other.klass), None)
            spare_candidate = _swap(sentence, first, last, concept, spare, name, spare=True) if spare else None
            if spare_candidate is not None:
                out.append(spare_candidate)
    return out + topic_subject_swap(sentence, rng, context)


def _swap(sentence: Sentence, first: int, last: int, concept: Concept, other: Concept, name: str, *,
          spare: bool = False) -> Candidate | None:
    """The candidate that puts `other` where `concept` is (tokens first..last), or None where the
    article before it cannot be kept in agreement."""
    start, prefix = _with_article(sentence, first, concept, other)
    if start < 0:
        return None
    end = sentence.tokens[last].end
    old_span = sentence.text[sentence.tokens[first].start:end]
    replacement = other.term
    # Move the acronym with its term: "entrega contínua (CD)" -> "integração contínua (CI)".
    acronym = re.match(r"\s*\(([^()]{1,12})\)", sentence.text[end:])
    if acronym and concept.acronym and acronym.group(1) == concept.acronym:
        end += acronym.end()
        old_span = sentence.text[sentence.tokens[first].start:end]
        if other.acronym:
            replacement = f"{other.term} ({other.acronym})"
    # Inside the sentence, a lower-case term keeps its case where an acronym was ("ataques DDoS"
    # -> "ataques sniffing", "SQL injection" -> "man-in-the-middle") and where it is one word, a
    # name ("Ansible" -> "scikit-learn"); a phrase put where a capitalized name was takes its
    # capital ("O Teorema Central do Limite" -> "O Teorema de Bayes").
    head = concept.term.split()[0]
    inside = first > 0 and sentence.tokens[first - 1].text not in (".", ":")
    keeps_case = inside and (any(ch.isupper() for ch in head[1:]) or " " not in other.term)
    shown = replacement if other.term[:1].isupper() or keeps_case else match_case(replacement, old_span)
    new = prefix + (shown if not prefix else replacement)
    return Candidate(
        name, CONTRADICTION, (Edit(start, end, new),),
        errado(contrast(sentence.text, sentence.tokens[first].start, end, replacement)
               + f" São conceitos de funções distintas: {concept.term} e {other.term}."),
        0.25,
        terms=frozenset(w for w in words_of(replacement)),
        size=2,
        spare=spare,
    )

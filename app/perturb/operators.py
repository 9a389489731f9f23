"""The operators: pure functions from a true sentence to candidate false variants.

Each takes (sentence, rng, context) and returns a list of Candidates, empty when it does not
apply. Word lists come from the lexicon (data files); the code holds only the grammar.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property

import simplemma

from app.perturb.lexicon import Concept, PhraseTable, words_of
from app.perturb.text import ARTICLE_BY_GENDER, CONTRACTION_DE, COPULAS, NEGATIONS, Edit, Sentence, match_case

CONTRADICTION, EXTRAPOLATION, REDUCTION = "contradição", "extrapolação", "redução"


@dataclass(frozen=True)
class Candidate:
    """A proposed false variant, before the engine's guards and ranking."""

    operator: str
    category: str
    edits: tuple[Edit, ...]
    explanation: str
    risk: float
    terms: frozenset[str] = field(default_factory=frozenset)  # new words that are terms, not dictionary words
    size: int | None = None  # edit size for ranking, when the edit span overstates it (a swap)


@dataclass(frozen=True)
class Context:
    """What the engine knows beyond the sentence: sentences of the same topic, for swaps."""

    topic_sentences: tuple[str, ...] = ()

    @cached_property
    def corpus(self) -> str:
        """The topic's text, lower-cased, for "is this term used in this topic?" checks."""
        return "\n".join(self.topic_sentences).lower()


def contrast(text: str, start: int, end: int, other: str) -> str:
    """"A automação reduz o tempo" + "aumenta" -> "A automação reduz, e não aumenta, o tempo"."""
    following = text[end:end + 1]
    tail = "" if following in (",", ".", ";", ":", "") else ","
    return f"{text[:end]}, e não {other}{tail}{text[end:]}"


def errado(body: str) -> str:
    body = body.strip()
    return f"ERRADO. {body[0].upper()}{body[1:]}"


def lower_first(text: str) -> str:
    """Lower-case the first letter unless the first word is a name or acronym ("MLOps", "Docker")."""
    first = text.split(" ", 1)[0]
    lower = first.lower()
    common = simplemma.is_known(lower, lang="pt") or lower.endswith(_COMMON_NOUN_ENDINGS)
    if first[1:] != first[1:].lower() or not common:
        return text
    return text[:1].lower() + text[1:]


_COMMON_NOUN_ENDINGS = ("ção", "ções", "são", "mento", "mentos", "dade", "dades", "ismo", "agem", "ência", "ância")


# --- phrase-table operators (antonyms, modality, extrapolation, quantifiers) -----------------


def _table_matches(sentence: Sentence, table: PhraseTable):
    """(first token, last token, rule) for each non-overlapping match, left to right."""
    i, lowers = 0, sentence.lowers
    while i < len(lowers):
        matched = None
        for rule in table.by_first.get(lowers[i], ()):
            n = len(rule.source)
            if tuple(lowers[i:i + n]) == rule.source:
                matched = (i, i + n - 1, rule)
                break
        if matched and not any(sentence.in_parens[matched[0]:matched[1] + 1]):
            yield matched
            i = matched[1] + 1
        else:
            i += 1


def _span(sentence: Sentence, first: int, last: int) -> tuple[int, int]:
    return sentence.tokens[first].start, sentence.tokens[last].end


_NO_BARE_INFINITIVE = frozenset({"impedir", "garantir"})


def _after_copula(sentence: Sentence, i: int) -> bool:
    previous = sentence.previous_word(i)
    return previous is not None and sentence.lowers[previous] in COPULAS


def _in_negative_phrase(sentence: Sentence, i: int) -> bool:
    return any(w in ("falta", "ausência", "carência", "sem") for w in sentence.lowers[max(0, i - 3):i])


def _in_one_of_phrase(sentence: Sentence, i: int) -> bool:
    lowers, verb = sentence.lowers, sentence.main_verb
    return len(lowers) > 2 and lowers[0] in ("um", "uma") and lowers[1] in ("dos", "das") and \
        verb is not None and i < verb


def _bare_infinitive_follows(sentence: Sentence, last: int, target: str) -> bool:
    """Whether the replacement verb would govern a bare infinitive it cannot take."""
    lemma = simplemma.lemmatize(words_of(target)[0], lang="pt")
    if lemma not in _NO_BARE_INFINITIVE or last + 1 >= len(sentence.tokens):
        return False
    following = sentence.lowers[last + 1]
    return following.endswith(("ar", "er", "ir", "or")) and simplemma.lemmatize(following, lang="pt") == following


def antonym(sentence: Sentence, rng: random.Random, context: Context) -> list[Candidate]:
    """Swap a word for its antonym in the same inflection: reduz -> aumenta, eficiente -> ineficiente."""
    out = []
    for first, last, rule in _table_matches(sentence, sentence.lexicon.antonyms):
        start, end = _span(sentence, first, last)
        if sentence.touches_protected(start, end) or sentence.inside_fixed(start, end):
            continue
        if rule.after_copula and not _after_copula(sentence, first):
            continue
        if _in_negative_phrase(sentence, first) or _in_one_of_phrase(sentence, first):
            continue  # "a falta de ferramentas inadequadas", "um dos princípios irrelevantes"
        if _bare_infinitive_follows(sentence, last, rule.target):
            continue  # "impede identificar": impedir needs "de" or "que"
        if sentence.find(words_of(rule.target)):
            continue  # "uma pública e outra privada": both sides already there
        old = sentence.text[start:end]
        new = match_case(rule.target, old)
        risk = 0.15 if sentence.is_verb(first) else 0.2
        if rule.source in (("mais",), ("menos",), ("antes",), ("depois",)):
            risk = 0.3
        out.append(Candidate(
            "antonym", CONTRADICTION, (Edit(start, end, new),),
            errado(contrast(sentence.text, start, end, rule.target)), risk,
        ))
    return out


def modality(sentence: Sentence, rng: random.Random, context: Context) -> list[Candidate]:
    """Possibility becomes obligation or certainty: pode -> deve obrigatoriamente, permite -> garante."""
    if sentence.has_absolute:
        return []
    out = []
    for first, last, rule in _table_matches(sentence, sentence.lexicon.modals):
        start, end = _span(sentence, first, last)
        if _bare_infinitive_follows(sentence, last, rule.target):
            continue  # "garante identificar"
        previous = sentence.previous_word(first)
        if previous is not None and sentence.lowers[previous] in NEGATIONS:
            continue  # "não pode revogá-los" -> "não deve obrigatoriamente revogá-los" would be true
        old = sentence.text[start:end]
        body = contrast(sentence.text, start, end, rule.target)
        out.append(Candidate(
            "modality", EXTRAPOLATION, (Edit(start, end, match_case(rule.target, old)),),
            errado(f"{body} Trata-se de possibilidade, e não de obrigação ou garantia."), 0.35,
        ))
    return out


def extrapolation(sentence: Sentence, rng: random.Random, context: Context) -> list[Candidate]:
    """A stronger claim than the truth: reduz -> elimina completamente, um dos -> o único, ...

    "exclusivamente" is not added to definitions: "X é exclusivamente uma abordagem ..." can stay true.
    """
    if sentence.has_absolute:
        return []
    out = []
    for first, last, rule in _table_matches(sentence, sentence.lexicon.extrapolations):
        start, end = _span(sentence, first, last)
        if sentence.touches_protected(start, end) or sentence.inside_fixed(start, end):
            continue
        following = sentence.next_word(last)
        if following == last + 1 and sentence.lowers[following].endswith("mente") and \
                rule.target.split()[-1].endswith("mente"):
            # "reduz significativamente" -> "elimina completamente", not "... completamente significativamente"
            end = sentence.tokens[following].end
        old = sentence.text[start:end]
        new = match_case(rule.target, old)
        never = _never_instead(sentence, start, last, rule.target)
        if never is not None:
            out.append(never)
            continue
        # "garante, por si só, a" before a comma would double it.
        text_after = sentence.text[end:end + 1]
        if new.endswith(",") and text_after == ",":
            new = new[:-1]
        out.append(Candidate(
            "extrapolation", EXTRAPOLATION, (Edit(start, end, new),),
            errado(f"{contrast(sentence.text, start, end, rule.target.rstrip(','))} "
                   "A assertiva extrapola o que é correto."),
            0.4,
        ))
    out += _one_of_to_the_only(sentence)
    if not sentence.is_definition:
        out += _exclusively_by(sentence)
    return out


def _never_instead(sentence: Sentence, start: int, last: int, target: str) -> Candidate | None:
    """ "X, em regra, não tem Y" -> "X nunca tem Y", not the stilted "X, sempre, não tem Y"."""
    following = sentence.next_word(last)
    if target != "sempre" or following is None or sentence.lowers[following] not in NEGATIONS:
        return None
    text, end = sentence.text, sentence.tokens[following].end
    before = text[:start].rstrip()
    if before.endswith(","):
        start, new = len(before) - 1, " nunca"  # the comma that opened the aside goes too
    else:
        new = match_case("nunca", text[start:end])
    return Candidate(
        "extrapolation", EXTRAPOLATION, (Edit(start, end, new),),
        errado(f"A regra admite exceções: {lower_first(text)} A assertiva extrapola o que é correto."),
        0.4,
    )


def _singular(word: str) -> str | None:
    """Singular of a plural noun or adjective, checked against the dictionary."""
    lower = word.lower()
    if not lower.endswith("s"):
        return None
    if simplemma.is_known(lower[:-1], lang="pt") and simplemma.lemmatize(lower[:-1], lang="pt") == \
            simplemma.lemmatize(lower, lang="pt"):
        return lower[:-1]
    lemma = simplemma.lemmatize(lower, lang="pt")
    return lemma if lemma != lower else None


def _one_of_to_the_only(sentence: Sentence) -> list[Candidate]:
    """"Um dos princípios fundamentais do X é Y" -> "O único princípio fundamental do X é Y"."""
    lowers = sentence.lowers
    if len(lowers) < 4 or lowers[0] not in ("um", "uma") or lowers[1] not in ("dos", "das"):
        return []
    gender = "m" if lowers[0] == "um" else "f"
    words, i = [], 2
    while i < len(lowers) and sentence.tokens[i].is_word and lowers[i].endswith("s") and len(words) < 3:
        singular = _singular(sentence.tokens[i].text)
        if singular is None:
            return []
        words.append(singular)
        i += 1
    if not words or sentence.main_verb is None or sentence.main_verb < i:
        return []
    start, end = sentence.tokens[0].start, sentence.tokens[i - 1].end
    only = "O único" if gender == "m" else "A única"
    new = f"{only} {' '.join(words)}"
    original = sentence.text[start:end]
    return [Candidate(
        "extrapolation", EXTRAPOLATION, (Edit(start, end, new),),
        errado(f"{sentence.text} A assertiva extrapola ao afirmar exclusividade: "
               f"“{original.lower()}” não significa “{new.lower()}”."),
        0.35,
    )]


def _exclusively_by(sentence: Sentence) -> list[Candidate]:
    """Insert "exclusivamente" before the agent or means after the main verb ("pelo uso de")."""
    verb = sentence.main_verb
    if verb is None:
        return []
    for i in range(verb + 1, len(sentence.tokens)):
        lower = sentence.lowers[i]
        following = tuple(sentence.lowers[i:i + 3])
        # "pelo uso de", "por meio de", "por uma equipe": a means or an agent among others. Not any
        # "pelo/pela X": "controlados pela entidade", "passa pelos estágios" can stay true.
        by_means = lower in ("pelo", "pela", "pelos", "pelas") and len(following) > 1 \
            and following[1] in sentence.lexicon.means
        means = by_means or following == ("por", "meio", "de") or following[:2] in (("por", "um"), ("por", "uma"))
        if means and not sentence.in_parens[i]:
            agent = i + 1 if lower.startswith("pel") else i + 2
            if agent < len(sentence.tokens) and (sentence.tokens[agent].text[:1].isupper()
                                                 or sentence.lowers[agent] in sentence.lexicon.institutions):
                return []  # "pelo Poder Legislativo", "pela administração": often the only one
            previous = sentence.previous_word(i)
            if previous is not None and sentence.lowers[previous].endswith("mente"):
                return []  # "unilateralmente exclusivamente": two adverbs in a row
            position = sentence.tokens[i].start
            if sentence.text[max(0, position - 2):position].strip() == ",":
                return []
            return [Candidate(
                "extrapolation", EXTRAPOLATION, (Edit(position, position, "exclusivamente "),),
                errado(f"{sentence.text} A assertiva extrapola ao restringir a um único meio "
                       "(“exclusivamente”)."),
                0.5,
            )]
    return []


def quantifiers(sentence: Sentence, rng: random.Random, context: Context) -> list[Candidate]:
    """todos <-> alguns, nenhum -> todo, "nem todos" -> "todos", a maioria -> a minoria."""
    out = []
    absolute = {w for phrase in sentence.lexicon.absolutes for w in phrase}
    for first, last, rule in _table_matches(sentence, sentence.lexicon.quantifiers):
        start, end = _span(sentence, first, last)
        if sentence.inside_fixed(start, end):
            continue
        old = sentence.text[start:end]
        target_words = set(words_of(rule.target))
        category = REDUCTION if "apenas" in target_words else (
            EXTRAPOLATION if target_words & absolute else CONTRADICTION)
        out.append(Candidate(
            "quantifiers", category, (Edit(start, end, match_case(rule.target, old)),),
            errado(contrast(sentence.text, start, end, rule.target)), 0.3,
        ))
    return out


# --- negation --------------------------------------------------------------------------------


_QUANTIFIED_SUBJECT = frozenset(
    "todo toda todos todas cada qualquer alguns algumas muitos muitas vários várias poucos poucas".split()
)


# Adverbs before the verb that "não" cannot follow without saying something else: "só não perderão",
# "ainda não é" (not yet), "já não é" (no longer).
_RESTRICTIVE = frozenset({"só", "somente", "apenas", "unicamente", "ainda", "já"})


def negation(sentence: Sentence, rng: random.Random, context: Context) -> list[Candidate]:
    """Insert "não" at the main verb, or remove it from a negated sentence; never stack two."""
    verb = sentence.main_verb
    if verb is None:
        return []
    tokens, text = sentence.tokens, sentence.text
    if sentence.negated:
        nao = max(j for j in range(max(0, verb - 2), verb) if sentence.lowers[j] == "não")
        start, end = tokens[nao].start, tokens[nao + 1].start
        new = ""
        if nao == 0 and sentence.lowers[1] == "se" and verb == 2:
            # "Não se admite a revogação" -> "Admite-se a revogação" (no proclisis at the start).
            new, end = f"{tokens[verb].text[:1].upper()}{tokens[verb].text[1:]}-se", tokens[verb].end
        elif nao == 0:
            nxt = tokens[nao + 1]
            new, end = match_case(nxt.text, "X"), nxt.end
        return [Candidate(
            "negation", CONTRADICTION, (Edit(start, end, new),),
            errado(f"A negação é essencial; o correto é: {lower_first(text)}"), 0.3,
        )]
    if sentence.has_negative_words:
        return []  # "sem", "nem", "nunca": an added "não" would be ambiguous or stacked
    # The subject opens the sentence or follows an opening phrase: "Todos os X", "Em X, todos os Y".
    commas = [j for j in range(verb) if tokens[j].text == ","]
    subject = commas[-1] + 1 if commas else 0
    if sentence.lowers[subject] in _QUANTIFIED_SUBJECT or \
            sentence.lowers[subject:subject + 2] in (["a", "maioria"], ["a", "minoria"]):
        return []  # "Todos os X não são" is ambiguous; "Alguns X não são" can stay true
    token = tokens[verb]
    previous = sentence.previous_word(verb)
    if previous is not None and sentence.lowers[previous] in _RESTRICTIVE:
        return []  # "só perderão" -> "só não perderão" / "não só perderão": neither negates the claim
    if token.lower.endswith("-se"):
        # Proclisis after the negation: "pode-se utilizar" -> "não se pode utilizar".
        base = token.text[:-3]
        new = f"não se {base.lower() if verb == 0 else base}"
        edit = Edit(token.start, token.end, match_case(new, token.text))
    elif previous is not None and sentence.lowers[previous] == "se":
        where = tokens[previous]
        edit = Edit(where.start, where.start, match_case("não ", where.text))
    elif verb == 0:
        edit = Edit(token.start, token.end, f"Não {token.text[0].lower()}{token.text[1:]}")
    else:
        edit = Edit(token.start, token.start, "não ")
    affirmed = f"{text[:token.end]}, sim,{text[token.end:]}" if text[token.end:token.end + 1] == " " else text
    return [Candidate(
        "negation", CONTRADICTION, (edit,),
        errado(f"A assertiva nega o que é correto: {lower_first(affirmed)}"), 0.3,
    )]


# --- list restriction ------------------------------------------------------------------------

_ITEM = r"[^,.;:()\s]+(?:\s+[^,.;:()\s]+){0,3}"
_OPEN_LIST = re.compile(
    rf",\s+(?P<intro>tais\s+como|como|por\s+exemplo|a\s+exemplo\s+de)\s+"
    rf"(?P<items>{_ITEM}(?:,\s+{_ITEM})*\s+e\s+{_ITEM})(?=\s*[,.;:]|$)",
    re.IGNORECASE,
)


def list_restriction(sentence: Sentence, rng: random.Random, context: Context) -> list[Candidate]:
    """An open list ("como A, B e C") becomes an exhaustive one ("quais sejam, A, B e C").

    Items are never dropped: a shorter open list would stay true.
    """
    out = []
    for match in _OPEN_LIST.finditer(sentence.text):
        start, end = match.start("intro"), match.end("intro")
        items = match.group("items")
        out.append(Candidate(
            "list_restriction", REDUCTION, (Edit(start, end, "quais sejam,"),),
            errado(f"{sentence.text} A enumeração introduzida por “{match.group('intro')}” é "
                   f"exemplificativa, e não taxativa: {items} são exemplos, não a lista completa."),
            0.3,
        ))
    return out


# --- concept swap ----------------------------------------------------------------------------


def _concept_occurrences(sentence: Sentence) -> list[tuple[int, int, Concept]]:
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
    return chosen


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


@cache
def _term_pattern(term: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(term.lower())}(?!\w)")


def _term_in(corpus: str, term: str) -> bool:
    return _term_pattern(term).search(corpus) is not None


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

    Names and acronyms (Docker, AES) always are. A lower-case phrase ("integração contínua") is
    swapped as the subject or beside its acronym; a common word ("controle") only where another
    term of its group appears in the sentence or topic.
    """
    term = concept.term
    if _part_of_a_longer_name(sentence, first, last):
        return False  # "DROP TABLE": "SELECT TABLE" would be nonsense, not a false statement
    if term[:1].isupper() or term.isupper() or any(ch.isdigit() for ch in term):
        return True
    if " " in term:
        end = sentence.tokens[last].end
        with_acronym = concept.acronym is not None and \
            re.match(rf"\s*\({re.escape(concept.acronym)}\)", sentence.text[end:]) is not None
        verb = sentence.main_verb
        return with_acronym or (verb is not None and last < verb)
    corpus = f"{sentence.text.lower()}\n{context.corpus}"
    return any(
        c.group == concept.group and c.term != term and _term_in(corpus, c.term)
        for c in sentence.lexicon.concepts
    )


def concept_swap(sentence: Sentence, rng: random.Random, context: Context) -> list[Candidate]:
    """Replace a term by one of another function (RSA where AES was); never of the same class."""
    out = []
    occurrences = _concept_occurrences(sentence)
    present = {c.term.lower() for _, _, c in occurrences}
    concepts = sentence.lexicon.concepts
    for first, last, concept in occurrences:
        if any(sentence.in_parens[first:last + 1]) or not _swappable(sentence, first, last, concept, context):
            continue
        options = [
            c for c in concepts
            if c.group == concept.group and c.klass != concept.klass and c.term.lower() not in present
            and not _term_in(sentence.text.lower(), c.term)
        ]
        if not options:
            continue
        other = options[rng.randrange(len(options))]
        start, prefix = _with_article(sentence, first, concept, other)
        if start < 0:
            continue
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
        shown = replacement if other.term[:1].isupper() else match_case(replacement, old_span)
        new = prefix + (shown if not prefix else replacement)
        out.append(Candidate(
            "concept_swap", CONTRADICTION, (Edit(start, end, new),),
            errado(contrast(sentence.text, sentence.tokens[first].start, end, replacement)
                   + f" São conceitos de funções distintas: {concept.term} e {other.term}."),
            0.25,
            terms=frozenset(w for w in words_of(replacement)),
            size=2,
        ))
    return out + _topic_subject_swap(sentence, rng, context)


_SUBJECT = re.compile(r"^(?P<article>[AO])\s+(?P<subject>[^,()]{3,80}?)\s+é\s+(?P<rest>.+)$")
_CATEGORY = re.compile(r"^(?:um|uma)\s+(\w+)")


def _subject_of(text: str) -> tuple[str, str, str] | None:
    """(article, subject, category) of "A X é um|uma <categoria> ..., <gerúndio>|para ..." sentences.

    Only such sentences are swapped: the clause after the category says what is specific to the
    subject, so another subject of the same category makes the sentence false.
    """
    match = _SUBJECT.match(text)
    if not match:
        return None
    rest = match.group("rest")
    category = _CATEGORY.match(rest)
    if category is None or not re.search(r",\s+\w+ndo\b|\s+para\s+", rest):
        return None
    subject = match.group("subject")
    if len(subject.split()) > 8 or re.search(r"\b(que|é|são|não)\b", subject):
        return None
    return match.group("article"), subject, category.group(1).lower()


def _clause_words(text: str) -> set[str]:
    """Content words of what a "X é um <categoria> ..." sentence says after its category."""
    match = _SUBJECT.match(text)
    rest = match.group("rest") if match else text
    return {w for w in words_of(rest)[2:] if len(w) > 3 and not w.endswith("ndo")}


def _topic_subject_swap(sentence: Sentence, rng: random.Random, context: Context) -> list[Candidate]:
    """Give the sentence the subject of another sentence of its topic with the same category."""
    mine = _subject_of(sentence.text)
    if mine is None:
        return []
    article, subject, category = mine
    others = []
    for other_text in context.topic_sentences:
        theirs = _subject_of(other_text)
        if theirs is None or theirs[2] != category or theirs[1].lower() == subject.lower():
            continue
        if _term_in(sentence.text.lower(), theirs[1]) or subject.lower() in theirs[1].lower():
            continue
        if all(theirs[:2] != o[:2] for o in others):
            others.append((*theirs, other_text))
    if not others:
        return []
    # The partner whose specific clause shares the fewest words with this one: the least related
    # subject, so that the swapped sentence is least likely to stay true.
    mine_words = _clause_words(sentence.text)
    overlap = [len(mine_words & _clause_words(o[3])) for o in others]
    fewest = min(overlap)
    pool = [o for o, n in zip(others, overlap, strict=True) if n == fewest]
    other_article, other_subject, _, _ = pool[rng.randrange(len(pool))]
    end = len(article) + 1 + len(subject)
    return [Candidate(
        "concept_swap", CONTRADICTION, (Edit(0, end, f"{other_article} {other_subject}"),),
        errado(contrast(sentence.text, 0, end, f"{other_article.lower()} {other_subject}")),
        0.4,
        terms=frozenset(words_of(other_subject)),
        size=2,
    )]


# --- relation inversion ----------------------------------------------------------------------

_NP_END = re.compile(r"[,.;:]|\s(?:que|onde|quando|e\s+(?:não|é|são))\b")


def relation_inversion(sentence: Sentence, rng: random.Random, context: Context) -> list[Candidate]:
    """Swap the arguments of a one-way relation: "a CD é uma extensão da CI" -> "a CI ... da CD"."""
    out = []
    text = sentence.text
    for relation in sentence.lexicon.relations:
        head = relation[:-1] if relation[-1] == "de" else relation
        for i in sentence.find(head):
            after = i + len(head)
            if relation[-1] == "de":
                if after >= len(sentence.tokens) or sentence.lowers[after] not in ("do", "da", "dos", "das"):
                    continue
                contraction_index = after
            else:
                if after >= len(sentence.tokens) or sentence.lowers[after] not in ("o", "a", "os", "as"):
                    continue
                contraction_index = after
            # Left argument: article at sentence start up to the relation.
            if sentence.lowers[0] not in ("o", "a", "os", "as"):
                continue
            left_start, left_end = sentence.tokens[1].start, sentence.tokens[i].start
            left = text[left_start:left_end].strip()
            if not left or "," in left:
                continue
            right_start = sentence.tokens[contraction_index].end + 1
            stop = _NP_END.search(text, right_start)
            right_end = stop.start() if stop else len(text)
            right = text[right_start:right_end].strip()
            if not right or len(right.split()) > 6:
                continue
            left_gender = "f" if sentence.lowers[0] in ("a", "as") else "m"
            right_gender = "f" if sentence.lowers[contraction_index].startswith(("da", "a")) else "m"
            link = sentence.tokens[contraction_index]
            rel_text = text[sentence.tokens[i].start:link.start]
            new_link = CONTRACTION_DE[left_gender] if relation[-1] == "de" else ARTICLE_BY_GENDER[left_gender]
            new = (
                f"{match_case(ARTICLE_BY_GENDER[right_gender], sentence.tokens[0].text)} {right} "
                f"{rel_text}{new_link} {left}"
            )
            edit = Edit(sentence.tokens[0].start, right_end, new)
            out.append(Candidate(
                "relation_inversion", CONTRADICTION, (edit,),
                errado(f"A relação foi invertida; o correto é: {lower_first(text)}"), 0.15,
                terms=frozenset(words_of(left) + words_of(right)),
                size=2,
            ))
    return out


# --- numbers ---------------------------------------------------------------------------------

_IDENTIFIER_BEFORE = re.compile(r"(?:art\.?|arts\.?|artigo|inciso|§|nº|n\.º|lei|item|iso|decreto|súmula|x)$", re.I)


def _in_compound_numeral(sentence: Sentence, i: int) -> bool:
    numbers, lowers = sentence.lexicon.numbers, sentence.lowers
    before = i >= 2 and lowers[i - 1] == "e" and lowers[i - 2] in numbers
    after = i + 2 < len(lowers) and lowers[i + 1] == "e" and lowers[i + 2] in numbers
    return before or after or (i + 1 < len(lowers) and lowers[i + 1] in ("mil", "milhões", "bilhões"))


_FEMININE_ENDINGS = ("ção", "ções", "são", "sões", "dade", "dades", "tude", "tudes", "agem", "agens")
_MASCULINE_IN_A = ("dia", "dias", "mapa", "mapas")


def _number_gender(sentence: Sentence, i: int, words_by_value: dict[int, list[str]]) -> str | None:
    """The gender a number word at token i must take: from its own form ("duas", "duzentos") or
    from the noun it counts ("quatro etapas" -> f); None when neither tells."""
    lower = sentence.lowers[i]
    for names in words_by_value.values():
        if len(names) > 1 and lower in names:
            return "f" if lower == names[1] else "m"
    if i + 1 >= len(sentence.tokens) or not sentence.tokens[i + 1].is_word:
        return None
    noun = sentence.lowers[i + 1]
    if noun.endswith(_FEMININE_ENDINGS) or noun in ("vez", "vezes"):
        return "f"
    if noun in _MASCULINE_IN_A or noun.endswith(("ma", "mas")):
        return "m" if noun in _MASCULINE_IN_A else None  # sistema (m), semana (f): unknown
    if noun.endswith(("a", "as")):
        return "f"
    if noun.endswith(("o", "os")):
        return "m"
    return None


def numbers(sentence: Sentence, rng: random.Random, context: Context) -> list[Candidate]:
    """Change a quantity, deadline or count ("cinco anos" -> "dez anos"); identifiers stay."""
    out = []
    words_by_value: dict[int, list[str]] = {}
    for word, value in sentence.lexicon.numbers.items():
        words_by_value.setdefault(value, []).append(word)
    for i, token in enumerate(sentence.tokens):
        lower = token.lower
        value = None
        if token.text.isdigit():
            value = int(token.text)
        elif lower in sentence.lexicon.numbers:
            value = sentence.lexicon.numbers[lower]
        if value is None or sentence.in_parens[i]:
            continue
        before = sentence.text[max(0, token.start - 12):token.start].rstrip()
        if _IDENTIFIER_BEFORE.search(before) or (i > 0 and sentence.tokens[i - 1].text.isupper()
                                                 and sentence.tokens[i - 1].is_word):
            continue
        if token.text.isdigit() and (1900 <= value <= 2100 or len(token.text) > 6):
            continue  # a year or a code
        following = sentence.text[token.end:token.end + 1]
        if following in ("-", "/", ".") and sentence.text[token.end + 1:token.end + 2].isalnum():
            continue
        if value < 2:
            continue  # "um"/"uma" is an article more often than a count
        if _in_compound_numeral(sentence, i):
            continue  # "cento e vinte": changing one word of it would garble the number
        choices = [v for v in (value * 2, value + value // 2 if value >= 4 else value + 1, max(2, value // 2))
                   if v != value and v >= 2]
        gender = None if token.text.isdigit() else _number_gender(sentence, i, words_by_value)
        if not token.text.isdigit() and gender is None:
            # "dois"/"duas" must agree with the counted noun: without its gender, avoid such numbers.
            choices = [v for v in choices if len(words_by_value.get(v, ())) < 2]
            if not choices:
                continue
        new_value = choices[rng.randrange(len(choices))]
        if token.text.isdigit():
            new = str(new_value)
        else:
            names = words_by_value.get(new_value)
            if not names:
                new = str(new_value)
            else:
                new = match_case(names[1] if gender == "f" and len(names) > 1 else names[0], token.text)
        out.append(Candidate(
            "numbers", CONTRADICTION, (Edit(token.start, token.end, new),),
            errado(contrast(sentence.text, token.start, token.end, new)), 0.2,
        ))
    return out


OPERATORS: Sequence[Callable[[Sentence, random.Random, Context], list[Candidate]]] = (
    antonym, relation_inversion, numbers, concept_swap, negation, quantifiers, list_restriction,
    modality, extrapolation,
)

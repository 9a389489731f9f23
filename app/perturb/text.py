"""Tokens with offsets, and the little sentence analysis the operators share (main verb, ...)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from app.perturb import dictionary
from app.perturb.lexicon import Lexicon
from app.search import fold

TOKEN = re.compile(r"\w+(?:[-'/.]\w+)*|[^\w\s]")
DETERMINERS = frozenset(
    "o a os as um uma uns umas do da dos das no na nos nas ao à aos às pelo pela pelos pelas "
    "de em este esta esse essa seu sua deste desta desse dessa neste nesta nesse nessa".split()
)
RELATIVES = frozenset("que quem onde quando qual quais cujo cuja cujos cujas como se caso".split())
NEGATIONS = frozenset({"não"})
ARTICLE_BY_GENDER = {"m": "o", "f": "a"}
CONTRACTION_DE = {"m": "do", "f": "da"}


# A sentence opened by one of these starts with a subordinate clause, up to its first comma.
_SUBORDINATORS = frozenset("quando se caso enquanto embora conforme ao".split())
# Words that open a relative clause, which holds the first verb after them.
_CLAUSE_OPENERS = frozenset("que quem onde cujo cuja cujos cujas quando caso enquanto".split())

# Words after which a "não" negates a clause, not a term: "e não contra o agente", "que não é".
_CLITICS = frozenset("se lhe lhes me te nos vos o a os as".split())
_CLAUSE_WORDS = frozenset("e ou mas que se quando porque pois já ainda também só isso onde como".split())

# A gerund, the verb of a clause that continues the claim (", sendo útil quando ...").
GERUND = re.compile(r"\w+ndo(?:-se)?$")

COPULAS = frozenset("é são ser seja sejam era eram foi foram será serão está estão estar torna-se tornam-se".split())


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < s_end and s_start < end or s_start < start == end < s_end for s_start, s_end in spans)


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int

    @cached_property
    def lower(self) -> str:
        return self.text.lower()

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum() or self.text[0] == "_"


@dataclass(frozen=True)
class Edit:
    """Replace original[start:end] with `new` (an insertion when start == end)."""

    start: int
    end: int
    new: str


def apply_edits(text: str, edits: tuple[Edit, ...]) -> str:
    """The text with non-overlapping edits applied."""
    out, pos = [], 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        out.append(text[pos:edit.start])
        out.append(edit.new)
        pos = edit.end
    out.append(text[pos:])
    return "".join(out)


def match_case(new: str, old: str) -> str:
    """`new` with the capitalisation of `old`'s first letter (sentence starts stay capitalised)."""
    if new and old[:1].isupper() and (len(old) == 1 or not old.isupper()):
        return new[0].upper() + new[1:]
    return new


_INDEXES: dict[int, tuple[tuple, dict[str, list[tuple[str, ...]]]]] = {}


def _first_word_index(phrases: tuple[tuple[str, ...], ...]) -> dict[str, list[tuple[str, ...]]]:
    """Phrases by their first word, built once per phrase table (the lexicon's tables live as long
    as the process): a sentence then looks up only the phrases that can start at one of its words."""
    cached = _INDEXES.get(id(phrases))
    if cached is not None and cached[0] is phrases:
        return cached[1]
    index: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        if phrase:
            index.setdefault(phrase[0], []).append(phrase)
    _INDEXES[id(phrases)] = (phrases, index)
    return index


# Words after "conforme" that make it name the source of a claim, as "segundo" does.
_SOURCES = frozenset("entendimento jurisprudência doutrina".split())


class Sentence:
    """An assertion as the operators see it: tokens, main verb, negation, parentheses."""

    def __init__(self, text: str, lexicon: Lexicon) -> None:
        self.text = text
        self.lexicon = lexicon
        self.tokens = [Token(m.group(), m.start(), m.end()) for m in TOKEN.finditer(text)]
        self.lowers = [t.lower for t in self.tokens]
        self.positions: dict[str, list[int]] = {}
        for i, lower in enumerate(self.lowers):
            self.positions.setdefault(lower, []).append(i)
        self.in_parens = self._parenthesised()
        self.protected = self._spans(lexicon.back_references)
        self.fixed = self._spans(lexicon.fixed_expressions) + self._named_by_acronym()
        self.main_verb_in_relative = False
        self.main_verb = self._main_verb()

    @cached_property
    def folded(self) -> str:
        return fold(self.text)

    def _parenthesised(self) -> list[bool]:
        depth, flags = 0, []
        for token in self.tokens:
            if token.text == "(":
                depth += 1
            flags.append(depth > 0)
            if token.text == ")" and depth:
                depth -= 1
        return flags

    def _spans(self, phrases: tuple[tuple[str, ...], ...]) -> list[tuple[int, int]]:
        spans = []
        index = _first_word_index(phrases)
        for word in self.positions.keys() & index.keys():
            for phrase in index[word]:
                for i in self.find(phrase):
                    spans.append((self.tokens[i].start, self.tokens[i + len(phrase) - 1].end))
        spans.sort()
        return spans

    def _named_by_acronym(self) -> list[tuple[int, int]]:
        """Spans of the words a parenthesised acronym names: "negação de serviço distribuído (DDoS)",
        "bloqueio em duas fases (2PL)". Editing them contradicts the acronym beside them."""
        spans = []
        for i, token in enumerate(self.tokens):
            if token.text != "(" or i + 2 >= len(self.tokens) or self.tokens[i + 2].text != ")":
                continue
            acronym = self.tokens[i + 1].text
            if not (2 <= len(acronym) <= 10 and any(c.isupper() for c in acronym[1:] + acronym[:1])
                    and acronym.replace("-", "").replace("/", "").isalnum()):
                continue
            first = i
            while first > 0 and self.tokens[first - 1].is_word and i - first < 6:
                first -= 1
            if first < i:
                spans.append((self.tokens[first].start, self.tokens[i - 1].end))
        return spans

    def find(self, words: tuple[str, ...], start: int = 0) -> list[int]:
        """Token indexes where the lower-cased word sequence `words` begins."""
        hits = self.positions.get(words[0])
        if not hits:  # the common case: operators ask for many phrases a sentence does not hold
            return []
        n = len(words)
        if n == 1:
            return [i for i in hits if i >= start]
        lowers = self.lowers
        return [i for i in hits if i >= start and tuple(lowers[i:i + n]) == words]

    def is_verb(self, i: int) -> bool:
        """Whether token i is a finite verb form of the lexicon (clitic "-se" allowed)."""
        lower = self.lowers[i]
        if lower.endswith("-se"):
            lower = lower[:-3]
        return lower in self.lexicon.verbs and not self.in_parens[i]

    def _looks_finite(self, i: int) -> bool:
        """A verb the lexicon lacks: 3rd-person ending and a verb lemma in the dictionary."""
        lower = self.lowers[i].removesuffix("-se")  # "aplica-se": the verb with its clitic
        if self.in_parens[i] or not lower.isalpha() or (i > 0 and self.tokens[i].text[:1].isupper()):
            return False
        if lower in DETERMINERS:
            return False  # "Uma VPN ...": simplemma reads "uma" as a form of "umar"
        if lower.endswith(("dora", "doras", "tora", "toras", "sora", "soras")):
            return False  # agent nouns and adjectives: "autoridade certificadora", "entidade gestora"
        if not lower.endswith(("a", "e", "am", "em", "ém", "z", "ai", "ui", "á", "ão", "ou", "iu", "eu")):
            return False  # "ai"/"ui": decai, constitui; "á"/"ão": the future; "ou"/"iu"/"eu": the preterite
        lemma = dictionary.lemmatize(lower)
        if lemma == lower or not lemma.endswith(("ar", "er", "ir", "or")):
            return False
        if lower.endswith(("á", "ão")) and lower not in (lemma + "á", lemma + "ão"):
            return False  # "ação", "irmão": only the future of the verb itself
        if lower == lemma[:-2] + ("ada" if lemma.endswith("ar") else "ida"):
            return False  # a participle used as an adjective: "salvo comprovada má-fé"
        return dictionary.is_known(lower)

    def _main_verb(self) -> int | None:
        """The first finite verb not opening a relative clause and not used as a noun.

        Verbs of the lexicon come first; a verb the lexicon lacks is preferred to a lexicon verb
        that only occurs in a relative clause ("A matriz RACI indica quem é responsável").
        """
        found, relative = self._scan(self.is_verb)
        if found is not None and not relative:
            return found
        other, other_relative = self._scan(self._looks_finite)
        if other is not None and not other_relative:
            return other
        self.main_verb_in_relative = found is not None or other is not None
        return found if found is not None else other

    def _scan(self, is_verb) -> tuple[int | None, bool]:  # noqa: ANN001
        """(the first verb outside a relative clause, False), else (the first inside one, True).

        A clause opened by "que"/"quem"/"onde"/"cujo" holds the first verb after it ("algo que o
        usuário possui"); a sentence opened by "Quando"/"Se"/"Caso"/... holds its first clause, up
        to the comma, in the subordinate ("Quando o servidor é investido em mandato, fica afastado").
        """
        fallback = None
        opening = self.lowers[0] if self.lowers else ""
        subordinate_end = -1
        if opening in _SUBORDINATORS:
            subordinate_end = next((j for j, tok in enumerate(self.tokens) if tok.text == ","), len(self.tokens))
        pending = False
        for i, token in enumerate(self.tokens):
            if self.lowers[i] in _CLAUSE_OPENERS:
                pending = True
                continue
            if pending and token.is_word and self._any_verb(i):
                pending = False
                if is_verb(i):
                    fallback = fallback if fallback is not None else i
                continue
            if not token.is_word or not is_verb(i):
                continue
            if i < subordinate_end:
                fallback = fallback if fallback is not None else i
                continue
            previous = self.previous_word(i)
            if previous is not None and self.lowers[previous] in NEGATIONS:
                previous = self.previous_word(previous)
            if previous is not None and self.lowers[previous] == "se":
                previous = self.previous_word(previous)
            prev_lower = self.lowers[previous] if previous is not None else ""
            if prev_lower in DETERMINERS and prev_lower not in ("a", "o"):
                continue  # "a ajuda", "do uso": a noun here
            if prev_lower in ("a", "o", "as", "os") and self.lowers[i] not in ("é", "são", "pode", "podem", "deve"):
                continue
            if prev_lower in RELATIVES:
                fallback = fallback if fallback is not None else i
                continue
            return i, False
        return fallback, fallback is not None

    def _any_verb(self, i: int) -> bool:
        """A finite verb, or an infinitive ("que alterar o processo"), by either test."""
        if self.is_verb(i) or self._looks_finite(i):
            return True
        lower = self.lowers[i]
        return len(lower) > 3 and lower.endswith(("ar", "er", "ir")) and lower.isalpha() \
            and dictionary.lemmatize(lower) == lower

    def previous_word(self, i: int) -> int | None:
        j = i - 1
        while j >= 0 and not self.tokens[j].is_word:
            if self.tokens[j].text in ",;:(":
                return None
            j -= 1
        return j if j >= 0 else None

    def next_word(self, i: int) -> int | None:
        """The word after token i, across commas; None at other punctuation or the end."""
        j = i + 1
        while j < len(self.tokens) and not self.tokens[j].is_word:
            if self.tokens[j].text != ",":
                return None
            j += 1
        return j if j < len(self.tokens) else None

    def touches_protected(self, start: int, end: int) -> bool:
        """Whether a span overlaps a back-reference marker, which must stay as it is."""
        return _overlaps(start, end, self.protected)

    def inside_fixed(self, start: int, end: int) -> bool:
        """Whether a span overlaps a fixed expression or a concept term ("tempo real")."""
        return _overlaps(start, end, self.fixed)

    @cached_property
    def negated(self) -> bool:
        """Whether the main verb is negated ("não é", "não se pode")."""
        verb = self.main_verb
        if verb is None:
            return False
        window = self.lowers[max(0, verb - 2):verb]
        return "não" in window

    @cached_property
    def is_justified(self) -> bool:
        """Whether another clause justifies or concedes the claim ("pois", "embora", ...)."""
        return any(self.find(words) for words in self.lexicon.justifications)

    @cached_property
    def has_exception(self) -> bool:
        """Whether the claim carries an exception or a condition ("salvo", "desde que", ...).
        "conforme" names a condition ("varia conforme a maturidade") but not where it names the
        source of the claim, like "segundo" ("conforme a LRF", "Conforme entendimento do STF")."""
        return any(i not in self._attributions for words in self.lexicon.exceptions for i in self.find(words))

    @cached_property
    def _attributions(self) -> frozenset[int]:
        """Tokens of "conforme" that open the source of the claim: a name (a law, a court, the
        Constitution) or "entendimento", "jurisprudência", "doutrina", with an article or not."""
        found = set()
        for i in self.find(("conforme",)):
            j = i + 1 + (self.lowers[i + 1:i + 2] in (["o"], ["a"], ["os"], ["as"]))
            if j < len(self.tokens) and self.tokens[j].is_word and (
                    self.tokens[j].text[:1].isupper() or self.lowers[j] in _SOURCES):
                found.add(i)
        return frozenset(found)

    @cached_property
    def is_contrasted(self) -> bool:
        """Whether the claim is set against another thing ("Diferentemente do TCP, ...")."""
        return any(self.find(words) for words in self.lexicon.contrasts)

    @property
    def has_connective(self) -> bool:
        """The claim is tied to another clause: justified, excepted or contrasted."""
        return self.is_justified or self.has_exception or self.is_contrasted

    def after_purpose(self, i: int) -> bool:
        """Whether token i is within two words after a purpose phrase ("destinada a proteger")."""
        for words in self.lexicon.purposes:
            for j in self.find(words):
                end = j + len(words)
                if end <= i <= end + 1:
                    return True
        return False

    def preceded_by(self, i: int, phrases: tuple[tuple[str, ...], ...]) -> bool:
        """Whether one of the phrases ends right before token i."""
        return any(i >= len(p) and tuple(self.lowers[i - len(p):i]) == p for p in phrases)

    @cached_property
    def has_negative_words(self) -> bool:
        """Whether a negative word other than a term's own "não" is present ("nunca", "nem", "sem",
        "não" before a verb); "técnica não supervisionada", "atributos não chave" do not count."""
        for i, lower in enumerate(self.lowers):
            if lower in ("nunca", "jamais", "nenhum", "nenhuma", "nem", "sem", "tampouco", "ninguém", "nada"):
                return True
            if lower == "não" and not self._lexical_negation(i):
                return True
        return False

    def _lexical_negation(self, i: int) -> bool:
        """Whether the "não" at token i belongs to a term: between a noun or adjective and the word
        it negates ("aprendizado não supervisionado", "dependência não trivial")."""
        if i == 0 or i + 1 >= len(self.tokens) or not self.tokens[i + 1].is_word:
            return False
        previous = self.tokens[i - 1]
        if not previous.is_word or previous.lower in _CLAUSE_WORDS or self.is_verb(i - 1):
            return False
        following = self.lowers[i + 1]
        if following in _CLITICS:
            return False  # "O IPI não se sujeita": a pronoun before the verb, so a verb's negation
        return following not in self.lexicon.verbs and not following.endswith("-se")

    @cached_property
    def facets(self) -> tuple[str, ...]:
        """The facets of concepts (facets.tsv) the sentence predicates: "retroativos" -> effect."""
        index = self.lexicon.facets_by_first_word
        found = {facet for word in self.positions.keys() & index.keys() for facet, cue in index[word]
                 if self.find(cue)}
        return tuple(facet for facet in self.lexicon.facets if facet in found)

    @cached_property
    def has_absolute(self) -> bool:
        return any(self.find(words) for words in self.lexicon.absolutes)

    @cached_property
    def is_definition(self) -> bool:
        """Whether the main verb opens a definition ("é um", "consiste em", ...)."""
        verb = self.main_verb
        if verb is None:
            return False
        return any(tuple(self.lowers[verb:verb + len(d)]) == d for d in self.lexicon.definitions)

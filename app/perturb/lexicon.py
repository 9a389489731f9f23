"""The engine's word lists, loaded from data files that authors can extend (perturb/data/)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from pathlib import Path

from app.perturb import dictionary
from app.search import fold


def _strip(lines: Iterable[str]) -> list[str]:
    out = []
    for line in lines:
        line = line.split("#", 1)[0].rstrip()
        if line.strip():
            out.append(line)
    return out


def _package_lines(name: str) -> list[str]:
    """Non-blank, non-comment lines of perturb/data/<name>, in file order."""
    text = resources.files("app.perturb").joinpath("data", name).read_text(encoding="utf-8")
    return _strip(text.splitlines())


def words_of(phrase: str) -> tuple[str, ...]:
    """Lower-cased word sequence of a phrase, the key phrase tables are matched on."""
    return tuple(w.lower() for w in re.findall(r"\w+(?:[-'/.]\w+)*", phrase))


_CLITICS = frozenset("se lo la los las lhe lhes me te nos vos o a os as".split())


@dataclass(frozen=True)
class Rule:
    """One aligned replacement: the words to find and the text to put in their place."""

    source: tuple[str, ...]
    target: str
    after_copula: bool = False


class PhraseTable:
    """Word-sequence replacements, longest match first, looked up by the first word."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        self.by_first: dict[str, list[Rule]] = {}
        for rule in rules:
            bucket = self.by_first.setdefault(rule.source[0], [])
            if all(r.source != rule.source for r in bucket):
                bucket.append(rule)
        for bucket in self.by_first.values():
            bucket.sort(key=lambda r: -len(r.source))

    def __len__(self) -> int:
        return sum(len(b) for b in self.by_first.values())

    def rules(self) -> list[Rule]:
        """Every rule, in a stable order."""
        return [r for key in sorted(self.by_first) for r in self.by_first[key]]

    @staticmethod
    def parse(lines: Sequence[str], *, both_ways: bool, name: str, words: bool = False) -> list[Rule]:
        """Rules from "left forms | right forms" lines whose forms align one to one.

        Forms are separated by ';'. In word tables (`words=True`, the antonyms) a line without
        ';' lists one-word forms separated by spaces.
        """
        rules: list[Rule] = []
        for number, line in enumerate(lines, start=1):
            after_copula = line.startswith("[after-copula]")
            line = line.removeprefix("[after-copula]").strip()
            one_way = "|" not in line and ">" in line
            if "|" not in line and not one_way:
                raise ValueError(f"{name}: line {number} has no '|' (or '>'): {line!r}")
            left, right = (side.strip() for side in line.split(">" if one_way else "|", 1))
            if ";" in line or not words:
                left_forms = [f.strip() for f in left.split(";")]
                right_forms = [f.strip() for f in right.split(";")]
            else:
                left_forms, right_forms = left.split(), right.split()
            if len(left_forms) != len(right_forms):
                raise ValueError(
                    f"{name}: {len(left_forms)} forms on the left and {len(right_forms)} on the right: {line!r}"
                )
            for a, b in zip(left_forms, right_forms, strict=True):
                rules.append(Rule(words_of(a), b, after_copula))
                if both_ways and not one_way:
                    rules.append(Rule(words_of(b), a, after_copula))
        return rules


@dataclass(frozen=True)
class Concept:
    group: str
    klass: str
    term: str
    gender: str
    acronym: str | None
    facts: tuple[tuple[str, str], ...] = ()

    def fact(self, facet: str) -> str | None:
        """The value of one facet of this concept, None when unknown."""
        return dict(self.facts).get(facet)

    @cached_property
    def key(self) -> tuple[str, ...]:
        """The term's lower-cased words, as sentences are matched."""
        return words_of(self.term)


@dataclass
class Lexicon:
    """Everything the operators look words up in; `extend` merges a topic's own files."""

    antonyms: PhraseTable
    extrapolations: PhraseTable
    modals: PhraseTable
    quantifiers: PhraseTable
    absolutes: frozenset[tuple[str, ...]]
    relations: tuple[tuple[str, ...], ...]
    definitions: tuple[tuple[str, ...], ...]
    numbers: dict[str, int]
    verbs: frozenset[str]
    concepts: tuple[Concept, ...]
    back_references: tuple[tuple[str, ...], ...]
    fixed_expressions: tuple[tuple[str, ...], ...]
    dictionary_additions: frozenset[str]
    means: frozenset[str]
    institutions: frozenset[str]
    justifications: tuple[tuple[str, ...], ...] = ()
    exceptions: tuple[tuple[str, ...], ...] = ()
    contrasts: tuple[tuple[str, ...], ...] = ()
    purposes: tuple[tuple[str, ...], ...] = ()
    hedges: tuple[tuple[str, ...], ...] = ()
    bounds: tuple[tuple[str, ...], ...] = ()
    upper_bounds: tuple[tuple[str, ...], ...] = ()
    hedge_contraries: dict[tuple[str, ...], tuple[str, str | None]] = field(default_factory=dict)
    fractions: frozenset[str] = field(default_factory=frozenset)
    facets: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    synonyms: dict[tuple[str, ...], frozenset[tuple[str, ...]]] = field(default_factory=dict)
    terms: frozenset[str] = field(default_factory=frozenset)
    # Connective reversals (one data file each): phrase -> replacement(s).
    likeness: dict[tuple[str, ...], str] = field(default_factory=dict)
    concessions: dict[tuple[str, ...], tuple[str, str]] = field(default_factory=dict)
    exception_denials: dict[tuple[str, ...], tuple[str, str, str, str]] = field(default_factory=dict)
    correlatives: tuple[tuple[str, str], ...] = ()
    comparatives: dict[str, str] = field(default_factory=dict)
    duty_waivers: dict[str, str] = field(default_factory=dict)
    kind_facets: frozenset[str] = field(default_factory=frozenset)
    role_contrasts: tuple[tuple[str, ...], ...] = ()
    order_markers: tuple[tuple[str, ...], ...] = ()
    sequence_reversals: tuple[tuple[tuple[str, ...], str], ...] = ()
    restrictions: frozenset[str] = field(default_factory=frozenset)
    # value -> (masculine, feminine) number word the engine writes ("dois", "duas").
    number_forms: dict[int, tuple[str, str]] = field(default_factory=dict)
    lower_bounds: tuple[tuple[str, ...], ...] = ()
    quantity_relations: tuple[tuple[str, ...], ...] = ()
    binary_units: frozenset[str] = field(default_factory=frozenset)
    domain_floors: tuple[tuple[str, ...], ...] = ()
    definition_openers: tuple[tuple[str, ...], ...] = ()
    # pairs of words two things of one sentence may exchange (exchange_pairs.txt), with the antonyms
    exchange_pairs: PhraseTable = field(default_factory=lambda: PhraseTable(()))
    # head nouns too common to fix the sense of a phrase (generic_heads.txt)
    generic_heads: frozenset[str] = field(default_factory=frozenset)
    # concept group -> words that show a sentence speaks of that group's things (group_anchors.tsv)
    group_anchors: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)

    @classmethod
    def from_lines(cls, read) -> Lexicon:  # noqa: ANN001
        """Build from a reader: name -> lines (the package's data, or a folder's)."""
        numbers: dict[str, int] = {}
        number_forms: dict[int, tuple[str, str]] = {}
        for line in read("numbers.txt"):
            words, value = (s.strip() for s in line.split("|"))
            forms = words.lower().split()
            number_forms.setdefault(int(value), (forms[0], forms[-1]))
            for word in forms:
                numbers[word] = int(value)
        concepts = []
        for line in read("concepts.tsv"):
            parts = [p.strip() for p in line.split("\t")]
            group, klass, term, gender = parts[:4]
            acronym = parts[4] if len(parts) > 4 and parts[4] else None
            if gender not in ("m", "f"):
                raise ValueError(f"concepts.tsv: gender must be m or f: {line!r}")
            facts = []
            for pair in (parts[5].split(";") if len(parts) > 5 and parts[5] else ()):
                facet, _, value = pair.partition("=")
                if not value:
                    raise ValueError(f"concepts.tsv: facts are facet=value pairs: {line!r}")
                facts.append((facet.strip(), value.strip()))
            concepts.append(Concept(group, klass, term, gender, acronym, tuple(facts)))
        facets: dict[str, tuple[tuple[str, ...], ...]] = {}
        for line in read("facets.tsv"):
            facet, _, cues = line.partition("\t")
            facets[facet.strip()] = tuple(words_of(c) for c in cues.split(";") if c.strip())
        hedge_contraries: dict[tuple[str, ...], tuple[str, str | None]] = {}
        for line in read("hedge_contraries.tsv"):
            hedge, between, inside = (part.strip() for part in line.split("\t"))
            hedge_contraries[words_of(hedge)] = (between, None if inside == "-" else inside)
        synonyms: dict[tuple[str, ...], frozenset[tuple[str, ...]]] = {}
        for line in read("synonyms.txt"):
            group = frozenset(words_of(s) for s in line.split(";") if s.strip())
            for key in group:
                synonyms[key] = synonyms.get(key, frozenset()) | group
        def columns(name: str, n: int) -> list[list[str]]:
            rows = []
            for line in read(name):
                parts = [part.strip() for part in line.split("\t")]
                if len(parts) != n or not all(parts):
                    raise ValueError(f"{name}: {n} tab-separated columns expected: {line!r}")
                rows.append(parts)
            return rows

        return cls(
            likeness={words_of(a): b for a, b in columns("likeness.tsv", 2)},
            concessions={words_of(a): (b, c) for a, b, c in columns("concessions.tsv", 3)},
            exception_denials={words_of(a): (b, c, d, e) for a, b, c, d, e in columns("exception_denials.tsv", 5)},
            correlatives=tuple((a.lower(), b.lower()) for a, b in columns("correlatives.tsv", 2)),
            comparatives={a.lower(): b for a, b in columns("comparatives.tsv", 2)},
            duty_waivers={a.lower(): b for a, b in columns("duty_waivers.tsv", 2)},
            kind_facets=frozenset(line.strip() for line in read("kind_facets.txt")),
            role_contrasts=tuple(sorted((words_of(line) for line in read("role_contrasts.txt")),
                                        key=len, reverse=True)),
            order_markers=tuple(words_of(line) for line in read("order_markers.txt")),
            restrictions=frozenset(line.strip().lower() for line in read("restrictions.txt")),
            sequence_reversals=tuple(sorted(((words_of(a), b) for a, b in columns("sequence_reversals.tsv", 2)),
                                            key=lambda pair: -len(pair[0]))),
            antonyms=PhraseTable(
                PhraseTable.parse(read("antonyms.txt"), both_ways=True, name="antonyms.txt", words=True)
            ),
            extrapolations=PhraseTable(
                PhraseTable.parse(read("extrapolations.txt"), both_ways=False, name="extrapolations.txt")
            ),
            modals=PhraseTable(PhraseTable.parse(read("modals.txt"), both_ways=False, name="modals.txt")),
            quantifiers=PhraseTable(
                PhraseTable.parse(read("quantifiers.txt"), both_ways=False, name="quantifiers.txt")
            ),
            absolutes=frozenset(words_of(line) for line in read("absolutes.txt")),
            relations=tuple(words_of(line) for line in read("relations.txt")),
            definitions=tuple(words_of(line) for line in read("definitions.txt")),
            numbers=numbers,
            number_forms=number_forms,
            verbs=frozenset(line.strip().lower() for line in read("verbs.txt")),
            concepts=tuple(concepts),
            back_references=tuple(words_of(line) for line in read("back_references.txt")),
            fixed_expressions=tuple(words_of(line) for line in read("fixed_expressions.txt"))
            + tuple(c.key for c in concepts),
            dictionary_additions=frozenset(line.strip().lower() for line in read("dictionary_additions.txt")),
            means=frozenset(line.strip().lower() for line in read("means.txt")),
            institutions=frozenset(line.strip().lower() for line in read("institutions.txt")),
            justifications=tuple(words_of(line) for line in read("justifications.txt")),
            exceptions=tuple(words_of(line) for line in read("exceptions.txt")),
            contrasts=tuple(words_of(line) for line in read("contrasts.txt")),
            purposes=tuple(words_of(line) for line in read("purposes.txt")),
            hedges=tuple(words_of(line) for line in read("hedges.txt")),
            bounds=tuple(words_of(line) for line in read("bounds.txt")),
            upper_bounds=tuple(words_of(line) for line in read("upper_bounds.txt")),
            lower_bounds=tuple(words_of(line) for line in read("lower_bounds.txt")),
            quantity_relations=tuple(words_of(line) for line in read("quantity_relations.txt")),
            binary_units=frozenset(line.strip().lower() for line in read("binary_units.txt")),
            domain_floors=tuple(words_of(line) for line in read("domain_floors.txt")),
            definition_openers=tuple(sorted((words_of(line) for line in read("definition_openers.txt")),
                                            key=len, reverse=True)),
            hedge_contraries=hedge_contraries,
            exchange_pairs=PhraseTable(
                PhraseTable.parse(read("exchange_pairs.txt"), both_ways=True, name="exchange_pairs.txt", words=True)
            ),
            generic_heads=frozenset(line.strip().lower() for line in read("generic_heads.txt")),
            group_anchors={group: tuple(words_of(w) for w in words.split(";") if w.strip())
                           for group, words in columns("group_anchors.tsv", 2)},
            fractions=frozenset(line.strip().lower() for line in read("fractions.txt")),
            facets=facets,
            synonyms=synonyms,
            terms=frozenset(
                [w for c in concepts for w in words_of(c.term)] + [c.acronym.lower() for c in concepts if c.acronym]
            ),
        )

    @cached_property
    def facets_by_first_word(self) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
        """(facet, cue) pairs indexed by the cue's first word, so that a sentence looks up only the
        cues whose first word it contains."""
        index: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        for facet, cues in self.facets.items():
            for cue in cues:
                if cue:
                    index.setdefault(cue[0], []).append((facet, cue))
        return index

    @cached_property
    def pair_openers(self) -> frozenset[str]:
        """First words of the antonym and exchange pairs, for a quick "could a pair be here?"."""
        return frozenset(self.antonyms.by_first) | frozenset(self.exchange_pairs.by_first)

    @cached_property
    def concepts_by_group(self) -> dict[str, tuple[Concept, ...]]:
        """Concepts of each group, in file order."""
        groups: dict[str, list[Concept]] = {}
        for concept in self.concepts:
            groups.setdefault(concept.group, []).append(concept)
        return {group: tuple(members) for group, members in groups.items()}

    @cached_property
    def concept_in_group(self) -> dict[tuple[str, str], Concept]:
        """(group, lower-cased term) -> concept: what an `is_a` fact names."""
        return {(c.group, c.term.lower()): c for c in self.concepts}

    @cached_property
    def group_stems(self) -> dict[str, dict[str, int]]:
        """group -> stem -> how many of the group's terms have a word with that stem (its first
        five letters): a stem counted once belongs to one term only."""
        out: dict[str, dict[str, int]] = {}
        for group, members in self.concepts_by_group.items():
            counts: dict[str, int] = {}
            for concept in members:
                for stem in {w[:5] for w in concept.key}:
                    counts[stem] = counts.get(stem, 0) + 1
            out[group] = counts
        return out

    @cached_property
    def concepts_by_first_word(self) -> dict[str, list[Concept]]:
        """Concepts indexed by the first word of their term."""
        index: dict[str, list[Concept]] = {}
        for concept in self.concepts:
            index.setdefault(concept.key[0], []).append(concept)
        return index

    def extend(self, folder: Path) -> Lexicon:
        """A copy with the data files found in `folder` added to this lexicon's."""

        def read(name: str) -> list[str]:
            mine = _package_lines(name)
            extra = folder / name
            if extra.is_file():
                mine = mine + _strip(extra.read_text(encoding="utf-8").splitlines())
            return mine

        extended = Lexicon.from_lines(read)
        return extended

    def synonyms_of(self, phrase: str) -> frozenset[tuple[str, ...]]:
        """The word sequences of every synonym of `phrase` (itself included), from synonyms.txt."""
        key = words_of(phrase)
        return self.synonyms.get(key, frozenset({key}))

    def is_word(self, word: str) -> bool:
        """Whether `word` is a valid pt-BR form: in simplemma's Portuguese dictionary, in
        dictionary_additions.txt, a number word of numbers.txt, or a term of concepts.tsv (names
        such as Kubernetes)."""
        lower = word.lower()
        if lower in self.dictionary_additions or lower in self.terms or lower in self.numbers:
            return True
        base, _, clitic = lower.rpartition("-")
        if base and clitic in _CLITICS:
            return dictionary.is_known(base)  # "admite-se", "resolvê-los"
        return dictionary.is_known(lower)


@cache
def default_lexicon() -> Lexicon:
    """The lexicon shipped in perturb/data/."""
    return Lexicon.from_lines(_package_lines)


@cache
def back_reference_pattern() -> re.Pattern[str]:
    """Regex over folded text matching any back-reference marker ("anteriormente", ...)."""
    markers = sorted({fold(m) for m in _package_lines("back_references.txt")}, key=lambda m: (-len(m), m))
    alternation = "|".join(re.escape(m).replace(r"\ ", r"\s+") for m in markers)
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)")


def refers_back(text: str) -> bool:
    """Whether `text` points at the item before it ("o desafio mencionado anteriormente")."""
    return back_reference_pattern().search(fold(text)) is not None

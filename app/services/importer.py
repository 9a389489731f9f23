"""Seed documents: decoding and parsing into topics, subtopics and items (writing them: bank_import.py)."""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from app.errors import Invalid
from app.models import TEXT_MAX_CHARS, TITLE_MAX_CHARS
from app.perturb.lexicon import refers_back
from app.search import fold

LINE_MAX_CHARS = 2000
MAX_ERRORS = 50
SUPPORTED_ENCODINGS = {"utf-8": "utf-8", "cp1252": "cp1252"}

_HEADER = re.compile(r"^pergunta\s+original\s*:\s*(?P<rest>.*)$")
_HEADER_REST = re.compile(r"^(?P<code>\d+(?:\.\d+)*)\.?\s+(?P<title>\S.*)$")
_SUBTOPIC = re.compile(r"^(?P<number>\d{1,6})\s*[.)]?\s*subtopicos?\s*:?$")
_ASSERTIVAS = re.compile(r"^assertivas?\s*:?$")
_NUMBERED = re.compile(r"^(?P<number>\d{1,6})\s*[.)]\s+(?P<text>\S.*)$")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class LineError:
    """One problem in a document, at a 1-based line number."""

    line: int
    message: str


class DocumentError(Invalid):
    """A seed document was rejected, naming each bad line; nothing was written."""

    title = "Invalid document"

    def __init__(self, name: str, line_errors: Sequence[LineError]) -> None:
        self.name = name
        self.line_errors = list(line_errors)
        first = self.line_errors[0]
        detail = f"{name}:{first.line}: {first.message}"
        if len(self.line_errors) > 1:
            detail += f" (and {len(self.line_errors) - 1} more)"
        super().__init__(
            detail,
            errors=[{"document": name, "line": e.line, "message": e.message} for e in self.line_errors],
        )


@dataclass
class ParsedItem:
    number: int
    text: str
    line: int
    depends_on: int | None = None


@dataclass
class ParsedSubtopic:
    number: int
    title: str
    line: int
    items: list[ParsedItem] = field(default_factory=list)


@dataclass
class ParsedTopic:
    code: str
    title: str
    line: int
    subtopics: list[ParsedSubtopic] = field(default_factory=list)


@dataclass
class SeedDocument:
    """A parsed, valid seed document."""

    name: str
    topics: list[ParsedTopic]
    warnings: list[LineError] = field(default_factory=list)

    @property
    def item_count(self) -> int:
        """Number of assertions in the document."""
        return sum(len(s.items) for t in self.topics for s in t.subtopics)


# ---------------------------------------------------------------------------------------------
# Decoding


def normalize_encoding(name: str | None) -> str:
    """Canonical codec name for a declared charset; only UTF-8 and Windows-1252 are accepted."""
    if not name:
        return "utf-8"
    try:
        canonical = codecs.lookup(name.strip().strip('"')).name
    except LookupError:
        canonical = ""
    if canonical not in SUPPORTED_ENCODINGS:
        raise ValueError(f"unsupported encoding {name!r}: use utf-8 or windows-1252")
    return SUPPORTED_ENCODINGS[canonical]


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode_document(data: bytes, *, name: str, encoding: str | None = None) -> str:
    """Bytes to text: UTF-8 (BOM optional) unless Windows-1252 is declared; binary is refused."""
    codec = normalize_encoding(encoding)
    nul = data.find(b"\x00")
    if nul >= 0:
        raise DocumentError(name, [LineError(
            _line_of(data, nul),
            "binary data (a NUL byte): expected a plain-text seed document in UTF-8",
        )])
    if codec == "utf-8":
        if data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8):]
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = _line_of(data, exc.start)
            column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
            raise DocumentError(name, [LineError(
                line,
                f"invalid UTF-8 (byte 0x{data[exc.start]:02x} at column {column}); if the "
                "document is Windows-1252, declare it (charset=windows-1252 on the request, "
                "--encoding cp1252 on the command line)",
            )]) from None
    else:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as exc:
            raise DocumentError(name, [LineError(
                _line_of(data, exc.start),
                f"byte 0x{data[exc.start]:02x} is not a Windows-1252 character",
            )]) from None
    control = _CONTROL.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        raise DocumentError(name, [LineError(
            line,
            f"binary data (control character U+{ord(control.group()):04X}): "
            "expected a plain-text seed document",
        )])
    return unicodedata.normalize("NFC", text)


# ---------------------------------------------------------------------------------------------
# Parsing


def _clean(text: str) -> str:
    """Collapse runs of whitespace (NBSP included) to one space and trim."""
    return " ".join(text.split())


def _clean_title(text: str) -> str:
    """Tidy a title: "MLOps- implantação" -> "MLOps - implantação"; hyphenated words stay."""
    text = re.sub(r"(?<=\w)-(?=\s)", " -", text)
    text = re.sub(r"(?<=\s)-(?=\w)", "- ", text)
    return _clean(text)


class _Parser:
    """Line-by-line state machine over the seed format (README, section The seed format)."""

    def __init__(self, name: str, *, title_max: int, text_max: int) -> None:
        self.name = name
        self.title_max = title_max
        self.text_max = text_max
        self.topics: list[ParsedTopic] = []
        self.line_errors: list[LineError] = []
        self.warnings: list[LineError] = []
        self.state = "start"
        self.topic: ParsedTopic | None = None
        self.sub: ParsedSubtopic | None = None
        self.item_lines: dict[int, int] = {}

    def error(self, line: int, message: str) -> None:
        self.line_errors.append(LineError(line, message))

    def fatal(self, line: int, message: str) -> DocumentError:
        self.error(line, message)
        return DocumentError(self.name, self.line_errors)

    def parse(self, text: str) -> SeedDocument:
        lines = _LINE_BREAK.split(text)
        if not text.strip():
            raise self.fatal(1, "the document is empty: expected 'Pergunta Original: <code> <title>'")
        for number, raw in enumerate(lines, start=1):
            if len(raw) > LINE_MAX_CHARS:
                raise self.fatal(
                    number,
                    f"line is too long ({len(raw)} characters; at most {LINE_MAX_CHARS})",
                )
            line = _clean(raw)
            if line:
                self.feed(number, line)
            if len(self.line_errors) >= MAX_ERRORS:
                break
        self.close_topic()
        if self.line_errors:
            raise DocumentError(self.name, self.line_errors)
        return SeedDocument(self.name, self.topics, self.warnings)

    def feed(self, number: int, line: str) -> None:
        folded = fold(line)
        header = _HEADER.match(folded)
        if header:
            self.close_topic()
            self.start_topic(number, line)
            return
        if self.state == "start":
            raise self.fatal(
                number, f"expected the header 'Pergunta Original: <code> <title>', found {line[:60]!r}"
            )
        subtopic = _SUBTOPIC.match(folded)
        if subtopic:
            self.close_subtopic()
            self.start_subtopic(number, int(subtopic["number"]))
            return
        if self.state == "topic":
            what = "a numbered item" if _NUMBERED.match(line) else f"{line[:60]!r}"
            raise self.fatal(
                number, f"{what} before any subtopic: expected '<n>. Subtópico:'"
            )
        assert self.sub is not None
        if self.state == "subtopic_title":
            self.read_subtopic_title(number, line, folded)
            return
        if _ASSERTIVAS.match(folded):
            if self.state == "items":
                raise self.fatal(number, f"a second 'Assertivas:' in subtopic {self.sub.number}")
            self.state = "items"
            return
        if self.state == "need_assertivas":
            raise self.fatal(
                number,
                f"subtopic {self.sub.number} (line {self.sub.line}) has no 'Assertivas:' line "
                "before its items",
            )
        self.read_item(number, line)

    def start_topic(self, number: int, line: str) -> None:
        rest = line.split(":", 1)[1].strip()
        match = _HEADER_REST.match(rest)
        if not match:
            raise self.fatal(
                number, "the header needs a topic code and a title, e.g. 'Pergunta Original: 9.3 MLOps'"
            )
        code, title = match["code"], _clean_title(match["title"])
        if len(title) > self.title_max:
            self.error(number, f"topic title is too long ({len(title)} characters; at most {self.title_max})")
        for earlier in self.topics:
            if earlier.code == code:
                self.error(number, f"topic {code} appears twice (first at line {earlier.line})")
        self.topic = ParsedTopic(code=code, title=title, line=number)
        self.topics.append(self.topic)
        self.state = "topic"

    def start_subtopic(self, number: int, sub_number: int) -> None:
        assert self.topic is not None
        if sub_number < 1:
            self.error(number, "subtopic numbers start at 1")
        for earlier in self.topic.subtopics:
            if earlier.number == sub_number:
                self.error(
                    number,
                    f"subtopic {sub_number} appears twice in topic {self.topic.code} "
                    f"(first at line {earlier.line})",
                )
        self.sub = ParsedSubtopic(number=sub_number, title="", line=number)
        self.topic.subtopics.append(self.sub)
        self.item_lines = {}
        self.state = "subtopic_title"

    def read_subtopic_title(self, number: int, line: str, folded: str) -> None:
        assert self.sub is not None
        if _ASSERTIVAS.match(folded):
            raise self.fatal(number, f"subtopic {self.sub.number} has no title line before 'Assertivas:'")
        numbered = _NUMBERED.match(line)
        title = line
        if numbered:
            if int(numbered["number"]) != self.sub.number:
                self.error(
                    number,
                    f"the title of subtopic {self.sub.number} is numbered {numbered['number']}",
                )
            title = numbered["text"]
        title = _clean_title(title)
        if len(title) > self.title_max:
            self.error(number, f"subtopic title is too long ({len(title)} characters; at most {self.title_max})")
        self.sub.title = title
        self.state = "need_assertivas"

    def read_item(self, number: int, line: str) -> None:
        assert self.sub is not None
        numbered = _NUMBERED.match(line)
        if not numbered:
            if not self.sub.items:
                raise self.fatal(number, f"expected a numbered item ('1. ...'), found {line[:60]!r}")
            # An unnumbered line continues the item above it (a wrapped paragraph).
            item = self.sub.items[-1]
            item.text = f"{item.text} {line}"
            self.check_length(number, item)
            return
        item_number = int(numbered["number"])
        if item_number < 1:
            self.error(number, "item numbers start at 1")
        elif item_number in self.item_lines:
            self.error(
                number,
                f"duplicate item number {item_number} in subtopic {self.sub.number} "
                f"(first at line {self.item_lines[item_number]})",
            )
        self.item_lines.setdefault(item_number, number)
        item = ParsedItem(number=item_number, text=numbered["text"], line=number)
        self.check_length(number, item)
        self.sub.items.append(item)

    def check_length(self, number: int, item: ParsedItem) -> None:
        if len(item.text) > self.text_max:
            self.error(
                number,
                f"item {item.number} is too long ({len(item.text)} characters; at most {self.text_max})",
            )

    def close_subtopic(self) -> None:
        sub = self.sub
        if sub is None:
            return
        if self.state == "subtopic_title":
            self.error(sub.line, f"subtopic {sub.number} has no title")
        elif self.state == "need_assertivas":
            self.error(sub.line, f"subtopic {sub.number} has no 'Assertivas:' line and no items")
        elif not sub.items:
            self.error(sub.line, f"subtopic {sub.number} has no items")
        self.link_back_references(sub)
        self.sub = None

    def close_topic(self) -> None:
        self.close_subtopic()
        if self.topic is not None and not self.topic.subtopics:
            self.error(self.topic.line, f"topic {self.topic.code} has no subtopics")
        self.topic = None

    def link_back_references(self, sub: ParsedSubtopic) -> None:
        for previous, item in zip([None, *sub.items], sub.items, strict=False):
            if not refers_back(item.text):
                continue
            if previous is None:
                self.warnings.append(LineError(
                    item.line, f"item {item.number} refers to an earlier item but opens its subtopic",
                ))
            else:
                item.depends_on = previous.number


def parse_seed(
    data: bytes | str,
    *,
    name: str,
    encoding: str | None = None,
    title_max: int = TITLE_MAX_CHARS,
    text_max: int = TEXT_MAX_CHARS,
) -> SeedDocument:
    """Decode and parse a seed document; raise DocumentError naming every bad line."""
    text = data if isinstance(data, str) else decode_document(data, name=name, encoding=encoding)
    return _Parser(name, title_max=title_max, text_max=text_max).parse(text)

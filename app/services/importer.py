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
from app.services.import_messages import message

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
    """One problem in a document, at a 1-based line number; `message` in English, `message_pt` in
    Brazilian Portuguese (what the author workbench shows)."""

    line: int
    message: str
    message_pt: str = ""


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
        raise DocumentError(name, [LineError(_line_of(data, nul), *message("nul_byte"))])
    if codec == "utf-8":
        if data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8):]
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = _line_of(data, exc.start)
            column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
            raise DocumentError(name, [LineError(
                line, *message("invalid_utf8", byte=f"{data[exc.start]:02x}", column=column),
            )]) from None
    else:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as exc:
            raise DocumentError(name, [LineError(
                _line_of(data, exc.start), *message("invalid_cp1252", byte=f"{data[exc.start]:02x}"),
            )]) from None
    control = _CONTROL.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        raise DocumentError(name, [LineError(
            line, *message("control_character", codepoint=f"{ord(control.group()):04X}"),
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

    def error(self, at: int, code: str, /, **params: object) -> None:
        self.line_errors.append(LineError(at, *message(code, **params)))

    def fatal(self, at: int, code: str, /, **params: object) -> DocumentError:
        self.error(at, code, **params)
        return DocumentError(self.name, self.line_errors)

    def parse(self, text: str) -> SeedDocument:
        lines = _LINE_BREAK.split(text)
        if not text.strip():
            raise self.fatal(1, "empty")
        for number, raw in enumerate(lines, start=1):
            if len(raw) > LINE_MAX_CHARS:
                raise self.fatal(number, "line_too_long", length=len(raw), limit=LINE_MAX_CHARS)
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
            raise self.fatal(number, "expected_header", found=repr(line[:60]))
        subtopic = _SUBTOPIC.match(folded)
        if subtopic:
            self.close_subtopic()
            self.start_subtopic(number, int(subtopic["number"]))
            return
        if self.state == "topic":
            if _NUMBERED.match(line):
                raise self.fatal(number, "item_before_subtopic")
            raise self.fatal(number, "line_before_subtopic", found=repr(line[:60]))
        assert self.sub is not None
        if self.state == "subtopic_title":
            self.read_subtopic_title(number, line, folded)
            return
        if _ASSERTIVAS.match(folded):
            if self.state == "items":
                raise self.fatal(number, "second_assertivas", subtopic=self.sub.number)
            self.state = "items"
            return
        if self.state == "need_assertivas":
            raise self.fatal(number, "items_before_assertivas", subtopic=self.sub.number, line=self.sub.line)
        self.read_item(number, line)

    def start_topic(self, number: int, line: str) -> None:
        rest = line.split(":", 1)[1].strip()
        match = _HEADER_REST.match(rest)
        if not match:
            raise self.fatal(number, "header_incomplete")
        code, title = match["code"], _clean_title(match["title"])
        if len(title) > self.title_max:
            self.error(number, "topic_title_too_long", length=len(title), limit=self.title_max)
        for earlier in self.topics:
            if earlier.code == code:
                self.error(number, "topic_twice", code=code, line=earlier.line)
        self.topic = ParsedTopic(code=code, title=title, line=number)
        self.topics.append(self.topic)
        self.state = "topic"

    def start_subtopic(self, number: int, sub_number: int) -> None:
        assert self.topic is not None
        if sub_number < 1:
            self.error(number, "subtopic_number_zero")
        for earlier in self.topic.subtopics:
            if earlier.number == sub_number:
                self.error(number, "subtopic_twice", subtopic=sub_number, code=self.topic.code, line=earlier.line)
        self.sub = ParsedSubtopic(number=sub_number, title="", line=number)
        self.topic.subtopics.append(self.sub)
        self.item_lines = {}
        self.state = "subtopic_title"

    def read_subtopic_title(self, number: int, line: str, folded: str) -> None:
        assert self.sub is not None
        if _ASSERTIVAS.match(folded):
            raise self.fatal(number, "subtopic_without_title_line", subtopic=self.sub.number)
        numbered = _NUMBERED.match(line)
        title = line
        if numbered:
            if int(numbered["number"]) != self.sub.number:
                self.error(number, "subtopic_title_numbered", subtopic=self.sub.number, number=numbered["number"])
            title = numbered["text"]
        title = _clean_title(title)
        if len(title) > self.title_max:
            self.error(number, "subtopic_title_too_long", length=len(title), limit=self.title_max)
        self.sub.title = title
        self.state = "need_assertivas"

    def read_item(self, number: int, line: str) -> None:
        assert self.sub is not None
        numbered = _NUMBERED.match(line)
        if not numbered:
            if not self.sub.items:
                raise self.fatal(number, "expected_item", found=repr(line[:60]))
            # An unnumbered line continues the item above it (a wrapped paragraph).
            item = self.sub.items[-1]
            item.text = f"{item.text} {line}"
            self.check_length(number, item)
            return
        item_number = int(numbered["number"])
        if item_number < 1:
            self.error(number, "item_number_zero")
        elif item_number in self.item_lines:
            self.error(number, "item_twice", item=item_number, subtopic=self.sub.number,
                       line=self.item_lines[item_number])
        self.item_lines.setdefault(item_number, number)
        item = ParsedItem(number=item_number, text=numbered["text"], line=number)
        self.check_length(number, item)
        self.sub.items.append(item)

    def check_length(self, number: int, item: ParsedItem) -> None:
        if len(item.text) > self.text_max:
            self.error(number, "item_too_long", item=item.number, length=len(item.text), limit=self.text_max)

    def close_subtopic(self) -> None:
        sub = self.sub
        if sub is None:
            return
        if self.state == "subtopic_title":
            self.error(sub.line, "subtopic_without_title", subtopic=sub.number)
        elif self.state == "need_assertivas":
            self.error(sub.line, "subtopic_without_assertivas", subtopic=sub.number)
        elif not sub.items:
            self.error(sub.line, "subtopic_without_items", subtopic=sub.number)
        self.link_back_references(sub)
        self.sub = None

    def close_topic(self) -> None:
        self.close_subtopic()
        if self.topic is not None and not self.topic.subtopics:
            self.error(self.topic.line, "topic_without_subtopics", code=self.topic.code)
        self.topic = None

    def link_back_references(self, sub: ParsedSubtopic) -> None:
        for previous, item in zip([None, *sub.items], sub.items, strict=False):
            if not refers_back(item.text):
                continue
            if previous is None:
                self.warnings.append(LineError(item.line, *message("back_reference_opens_subtopic", item=item.number)))
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

"""What the seed importer says about a bad line, in English (the API, the command line) and in
Brazilian Portuguese (the author workbench), keyed by code. Parameters are filled by name."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "nul_byte": (
        "binary data (a NUL byte): expected a plain-text seed document in UTF-8",
        "dados binários (um byte NUL): era esperado um documento-semente em texto simples, em UTF-8",
    ),
    "invalid_utf8": (
        "invalid UTF-8 (byte 0x{byte} at column {column}); if the document is Windows-1252, declare it "
        "(charset=windows-1252 on the request, --encoding cp1252 on the command line)",
        "UTF-8 inválido (byte 0x{byte} na coluna {column}); se o documento estiver em Windows-1252, "
        "escolha essa codificação ao enviá-lo",
    ),
    "invalid_cp1252": (
        "byte 0x{byte} is not a Windows-1252 character",
        "o byte 0x{byte} não é um caractere Windows-1252",
    ),
    "control_character": (
        "binary data (control character U+{codepoint}): expected a plain-text seed document",
        "dados binários (caractere de controle U+{codepoint}): era esperado um documento-semente em texto simples",
    ),
    "empty": (
        "the document is empty: expected 'Pergunta Original: <code> <title>'",
        "o documento está vazio: era esperado 'Pergunta Original: <código> <título>'",
    ),
    "line_too_long": (
        "line is too long ({length} characters; at most {limit})",
        "linha longa demais ({length} caracteres; no máximo {limit})",
    ),
    "expected_header": (
        "expected the header 'Pergunta Original: <code> <title>', found {found}",
        "era esperado o cabeçalho 'Pergunta Original: <código> <título>'; encontrado: {found}",
    ),
    "item_before_subtopic": (
        "a numbered item before any subtopic: expected '<n>. Subtópico:'",
        "um item numerado antes de qualquer subtópico: era esperado '<n>. Subtópico:'",
    ),
    "line_before_subtopic": (
        "{found} before any subtopic: expected '<n>. Subtópico:'",
        "{found} antes de qualquer subtópico: era esperado '<n>. Subtópico:'",
    ),
    "second_assertivas": (
        "a second 'Assertivas:' in subtopic {subtopic}",
        "um segundo 'Assertivas:' no subtópico {subtopic}",
    ),
    "items_before_assertivas": (
        "subtopic {subtopic} (line {line}) has no 'Assertivas:' line before its items",
        "o subtópico {subtopic} (linha {line}) não tem a linha 'Assertivas:' antes dos itens",
    ),
    "header_incomplete": (
        "the header needs a topic code and a title, e.g. 'Pergunta Original: 9.3 MLOps'",
        "o cabeçalho precisa de um código de tópico e de um título, por exemplo 'Pergunta Original: 9.3 MLOps'",
    ),
    "topic_title_too_long": (
        "topic title is too long ({length} characters; at most {limit})",
        "título do tópico longo demais ({length} caracteres; no máximo {limit})",
    ),
    "topic_twice": (
        "topic {code} appears twice (first at line {line})",
        "o tópico {code} aparece duas vezes (a primeira na linha {line})",
    ),
    "subtopic_number_zero": (
        "subtopic numbers start at 1",
        "a numeração dos subtópicos começa em 1",
    ),
    "subtopic_twice": (
        "subtopic {subtopic} appears twice in topic {code} (first at line {line})",
        "o subtópico {subtopic} aparece duas vezes no tópico {code} (a primeira na linha {line})",
    ),
    "subtopic_without_title_line": (
        "subtopic {subtopic} has no title line before 'Assertivas:'",
        "o subtópico {subtopic} não tem linha de título antes de 'Assertivas:'",
    ),
    "subtopic_title_numbered": (
        "the title of subtopic {subtopic} is numbered {number}",
        "o título do subtópico {subtopic} está numerado como {number}",
    ),
    "subtopic_title_too_long": (
        "subtopic title is too long ({length} characters; at most {limit})",
        "título do subtópico longo demais ({length} caracteres; no máximo {limit})",
    ),
    "expected_item": (
        "expected a numbered item ('1. ...'), found {found}",
        "era esperado um item numerado ('1. ...'); encontrado: {found}",
    ),
    "item_number_zero": (
        "item numbers start at 1",
        "a numeração dos itens começa em 1",
    ),
    "item_twice": (
        "duplicate item number {item} in subtopic {subtopic} (first at line {line})",
        "número de item repetido, {item}, no subtópico {subtopic} (o primeiro na linha {line})",
    ),
    "item_too_long": (
        "item {item} is too long ({length} characters; at most {limit})",
        "o item {item} é longo demais ({length} caracteres; no máximo {limit})",
    ),
    "subtopic_without_title": (
        "subtopic {subtopic} has no title",
        "o subtópico {subtopic} não tem título",
    ),
    "subtopic_without_assertivas": (
        "subtopic {subtopic} has no 'Assertivas:' line and no items",
        "o subtópico {subtopic} não tem a linha 'Assertivas:' nem itens",
    ),
    "subtopic_without_items": (
        "subtopic {subtopic} has no items",
        "o subtópico {subtopic} não tem itens",
    ),
    "topic_without_subtopics": (
        "topic {code} has no subtopics",
        "o tópico {code} não tem subtópicos",
    ),
    "back_reference_opens_subtopic": (
        "item {item} refers to an earlier item but opens its subtopic",
        "o item {item} remete a um item anterior, mas é o primeiro do subtópico",
    ),
}


def message(code: str, /, **params: object) -> tuple[str, str]:
    """The English and the Portuguese text of one problem."""
    english, portuguese = MESSAGES[code]
    return english.format(**params), portuguese.format(**params)

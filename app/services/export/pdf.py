"""The printed caderno as PDF (ReportLab): cover, two-column items, answer sheet, key pages.

Items flow through platypus frames (two columns, each item kept whole); the answer sheet is
drawn on the canvas at fixed positions (`bubble_positions`), so that a later step can read
scanned sheets. Fonts are DejaVu Serif, embedded (Bitstream Vera licence, see fonts/).
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from app.services.export import hyphenation
from app.services.export.document import (
    AUDIT_INTRO,
    AUDIT_TITLE,
    KEY_COMMENTED,
    KEY_NONE,
    SHEET_COLUMNS,
    SHEET_PER_PAGE,
    SHEET_ROWS,
    ExamDocument,
)
from app.services.export.sheet import (  # noqa: F401 (BubblePair, bubble_positions: this module's API)
    BUBBLE_C_DX,
    BUBBLE_E_DX,
    BUBBLE_R,
    CANDIDATE_BOX_BOTTOM,
    CANDIDATE_BOX_H,
    CANDIDATE_COLUMN_W,
    CANDIDATE_R,
    CODE_LEFT,
    CODE_SIZE,
    CODE_TOP,
    FIDUCIAL,
    FIDUCIAL_INSET,
    SHEET_COLUMN_W,
    SHEET_LEFT,
    SHEET_TOP,
    BubblePair,
    bubble_positions,
    candidate_positions,
    sheet_pages,
)
from app.services.scan import sheet_code

FONT, FONT_BOLD = "QbankSerif", "QbankSerif-Bold"
PAGE_W, PAGE_H = A4
MARGIN = 15 * mm
GUTTER = 8 * mm

@cache
def _register_fonts() -> None:
    folder = Path(__file__).resolve().parent / "fonts"
    pdfmetrics.registerFont(TTFont(FONT, str(folder / "DejaVuSerif.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(folder / "DejaVuSerif-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


@cache
def _styles() -> dict[str, ParagraphStyle]:
    base = dict(fontName=FONT, hyphenationLang=hyphenation.pt_br(), embeddedHyphenation=1, uriWasteReduce=0.3)
    return {
        "title": ParagraphStyle("title", fontName=FONT_BOLD, fontSize=20, leading=25, alignment=TA_CENTER,
                                spaceAfter=8 * mm),
        "subtitle": ParagraphStyle("subtitle", fontName=FONT, fontSize=12, leading=16, alignment=TA_CENTER),
        "box": ParagraphStyle("box", fontSize=10, leading=13.5, alignment=TA_JUSTIFY, spaceAfter=2 * mm, **base),
        "heading": ParagraphStyle("heading", fontName=FONT_BOLD, fontSize=9.5, leading=12.5, alignment=TA_LEFT,
                                  spaceBefore=3 * mm, spaceAfter=2 * mm, keepWithNext=1,
                                  hyphenationLang=hyphenation.pt_br()),
        "item": ParagraphStyle("item", fontSize=9.5, leading=12.5, alignment=TA_JUSTIFY, spaceAfter=2.2 * mm,
                               **base),
        "key": ParagraphStyle("key", fontSize=9, leading=12, alignment=TA_JUSTIFY, spaceAfter=2 * mm, **base),
        "key_title": ParagraphStyle("key_title", fontName=FONT_BOLD, fontSize=13, leading=17, spaceAfter=4 * mm),
    }


def _text(value: str) -> str:
    """Plain text made safe for ReportLab's paragraph markup."""
    return escape(value)


class _FooterCanvas(pdfcanvas.Canvas):
    """Buffers pages so that every page can say "n/m" once m is known."""

    footer_left = ""

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        # ReportLab starts every page in Helvetica, a font it references without embedding: start in ours.
        kwargs["initialFontName"] = kwargs.get("initialFontName") or FONT
        super().__init__(*args, **kwargs)
        self._states: list[dict] = []

    def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
        self._states.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._states)
        for number, state in enumerate(self._states, start=1):
            self.__dict__.update(state)
            self.setFont(FONT, 8)
            self.setFillColor(colors.HexColor("#444444"))
            self.drawString(MARGIN, 9 * mm, self.footer_left)
            self.drawRightString(PAGE_W - MARGIN, 9 * mm, f"Página {number}/{total}")
            super().showPage()
        super().save()


class _AnswerSheet(Flowable):
    """One page of the folha de respostas, drawn at the fixed bubble positions."""

    def __init__(self, document: ExamDocument, page: int, pages: int) -> None:
        super().__init__()
        self.document = document
        self.page = page
        self.pages = pages

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return avail_width, avail_height

    def draw(self) -> None:
        c = self.canv
        doc = self.document
        for x, y in ((FIDUCIAL_INSET, FIDUCIAL_INSET), (PAGE_W - FIDUCIAL_INSET - FIDUCIAL, FIDUCIAL_INSET),
                     (FIDUCIAL_INSET, PAGE_H - FIDUCIAL_INSET - FIDUCIAL),
                     (PAGE_W - FIDUCIAL_INSET - FIDUCIAL, PAGE_H - FIDUCIAL_INSET - FIDUCIAL)):
            c.rect(x, y, FIDUCIAL, FIDUCIAL, stroke=0, fill=1)
        self._draw_code()
        text_left = CODE_LEFT + CODE_SIZE + 6 * mm
        text_right = candidate_positions()[0][0][0] - CANDIDATE_COLUMN_W / 2 - 5 * mm
        middle = (text_left + text_right) / 2
        c.setFont(FONT_BOLD, 15)
        suffix = f" ({self.page + 1}/{self.pages})" if self.pages > 1 else ""
        c.drawCentredString(middle, PAGE_H - 25 * mm, f"FOLHA DE RESPOSTAS{suffix}")
        c.setFont(FONT, 10)
        c.drawCentredString(middle, PAGE_H - 32 * mm,
                            f"Prova nº {doc.exam_id} · Caderno {doc.version} · {doc.item_count} itens")
        c.setLineWidth(0.5)
        c.drawString(text_left, PAGE_H - 45 * mm, "Nome:")
        c.line(text_left + 12 * mm, PAGE_H - 45.5 * mm, text_right, PAGE_H - 45.5 * mm)
        c.drawString(text_left, PAGE_H - 53 * mm, "Assinatura:")
        c.line(text_left + 21 * mm, PAGE_H - 53.5 * mm, text_right, PAGE_H - 53.5 * mm)
        c.setFont(FONT, 8)
        for n, line in enumerate((
                "Preencha todo o círculo C (certo) ou E (errado) de cada item, com caneta de tinta preta.",
                "Marcar os dois círculos de um item, ou nenhum, deixa o item em branco (0 ponto).",
                "Inscrição (à direita): um algarismo por quadro e, abaixo dele, o seu círculo preenchido.")):
            c.drawString(SHEET_LEFT, PAGE_H - (61 + 4 * n) * mm, line)
        self._draw_candidate_grid()
        pairs = [p for p in bubble_positions(doc.item_count) if p.page == self.page]
        for column in range(SHEET_COLUMNS):
            x0 = SHEET_LEFT + column * SHEET_COLUMN_W
            if any(p for p in pairs if (p.number - 1) % SHEET_PER_PAGE // SHEET_ROWS == column):
                c.setFont(FONT_BOLD, 7.5)
                c.drawRightString(x0 + 9 * mm, SHEET_TOP + 2 * mm, "Item")
                c.drawCentredString(x0 + BUBBLE_C_DX, SHEET_TOP + 2 * mm, "C")
                c.drawCentredString(x0 + BUBBLE_E_DX, SHEET_TOP + 2 * mm, "E")
        for pair in pairs:
            (cx, cy), (ex, ey) = pair.c, pair.e
            c.setFillColor(colors.black)
            c.setFont(FONT_BOLD, 9)
            c.drawRightString(cx - 7 * mm, cy - 3, str(pair.number))
            c.setStrokeColor(colors.black)
            c.setLineWidth(0.8)
            c.circle(cx, cy, BUBBLE_R, stroke=1, fill=0)
            c.circle(ex, ey, BUBBLE_R, stroke=1, fill=0)
            c.setFont(FONT, 6)
            c.setFillColor(colors.HexColor("#888888"))
            c.drawCentredString(cx, cy - 2, "C")
            c.drawCentredString(ex, ey - 2, "E")
        c.setFillColor(colors.black)

    def _draw_code(self) -> None:
        """The QR code naming exam, version and page, drawn module by module (vector, no image)."""
        import segno

        c = self.canv
        code = sheet_code.SheetCode(self.document.exam_id, self.document.version, self.page + 1)
        matrix = segno.make_qr(sheet_code.encode(code), error="q").matrix
        module = CODE_SIZE / len(matrix)
        c.setFillColor(colors.black)
        for row, cells in enumerate(matrix):
            for column, dark in enumerate(cells):
                if dark:
                    c.rect(CODE_LEFT + column * module, CODE_TOP - (row + 1) * module, module, module,
                           stroke=0, fill=1)

    def _draw_candidate_grid(self) -> None:
        """Write-in boxes and, below each, a column of bubbles 0 to 9 for the candidate number."""
        c = self.canv
        columns = candidate_positions()
        c.setFont(FONT_BOLD, 7.5)
        c.setFillColor(colors.black)
        c.drawCentredString((columns[0][0][0] + columns[-1][0][0]) / 2, CANDIDATE_BOX_BOTTOM + CANDIDATE_BOX_H
                            + 1.5 * mm, "INSCRIÇÃO")
        c.setLineWidth(0.5)
        for column in columns:
            x = column[0][0]
            c.setStrokeColor(colors.black)
            c.rect(x - CANDIDATE_COLUMN_W / 2 + 0.3 * mm, CANDIDATE_BOX_BOTTOM, CANDIDATE_COLUMN_W - 0.6 * mm,
                   CANDIDATE_BOX_H, stroke=1, fill=0)
            for digit, (bx, by) in enumerate(column):
                c.setStrokeColor(colors.black)
                c.setLineWidth(0.6)
                c.circle(bx, by, CANDIDATE_R, stroke=1, fill=0)
                c.setFont(FONT, 5)
                c.setFillColor(colors.HexColor("#888888"))
                c.drawCentredString(bx, by - 1.7, str(digit))
        c.setFillColor(colors.black)


def _cover(document: ExamDocument) -> list[Flowable]:
    styles = _styles()
    date = document.created_at.strftime("%d/%m/%Y")
    version = f"Caderno {document.version}" + (f" de {document.versions}" if document.versions > 1 else "")
    instructions = [
        f"1. Este caderno contém <b>{document.item_count} itens</b>, numerados de 1 a {document.item_count} e "
        "agrupados em blocos; cada bloco começa com um comando que indica o assunto dos itens.",
        "2. Cada item é uma afirmação que você deve julgar <b>CERTO (C)</b> ou <b>ERRADO (E)</b>.",
        f"3. Pontuação: {document.rule_text}. Um item errado anula, portanto, um item certo; na dúvida, "
        "deixe-o em branco.",
        "4. Marque as respostas na folha de respostas, ao final deste caderno, preenchendo todo o círculo "
        "C ou E de cada item com caneta esferográfica de tinta preta. Marcar os dois círculos de um item, ou "
        "nenhum deles, equivale a deixá-lo em branco.",
        "5. Somente a folha de respostas será considerada na correção.",
    ]
    rows = [[Paragraph("<b>INSTRUÇÕES</b>", styles["box"])]] + [[Paragraph(t, styles["box"])] for t in instructions]
    box = Table(rows, colWidths=[PAGE_W - 2 * MARGIN - 20 * mm])
    box.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), FONT, 10), ("BOX", (0, 0), (-1, -1), 0.8, colors.black),
                             ("LEFTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                             ("TOPPADDING", (0, 0), (-1, -1), 3)]))
    return [
        Spacer(1, 35 * mm),
        Paragraph(_text(document.title), styles["title"]),
        Paragraph(f"Prova nº {document.exam_id} · {version}", styles["subtitle"]),
        Paragraph(f"{date} · {document.item_count} itens", styles["subtitle"]),
        Spacer(1, 18 * mm),
        box,
    ]


@cache
def _item_style(last: str) -> ParagraphStyle:
    """The item style with the paragraph's last word kept whole (never "...cami-" / "nha.")."""
    base = _styles()["item"]
    return ParagraphStyle(f"item-{last}", parent=base,
                          hyphenationLang=hyphenation.KeepWhole(hyphenation.pt_br(), last))


def _items(document: ExamDocument) -> list[Flowable]:
    styles = _styles()
    story: list[Flowable] = []
    for block in document.blocks:
        heading = Paragraph(_text(block.heading), styles["heading"])
        for index, item in enumerate(block.items):
            paragraph = Paragraph(f"<b>{item.number}</b>&nbsp;&nbsp;{_text(item.text)}",
                                  _item_style(hyphenation.last_word(item.text)))
            # The heading travels with its first item: never alone at the foot of a column.
            story.append(KeepTogether([heading, paragraph] if index == 0 else [paragraph]))
        if not block.items:
            story.append(heading)
    return story


def _key(document: ExamDocument) -> list[Flowable]:
    styles = _styles()
    story: list[Flowable] = [Paragraph("GABARITO" + (" COMENTADO" if document.key == KEY_COMMENTED else ""),
                                       styles["key_title"])]
    cells = [f"{i.number}: {i.label}" for i in document.items]
    per_row = 10
    rows = [cells[i:i + per_row] + [""] * (per_row - len(cells[i:i + per_row])) for i in range(0, len(cells), per_row)]
    table = Table(rows, colWidths=[(PAGE_W - 2 * MARGIN) / per_row] * per_row)
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), FONT, 9), ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                               ("ALIGN", (0, 0), (-1, -1), "CENTER")]))
    story.append(table)
    if document.key == KEY_COMMENTED:
        story.append(Spacer(1, 6 * mm))
        for item in document.items:
            if item.label == "E":
                text = _text(item.explanation or "ERRADO.")
                if item.original:
                    text += f"<br/><i>Assertiva correta:</i> {_text(item.original)}"
            elif item.explanation:  # shown through a true rewrite: the key says so
                text = _text(item.explanation)
                if item.original:
                    text += f"<br/><i>Assertiva original:</i> {_text(item.original)}"
            else:
                text = "CERTO."
            story.append(KeepTogether([Paragraph(f"<b>{item.number}</b>&nbsp;&nbsp;{text}", styles["key"])]))
    if document.audit:
        story += [Spacer(1, 6 * mm), Paragraph(AUDIT_TITLE.upper(), styles["key_title"]),
                  Paragraph(_text(AUDIT_INTRO), styles["key"])]
        story += [Paragraph(f"•&nbsp;{_text(line.text)}", styles["key"]) for line in document.audit]
    return story


def render_pdf(document: ExamDocument) -> bytes:
    """The caderno as PDF bytes: cover, items, answer sheet(s), and the key if asked for."""
    _register_fonts()
    out = io.BytesIO()
    doc = BaseDocTemplate(out, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                          bottomMargin=16 * mm, title=document.title, author="qbank",
                          subject=f"Prova {document.exam_id}, caderno {document.version}")
    column_w = (doc.width - GUTTER) / 2
    two_columns = [
        Frame(doc.leftMargin, doc.bottomMargin, column_w, doc.height, id="left", leftPadding=0, rightPadding=0),
        Frame(doc.leftMargin + column_w + GUTTER, doc.bottomMargin, column_w, doc.height, id="right",
              leftPadding=0, rightPadding=0),
    ]
    # No inner padding: what the story lays out (the key's grid) spans exactly the text margins.
    full = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="full", leftPadding=0, rightPadding=0)
    sheet = Frame(0, 0, PAGE_W, PAGE_H, id="sheet", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)

    def column_rule(canv: pdfcanvas.Canvas, _doc: BaseDocTemplate) -> None:
        canv.setLineWidth(0.4)
        x = doc.leftMargin + column_w + GUTTER / 2
        canv.line(x, doc.bottomMargin, x, doc.bottomMargin + doc.height)

    doc.addPageTemplates([
        PageTemplate("cover", [full]),
        PageTemplate("items", two_columns, onPage=column_rule),
        PageTemplate("sheet", [sheet]),
        PageTemplate("key", [full]),
    ])
    sheets = sheet_pages(document.item_count)
    story: list[Flowable] = _cover(document) + [NextPageTemplate("items"), PageBreak()] + _items(document)
    story += [NextPageTemplate("sheet"), PageBreak()]
    for page in range(sheets):
        story.append(_AnswerSheet(document, page, sheets))
        if page < sheets - 1:
            story.append(PageBreak())
    if document.key != KEY_NONE:
        story += [NextPageTemplate("key"), PageBreak()] + _key(document)

    footer = f"Prova nº {document.exam_id} · Caderno {document.version}"

    class Canvas(_FooterCanvas):
        footer_left = footer

    doc.build(story, canvasmaker=Canvas)
    return out.getvalue()

"""Uploads to page images: PNG, JPEG or a multi-page PDF, each page as a grayscale array."""

from __future__ import annotations

import io

from app.errors import Invalid

# A page is rendered (PDF) or brought down (large photos) to about this resolution: enough for
# bubbles 4.6 mm wide and QR modules of 1 mm, and what keeps reading fast.
WORK_DPI = 150
# The long side of a working image, in pixels (an A4 page at WORK_DPI).
WORK_LONG_SIDE = round(297 / 25.4 * WORK_DPI)
MAX_PAGES = 50
MAX_PIXELS = 50_000_000  # beyond a 600 dpi A4 scan: a decompression bomb, not a sheet

PNG, JPEG, PDF = "image/png", "image/jpeg", "application/pdf"


def _refuse(detail: str, code: str) -> Invalid:
    return Invalid(detail, code=code, errors=[{"location": "body", "message": detail}])


def media_type_of(data: bytes) -> str:
    """The upload's real type, from its first bytes (a Content-Type can lie)."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.lstrip(b"\x00\t\n\r ").startswith(b"%PDF-"):
        return PDF
    raise _refuse("o arquivo enviado não é uma imagem PNG ou JPEG nem um PDF", "not_an_image")


def _fit(gray):  # noqa: ANN001, ANN202 (numpy arrays)
    """A page brought down to the working resolution when it is larger (never up)."""
    import cv2

    height, width = gray.shape[:2]
    factor = WORK_LONG_SIDE / max(height, width)
    if factor >= 0.95:
        return gray
    return cv2.resize(gray, (round(width * factor), round(height * factor)), interpolation=cv2.INTER_AREA)


def _image(data: bytes, media_type: str):  # noqa: ANN202
    import cv2
    import numpy as np
    from PIL import Image, UnidentifiedImageError

    kind = "PNG" if media_type == PNG else "JPEG"
    try:
        with Image.open(io.BytesIO(data)) as probe:  # reads the header only: the size before decoding
            width, height = probe.size
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise _refuse(f"a imagem {kind} está corrompida ou incompleta", "corrupt_image")
    if width * height > MAX_PIXELS:
        raise _refuse(f"a imagem tem {width}×{height} pixels, mais que os {MAX_PIXELS:,} aceitos"
                      .replace(",", "."), "image_too_large")
    gray = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE)
    if gray is None or gray.shape[:2] != (height, width) or not _complete(data, media_type):
        raise _refuse(f"a imagem {kind} está corrompida ou incompleta", "corrupt_image")
    return _fit(gray)


def _complete(data: bytes, media_type: str) -> bool:
    """Whether the file ends where its format says (a truncated upload decodes to grey rows)."""
    if media_type == PNG:
        return b"IEND" in data[-32:]
    return data.rstrip(b"\x00").endswith(b"\xff\xd9")


def _pdf_pages(data: bytes) -> list:
    import numpy as np
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        raise _refuse("o PDF está corrompido ou protegido por senha", "corrupt_pdf")
    try:
        if len(document) == 0:
            raise _refuse("o PDF não tem páginas", "empty_pdf")
        if len(document) > MAX_PAGES:
            raise _refuse(f"o PDF tem {len(document)} páginas; envie no máximo {MAX_PAGES} por vez", "too_many_pages")
        pages = []
        for index in range(len(document)):
            page = document[index]
            width, height = page.get_size()
            scale = WORK_LONG_SIDE / max(width, height)
            bitmap = page.render(scale=scale, grayscale=True)
            pages.append(np.array(bitmap.to_numpy(), dtype=np.uint8).reshape(bitmap.height, bitmap.width, -1)[..., 0]
                         .copy())
        return pages
    finally:
        document.close()


def page_images(data: bytes) -> tuple[str, list]:
    """(media type, grayscale pages) of an upload; Invalid naming what is wrong with it."""
    if not data:
        raise _refuse("o corpo está vazio: envie uma imagem PNG ou JPEG ou um PDF", "empty_upload")
    media_type = media_type_of(data)
    if media_type == PDF:
        return media_type, _pdf_pages(data)
    return media_type, [_image(data, media_type)]

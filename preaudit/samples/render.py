"""Documents as factories hand them over, for sample packs: printed registers (digital PDFs),
scans of them (no text layer: skewed, noisy, JPEG-compressed, a page turned sideways) and phone
photos of certificates (EXIF orientation)."""
from __future__ import annotations

import io
import random
from functools import lru_cache
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFilter, ImageFont

CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


@lru_cache(maxsize=1)
def _font_name() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if not CJK_FONT.exists():
        raise RuntimeError(f"{CJK_FONT} is missing: scripts/setup.sh installs fonts-wqy-microhei")
    pdfmetrics.registerFont(TTFont("WQY", str(CJK_FONT), subfontIndex=0))
    return "WQY"


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def table_pdf(title: str, header: list[str], rows: list[list[Any]], *, landscape: bool = False,
              font_size: float = 9) -> bytes:
    """A ruled register; the header repeats on every page, as printed registers do."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.pagesizes import landscape as turn
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = _font_name()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=turn(A4) if landscape else A4, leftMargin=28, rightMargin=28,
                            topMargin=28, bottomMargin=28)
    table = Table([header] + [[_text(v) for v in row] for row in rows], repeatRows=1)
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), font, font_size),
                               ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                               ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    doc.build([Paragraph(title, ParagraphStyle("t", fontName=font, fontSize=font_size + 3)), Spacer(1, 8), table])
    return buf.getvalue()


def text_pdf(pages: list[list[str]], *, font_size: float = 12) -> bytes:
    """Key-value documents (certificates), one per page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    font = _font_name()
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A4)
    for lines in pages:
        y = A4[1] - 80
        for line in lines:
            pdf.setFont(font, font_size + (6 if y == A4[1] - 80 else 0))
            pdf.drawString(60, y, line)
            y -= font_size * 2.2
        pdf.showPage()
    pdf.save()
    return buf.getvalue()


def scan(pdf: bytes, *, dpi: int | tuple[int, int] = 300, seed: int = 0, max_skew: float = 1.5,
         noise: float = 6.0, jpeg_quality: int = 85, sideways_pages: tuple[int, ...] = ()) -> bytes:
    """The PDF printed and scanned: pages as images only, each at ``dpi`` (or at a resolution drawn
    from a (low, high) range: a pile fed through different scanners), skewed, with noise and JPEG
    artefacts; pages listed in ``sideways_pages`` (1-based) fed in turned 90°."""
    import numpy as np
    import pypdfium2 as pdfium

    rng = random.Random(seed)
    out = pdfium.PdfDocument.new()
    for number, page in enumerate(pdfium.PdfDocument(pdf), 1):
        resolution = dpi if isinstance(dpi, int) else rng.randint(*dpi)
        image = page.render(scale=resolution / 72).to_pil().convert("L")
        image = image.rotate(rng.uniform(-max_skew, max_skew), expand=True, fillcolor=255, resample=Image.BICUBIC)
        pixels = np.asarray(image, dtype=np.float32)
        pixels += np.random.default_rng(seed + number).normal(0, noise, pixels.shape)
        image = Image.fromarray(pixels.clip(0, 255).astype(np.uint8))
        buf = io.BytesIO()
        image.save(buf, "JPEG", quality=jpeg_quality)
        image = Image.open(io.BytesIO(buf.getvalue()))
        if number in sideways_pages:
            image = image.rotate(90, expand=True)
        single = io.BytesIO()
        image.convert("RGB").save(single, "PDF", resolution=resolution)  # page size stays the paper's
        out.import_pages(pdfium.PdfDocument(single.getvalue()))
    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue()


def photo(lines: list[str], *, seed: int = 0, exif_orientation: int = 6) -> bytes:
    """A phone photo of a certificate: warm paper, slight tilt and blur, stored sideways with an
    EXIF orientation tag that says how to turn it upright."""
    rng = random.Random(seed)
    width, height = 1700, 240 + 90 * len(lines)
    image = Image.new("RGB", (width, height), (236, 226, 205))
    draw = ImageDraw.Draw(image)
    big, normal = ImageFont.truetype(str(CJK_FONT), 64), ImageFont.truetype(str(CJK_FONT), 44)
    y = 80
    for k, line in enumerate(lines):
        draw.text((110, y), line, fill=(25, 25, 30), font=big if k == 0 else normal)
        y += 110 if k == 0 else 90
    image = image.rotate(rng.uniform(-1.5, 1.5), expand=True, fillcolor=(90, 80, 70), resample=Image.BICUBIC)
    image = image.filter(ImageFilter.GaussianBlur(0.8))
    stored = image.transpose(Image.Transpose.ROTATE_90) if exif_orientation == 6 else image
    exif = Image.Exif()
    exif[0x0112] = exif_orientation
    buf = io.BytesIO()
    stored.save(buf, "JPEG", quality=88, exif=exif)
    return buf.getvalue()

"""A hostile pack: every broken, odd or hostile upload issue 13 lists, written beside a good pack's
documents. Usable as a script (python -m tests.support.hostile_pack FOLDER) to try preaudit by hand.

Every bad file must come back with a data-quality finding that names it, and the good documents
must give exactly the findings they give alone. The bad files name no kind of record and hold no
header of one: a broken file that looks like a payroll (by its name or its columns) rightly
leaves its months' payroll incomplete, and the rules that need it then say they could not check
(tests/test_coverage.py), which is not what this pack is about."""
from __future__ import annotations

import io
import os
import shutil
import struct
import sys
import zipfile
import zlib
from pathlib import Path

#: a file name that is not UTF-8: 文件 in GBK, as a Chinese zip unpacked on Linux leaves it
GBK_NAME = b"bad/\xce\xc4\xbc\xfe.csv"


def png_header_only(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)) \
        + chunk(b"IDAT", zlib.compress(b"\x00")) + chunk(b"IEND", b"")


def _workbook(cells: dict[str, object]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    for ref, value in cells.items():
        book.active[ref] = value
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _rezip(data: bytes, change) -> bytes:
    """The workbook with each member's bytes passed through change(name, bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, change(item.filename, src.read(item)))
    return out.getvalue()


def _broken_deflate(data: bytes) -> bytes:
    """A workbook whose sheet's compressed stream is damaged (its directory still says it is fine)."""
    raw = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        item = book.getinfo("xl/worksheets/sheet1.xml")
    start = item.header_offset + 30 + len(item.filename.encode()) + len(item.extra)
    for k in range(start + 4, start + min(item.compress_size, 40)):
        raw[k] ^= 0x5A
    return bytes(raw)


def _zip_bomb_workbook(unpacked: int) -> bytes:
    """A few hundred KB of workbook whose one shared string unpacks to ``unpacked`` bytes."""
    base = _workbook({"A1": "x"})
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename != "xl/sharedStrings.xml":
                dst.writestr(item, src.read(item))
                continue
            with dst.open("xl/sharedStrings.xml", "w", force_zip64=True) as handle:
                handle.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
                             b'uniqueCount="1"><si><t>')
                block = b"x" * (1 << 20)
                for _ in range(unpacked >> 20):
                    handle.write(block)
                handle.write(b"</t></si></sst>")
    return out.getvalue()


def pdf_pages(pages: int, size: tuple[float, float], *, text: str | None = None, encrypt: str | None = None) -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=size, encrypt=encrypt)
    for _ in range(pages):
        if text:
            pdf.drawString(72, size[1] - 72, text)
        pdf.showPage()
    pdf.save()
    return buf.getvalue()


def tiff_frames(frames: int) -> bytes:
    from PIL import Image

    first, *rest = [Image.new("L", (8, 8), 255) for _ in range(frames)]
    buf = io.BytesIO()
    first.save(buf, "TIFF", save_all=True, append_images=rest)
    return buf.getvalue()


def bad_files() -> dict[str, bytes]:
    book = _workbook({"A1": "甲", "B1": "乙", "A2": "1", "B2": "2"})
    return {
        "bad/open-quote.csv": b'id,name\n1,"' + b"x" * 200_000 + b"\n",
        "bad/broken-sheet.xlsx": _rezip(book, lambda n, d: d[: len(d) // 2] if n.endswith("sheet1.xml") else d),
        "bad/shared-string.xlsx": _rezip(book, lambda n, d: d.replace(b"<v>0</v>", b"<v>999</v>")
                                         if n.endswith("sheet1.xml") else d),
        "bad/deflate.xlsx": _broken_deflate(book),
        "bad/zip-bomb.xlsx": _zip_bomb_workbook(300 << 20),
        "bad/far-cell.xlsx": _workbook({"XFD1048576": "x"}),
        "bad/damaged.pdf": b"%PDF-1.4\n1 0 obj <</Length 99>> stream\nq\nendstream\nendobj\ntrailer <<>>\n%%EOF",
        "bad/encrypted.pdf": pdf_pages(1, (595, 842), text="Employee register", encrypt="secret"),
        "bad/huge-page.pdf": pdf_pages(1, (20000, 20000)),
        "bad/blank-2000.pdf": pdf_pages(2000, (595, 842)),
        "bad/frames-1200.tif": tiff_frames(1200),
        "bad/bomb.png": png_header_only(30000, 30000),
        "bad/[bold]x[/bold]\x1b[31m.csv": b"hello\n",
        "bad/empty.csv": b"", "bad/empty.pdf": b"", "bad/empty.xlsx": b"",
        ".hidden.csv": b"x\n",
    }


def write(folder: Path, good: Path, outside: Path) -> list[str]:
    """The good pack's files copied into ``folder``, the bad ones beside them; returns the pack
    paths of everything bad (as preaudit will name them)."""
    shutil.copytree(good, folder)
    names = []
    for name, data in bad_files().items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
        names.append(name)
    with open(os.fsencode(folder) + b"/" + GBK_NAME, "wb") as handle:  # not UTF-8: not a str path
        handle.write(b"hello\n")
    names.append(GBK_NAME.decode("gbk"))  # shown as the Chinese it is
    a_good_one = sorted(p for p in good.rglob("*.csv"))[0]
    shutil.copyfile(a_good_one, folder / "bad" / "copy-of-a-good-one.csv")  # the same bytes twice
    names.append("bad/copy-of-a-good-one.csv")
    outside.write_text("工号,姓名,基本工资,实发工资\nS9,不该读,3000,2900\n", encoding="utf-8")
    os.symlink(outside, folder / "bad" / "linked.csv")
    os.symlink(folder / "gone.csv", folder / "bad" / "dangling.csv")
    names += ["bad/linked.csv", "bad/dangling.csv"]
    return names


if __name__ == "__main__":  # python -m tests.support.hostile_pack GOOD_PACK HOSTILE_PACK
    print("\n".join(write(Path(sys.argv[2]), Path(sys.argv[1]), Path(sys.argv[2] + ".secret.csv"))))

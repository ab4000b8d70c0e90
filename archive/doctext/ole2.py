"""OLE2 compound files (olefile): Word 97-2003 documents (DOC, and WPS, which Kingsoft writes
in the same format) read by Debian's antiword, workbooks (XLS, and ET) read by xlrd: both
chosen by bench/doc_text.py."""

from __future__ import annotations

import io
import shutil
from typing import Any

from archive.doctext import base as lim
from archive.doctext.base import DocumentError, DocumentText, clip
from archive.doctext.programs import first_line, memory_file, run

TOOL_TIMEOUT = 60.0  # seconds for antiword on one document (~10 ms for a 40 KB one)

WORD_FORMATS = {"wps": "wps", "wpt": "wps"}  # by name; anything else with WordDocument: doc
EXCEL_FORMATS = {"et": "et", "ett": "et"}  # by name; anything else with a Workbook: xls


def read_ole2(data: bytes, suffix: str) -> DocumentText:
    import olefile

    try:
        ole = olefile.OleFileIO(io.BytesIO(data))  # bytes, never taken for a path
    except MemoryError:
        raise  # the caller's memory budget (archive/attachment_text.py), not a broken file
    except Exception as exc:  # olefile raises OSError, and others on malformed input
        raise DocumentError("corrupt", f"broken OLE2 compound file: {exc}") from None
    with ole:
        names = {"/".join(entry).lower() for entry in ole.listdir()}
        if "encryptedpackage" in names:
            raise DocumentError("encrypted", "an Office document encrypted with a password")
        if "worddocument" in names:
            return _word(data, _stream(ole, "WordDocument"), WORD_FORMATS.get(suffix, "doc"))
        for stream in ("workbook", "book"):
            if stream in names:
                return _excel(_stream(ole, stream), EXCEL_FORMATS.get(suffix, "xls"))
    listed = ", ".join(sorted(names)[:8])
    raise DocumentError("unsupported", f"an OLE2 file holding neither a Word document nor a "
                        f"workbook (streams: {listed})")


def _stream(ole: Any, name: str) -> bytes:
    try:
        with ole.openstream(name) as stream:
            return bytes(stream.read())
    except MemoryError:
        raise
    except Exception as exc:  # olefile: OSError, and others on a broken FAT
        raise DocumentError("corrupt", f"the {name} stream cannot be read: {exc}") from None


def _word(data: bytes, stream: bytes, fmt: str) -> DocumentText:
    """Word 97-2003 (and 6/95) text by antiword, which reads the piece table (catdoc does
    not, and misreads runs of Chinese: bench/doc_text.py)."""
    label = fmt.upper()
    if len(stream) < 0x20:
        raise DocumentError("corrupt", f"{label} whose WordDocument stream is too short")
    if stream[0x0B] & 0x01:  # FibBase.fEncrypted (bit 8 of the flags at 0x0A)
        raise DocumentError("encrypted", f"{label} protected by a password")
    antiword = shutil.which("antiword")
    if antiword is None:
        raise DocumentError("unsupported", f"{label} text needs antiword, which is not "
                            "installed (apt-get install antiword)")
    with memory_file(data, ".doc") as (path, fds):
        code, out, err = run([antiword, "-w", "0", "-m", "UTF-8.txt", path], b"",
                             TOOL_TIMEOUT, 4 * lim.MAX_TEXT, pass_fds=fds)
    if code > 0:
        message = first_line(err).replace(path, "the file")
        kind = "encrypted" if "encrypt" in message.lower() else "corrupt"
        raise DocumentError(kind, f"antiword cannot read this {label}: {message}")
    lines = (line.strip() for line in out.decode("utf-8", "replace").split("\n"))
    return DocumentText(clip([line for line in lines if line]), fmt, None, "antiword")


def _excel(stream: bytes, fmt: str) -> DocumentText:
    """Excel 97-2003 (BIFF) cells by xlrd (xls2csv misreads Chinese: bench/doc_text.py)."""
    import xlrd

    label = fmt.upper()
    try:
        book = xlrd.open_workbook(file_contents=stream, on_demand=True, ragged_rows=True,
                                  logfile=io.StringIO())
    except MemoryError:
        raise
    except Exception as exc:  # xlrd raises XLRDError, and others on malformed records
        kind = "encrypted" if "encrypted" in str(exc).lower() else "corrupt"
        raise DocumentError(kind, f"{label}: {exc}") from None
    lines: list[str] = []
    cells = 0
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            for r in range(sheet.nrows):
                row = sheet.row(r)
                cells += len(row)
                if cells > lim.MAX_CELLS:
                    raise DocumentError("too-large", f"spreadsheet of over {lim.MAX_CELLS} cells")
                values = [v for v in (_cell(c, book.datemode) for c in row) if v]
                if values:
                    lines.append("\t".join(values))
            book.unload_sheet(index)
    except (DocumentError, MemoryError):
        raise
    except Exception as exc:  # xlrd on a broken sheet: XLRDError, struct.error, IndexError…
        raise DocumentError("corrupt", f"{label}: {exc}") from None
    finally:
        book.release_resources()
    return DocumentText(clip(lines), fmt, None, "xlrd")


def _cell(cell: Any, datemode: int) -> str:
    """A cell's text as the sheet shows it, roughly: 3 not 3.0, dates as ISO dates."""
    import xlrd

    value = cell.value
    if cell.ctype in (xlrd.XL_CELL_NUMBER, xlrd.XL_CELL_DATE) and isinstance(value, float):
        if cell.ctype == xlrd.XL_CELL_DATE:
            try:
                moment = xlrd.xldate_as_datetime(value, datemode)
            except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                return repr(value)
            return moment.date().isoformat() if moment.time() == moment.min.time() \
                else moment.isoformat(sep=" ")
        return str(int(value)) if value.is_integer() else repr(value)
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return "TRUE" if value else "FALSE"
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(value, "")
    return str(value) if cell.ctype == xlrd.XL_CELL_TEXT else ""



"""Reading an uploaded file into a table of text cells: the encoding and the delimiter are
detected, a vCard file becomes one row per card with relcrm's own column names."""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000


class FileUnreadable(Exception):
    """The file cannot be read as contacts; the message says why, for the person uploading."""


@dataclass
class Table:
    format: str  # "csv" or "vcard"
    headers: list[str]
    # (row number as a spreadsheet shows it, cells); empty rows are left out.
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    encoding: str = "utf-8"
    delimiter: str = ","


_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def text_decode(raw: bytes) -> tuple[str, str]:
    """The text and its encoding. A byte-order mark decides (Excel's "CSV UTF-8", Outlook's
    Unicode export); else UTF-8 when the bytes are valid UTF-8, else Windows-1252, which is
    what Outlook and Excel write on a German or English Windows."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(encoding), encoding
            except UnicodeDecodeError as error:
                raise FileUnreadable(_("The file is not valid text.")) from error
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    text = raw.decode("cp1252", errors="replace")
    if text.count("\ufffd") > max(3, len(text) // 1000):
        raise FileUnreadable(_("The file is not a text file (is it a spreadsheet?)."))
    return text, "cp1252"


def delimiter_detect(text: str) -> str:
    """`;` (Outlook and Excel in German), `,` or a tab: whichever splits the header line
    into the most columns, counted outside quotes."""
    best, best_count = ",", 0
    for candidate in (",", ";", "\t"):
        cells = next(csv.reader(io.StringIO(text), delimiter=candidate), [])
        if len(cells) > best_count:
            best, best_count = candidate, len(cells)
    return best


def csv_read(raw: bytes) -> Table:
    if not raw.strip():
        raise FileUnreadable(_("The file is empty."))
    text, encoding = text_decode(raw)
    if "\x00" in text:
        raise FileUnreadable(_("The file is not a text file (is it a spreadsheet?)."))
    delimiter = delimiter_detect(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        records = list(reader)
    except csv.Error as error:
        raise FileUnreadable(
            _("The file is not valid CSV near row %(row)s: %(error)s")
            % {"row": reader.line_num, "error": error}
        ) from error
    numbered = [(number, cells) for number, cells in enumerate(records, start=1)]
    numbered = [(n, cells) for n, cells in numbered if any(c.strip() for c in cells)]
    if not numbered:
        raise FileUnreadable(_("The file is empty."))
    _header_number, headers = numbered[0]
    headers = [h.strip() for h in headers]
    if len([h for h in headers if h]) < 1 or len(numbered) < 2:
        raise FileUnreadable(_("The file has a header row but no contacts."))
    if len(numbered) - 1 > MAX_ROWS:
        raise FileUnreadable(
            _("The file has more than %(max)s rows; split it into smaller files.")
            % {"max": f"{MAX_ROWS:,}"}
        )
    rows = []
    for number, cells in numbered[1:]:
        cells = [c.strip() for c in cells]
        cells += [""] * (len(headers) - len(cells))
        rows.append((number, cells))
    return Table(format="csv", headers=headers, rows=rows, encoding=encoding, delimiter=delimiter)


def table_read(raw: bytes, *, format: str | None = None, filename: str = "") -> Table:
    """Read a CSV or vCard file; `format` None guesses from the name and the content."""
    if len(raw) > MAX_FILE_BYTES:
        raise FileUnreadable(
            _("The file is larger than %(max)s MB.") % {"max": MAX_FILE_BYTES // (1024 * 1024)}
        )
    if format is None:
        head = raw[:2000].lstrip(codecs.BOM_UTF8).lstrip().upper()
        is_vcard = filename.lower().endswith((".vcf", ".vcard")) or head.startswith(b"BEGIN:VCARD")
        format = "vcard" if is_vcard else "csv"
    if format == "vcard":
        from .vcard import vcard_read

        return vcard_read(raw)
    return csv_read(raw)

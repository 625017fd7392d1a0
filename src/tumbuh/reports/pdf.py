"""A small PDF document builder: title page, headings, paragraphs, tables and SVG figures.

Library: fpdf2. It is pure Python (its dependencies Pillow, fontTools and defusedxml ship
wheels), so a PDF needs no system package, and it draws SVG as vector paths and text,
so the charts and maps of :mod:`tumbuh.reports` (the same SVG the web application
serves) stay sharp at any zoom. The alternative, ReportLab with svglib, also works
without system packages but needs two libraries and a conversion layer (svglib turns
SVG into ReportLab drawings) for what fpdf2 does in one; fpdf2's tables also repeat
their heading row after a page break on their own.

Fonts: the PDF standard Helvetica (one of the 14 fonts every PDF reader has), so no font
file is embedded or shipped. Its character set is Windows-1252, which covers Indonesian;
the few characters outside it (the minus sign, <= and >=) are replaced by their ASCII
spelling, and the text inside SVG figures is kept to Latin-1 (fpdf2's SVG text
handling measures only those), so an en dash there becomes a hyphen.

Nothing here reads the clock: the caller passes the generation date, which the footer
prints and the PDF metadata records, so the same input gives the same bytes.
"""

import io
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from babel.dates import format_date
from fpdf import FPDF
from fpdf.fonts import FontFace

from tumbuh.i18n import Language, translations
from tumbuh.reports.letterhead import Letterhead, Signature
from tumbuh.reports.svg import SVG_NAMESPACE
from tumbuh.reports.tables import Table, cell_text

_LOCALES = {Language.ID: "id_ID", Language.EN: "en_US"}
_ASCII = str.maketrans(
    {
        "\u2212": "-",  # minus sign
        "\u2264": "<=",
        "\u2265": ">=",
        "\u00a0": " ",
        "\u202f": " ",
    }
)
# SVG text must stay within Latin-1: fpdf2 measures SVG text with Latin-1 widths only.
_LATIN1 = str.maketrans(
    {
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2022": "-",
    }
)
INK = (34, 34, 34)
HEADING = (23, 63, 116)
MUTED = (95, 99, 104)
HEADER_FILL = (226, 234, 245)
STRIPE_FILL = (246, 247, 249)
RULE = (190, 190, 190)
HEADING_SIZES = {1: 16.0, 2: 13.0, 3: 11.5}
BODY_SIZE = 10.5
LINE_MM = 5.2


def pdf_text(text: str) -> str:
    """``text`` as the standard PDF fonts can show it (Windows-1252, '?' for the rest)."""
    return text.translate(_ASCII).encode("cp1252", errors="replace").decode("cp1252")


def svg_text(text: str) -> str:
    """``text`` for SVG embedded by fpdf2 (Latin-1, '?' for the rest)."""
    cleaned = text.translate(_ASCII).translate(_LATIN1)
    return cleaned.encode("latin-1", errors="replace").decode("latin-1")


@dataclass(frozen=True)
class Placement:
    """Where a figure landed: page number (from 1) and box in mm from the top left."""

    page: int
    x_mm: float
    y_mm: float
    width_mm: float
    height_mm: float


class _Canvas(FPDF):
    """fpdf2 page with Tumbuh's running header and footer."""

    running_title = ""
    footer_left = ""
    page_label = ""  # "Page {page} of {pages}" in the user's language
    bare_pages: frozenset[int] = frozenset()  # pages without header and footer

    def header(self) -> None:
        if self.page_no() in self.bare_pages or not self.running_title:
            return
        self.set_font("helvetica", size=8)
        self.set_text_color(*MUTED)
        self.cell(0, 5, pdf_text(self.running_title), align="R")
        self.ln(9)

    def footer(self) -> None:
        if self.page_no() in self.bare_pages:
            return
        self.set_y(-13)
        self.set_font("helvetica", size=8)
        self.set_text_color(*MUTED)
        self.cell(self.epw / 2, 6, pdf_text(self.footer_left), align="L")
        page = self.page_label.format(page=self.page_no(), pages="{nb}")
        self.cell(self.epw / 2, 6, pdf_text(page), align="R")


class PdfReport:
    """An A4 portrait report, built top to bottom, then written with :meth:`to_bytes`."""

    def __init__(
        self,
        *,
        title: str,
        generated_on: date,
        language: Language = Language.ID,
        author: str | None = None,
    ) -> None:
        _ = translations(language).gettext
        self.language = language
        self._pdf = _Canvas(orientation="P", unit="mm", format="A4")
        pdf = self._pdf
        pdf.core_fonts_encoding = "windows-1252"
        pdf.set_margins(18, 16, 18)
        pdf.set_auto_page_break(auto=True, margin=18)
        pdf.set_title(pdf_text(title))
        pdf.set_author(pdf_text(author or "Tumbuh"))
        pdf.set_creator("Tumbuh")
        pdf.set_lang(language.value)
        pdf.set_creation_date(datetime.combine(generated_on, time(), tzinfo=UTC))
        pdf.running_title = title
        when = format_date(generated_on, "d MMMM y", locale=_LOCALES[language])
        pdf.footer_left = _("Generated on {date}").format(date=when)
        pdf.page_label = _("Page {page} of {pages}")
        self._outline_level = -1
        self._pending: list[tuple[str, int]] = []  # headings waiting for their content
        self._cover_open = False

    def title_page(
        self,
        title: str,
        subtitle: str | None = None,
        lines: Sequence[str] = (),
        *,
        letterhead: Letterhead | None = None,
    ) -> None:
        """A cover page without header or footer: a letterhead, title, subtitle and a few
        lines."""
        pdf = self._pdf
        if letterhead is None:
            pdf.bare_pages = pdf.bare_pages | {pdf.page_no() + 1}  # before add_page's header
            pdf.add_page()
        else:
            self.letterhead(letterhead)
        pdf.set_y(max(pdf.get_y(), pdf.h * 0.3))
        pdf.set_font("helvetica", style="B", size=24)
        pdf.set_text_color(*HEADING)
        pdf.multi_cell(0, 11, pdf_text(title), align="C", new_x="LMARGIN", new_y="NEXT")
        if subtitle:
            pdf.ln(4)
            pdf.set_font("helvetica", size=15)
            pdf.multi_cell(0, 8, pdf_text(subtitle), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(14)
        pdf.set_font("helvetica", size=11)
        pdf.set_text_color(*INK)
        for line in lines:
            pdf.multi_cell(0, 6.5, pdf_text(line), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("helvetica", size=10)
        pdf.set_text_color(*MUTED)
        pdf.set_y(pdf.h - 40)
        pdf.cell(0, 6, pdf_text(pdf.footer_left), align="C")
        self._cover_open = True

    def letterhead(self, head: Letterhead) -> None:
        """The letterhead at the top of a cover page: logo, lines centred, a double rule."""
        pdf = self._pdf
        pdf.bare_pages = pdf.bare_pages | {pdf.page_no() + 1}
        pdf.add_page()
        top = pdf.get_y()
        if head.logo is not None:
            pdf.image(io.BytesIO(head.logo), x=pdf.l_margin, y=top, h=24)
        pdf.set_text_color(*INK)
        last = len(head.lines) - 1
        for index, line in enumerate(head.lines):
            small = index == last and index > 0
            pdf.set_font("helvetica", style="" if small else "B", size=9 if small else 13)
            pdf.set_x(pdf.l_margin + (26 if head.logo is not None else 0))
            width = pdf.epw - (52 if head.logo is not None else 0)
            pdf.multi_cell(width, 6.5, pdf_text(line), align="C", new_x="LMARGIN", new_y="NEXT")
        bottom = max(pdf.get_y(), top + (24 if head.logo is not None else 0)) + 2
        pdf.set_draw_color(*INK)
        pdf.set_line_width(0.8)
        pdf.line(pdf.l_margin, bottom, pdf.w - pdf.r_margin, bottom)
        pdf.set_line_width(0.2)
        pdf.line(pdf.l_margin, bottom + 1.2, pdf.w - pdf.r_margin, bottom + 1.2)
        pdf.set_y(bottom + 4)
        self._cover_open = True

    def signature(self, sign: Signature, day: str) -> None:
        """The signature block on the right half of the page: place and date, the title,
        room to sign, the name (or a dotted line) and the NIP."""
        pdf = self._pdf
        self._place(48)
        left = pdf.l_margin + pdf.epw / 2
        width = pdf.epw / 2
        pdf.ln(4)
        pdf.set_font("helvetica", size=BODY_SIZE)
        pdf.set_text_color(*INK)
        for line in (f"{sign.place}, {day}", sign.title):
            pdf.set_x(left)
            pdf.multi_cell(width, LINE_MM, pdf_text(line), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(22)
        pdf.set_x(left)
        pdf.set_font("helvetica", style="BU" if sign.name else "", size=BODY_SIZE)
        name = sign.name or "(" + "." * 50 + ")"
        pdf.multi_cell(width, LINE_MM, pdf_text(name), align="C", new_x="LMARGIN", new_y="NEXT")
        if sign.nip:
            pdf.set_x(left)
            pdf.set_font("helvetica", size=BODY_SIZE)
            text = pdf_text(f"NIP. {sign.nip}")
            pdf.multi_cell(width, LINE_MM, text, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)

    def heading(self, text: str, level: int = 1) -> None:
        """A heading (level 1-3), also listed in the PDF's outline (bookmarks).

        It is placed together with what follows it: a heading never ends a page alone.
        """
        if level not in HEADING_SIZES:
            raise ValueError(f"heading level must be 1, 2 or 3, got {level}")
        self._pending.append((text, level))

    def paragraph(self, text: str, *, bold: bool = False) -> None:
        """A paragraph of running text."""
        pdf = self._pdf
        self._place(2 * LINE_MM)
        pdf.set_font("helvetica", style="B" if bold else "", size=BODY_SIZE)
        pdf.set_text_color(*INK)
        pdf.multi_cell(0, LINE_MM, pdf_text(text), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2.5)

    def page_break(self) -> None:
        """Start a new page; waiting headings go onto it with their content."""
        if self._pdf.page_no() > 0 and not self._cover_open:
            self._pdf.add_page()

    def _place(self, needed_mm: float) -> None:
        """Make room for the pending headings and ``needed_mm`` of what follows them."""
        pdf = self._pdf
        if pdf.page_no() == 0 or self._cover_open:  # content never goes on the cover
            pdf.add_page()
            self._cover_open = False
        headings_mm = sum(HEADING_SIZES[level] * 0.5 + 6 for _, level in self._pending)
        at_top = pdf.get_y() <= pdf.t_margin + 12
        if not at_top and pdf.get_y() + headings_mm + needed_mm > pdf.h - pdf.b_margin:
            pdf.add_page()
        for text, level in self._pending:
            self._write_heading(text, level)
        self._pending.clear()

    def _write_heading(self, text: str, level: int) -> None:
        pdf = self._pdf
        size = HEADING_SIZES[level]
        if pdf.get_y() > pdf.t_margin + 12:
            pdf.ln(3 if level == 1 else 2)
        outline_level = min(level - 1, self._outline_level + 1)
        pdf.start_section(pdf_text(text), level=outline_level)
        self._outline_level = outline_level
        pdf.set_font("helvetica", style="B", size=size)
        pdf.set_text_color(*HEADING)
        pdf.multi_cell(0, size * 0.5, pdf_text(text), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)

    def table(self, table: Table) -> None:
        """A table with its title; numbers right-aligned; the heading row repeats on every
        page the table spans."""
        pdf = self._pdf
        self._place(28)  # title, heading row and two rows stay together
        pdf.set_font("helvetica", style="B", size=10)
        pdf.set_text_color(*INK)
        pdf.multi_cell(0, 5.5, pdf_text(table.title), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
        pdf.set_font("helvetica", size=9)
        pdf.set_draw_color(*RULE)
        aligns = tuple("RIGHT" if c.is_number else "LEFT" for c in table.columns)
        with pdf.table(
            col_widths=tuple(c.width for c in table.columns),
            text_align=aligns,
            headings_style=FontFace(emphasis="BOLD", fill_color=HEADER_FILL),
            cell_fill_color=STRIPE_FILL,
            cell_fill_mode="ROWS",
            line_height=4.8,
            repeat_headings=1,
            borders_layout="HORIZONTAL_LINES",
        ) as grid:
            heading = grid.row()
            for column in table.columns:
                heading.cell(pdf_text(column.title))
            for row in table.rows:
                cells = grid.row()
                for column, cell in zip(table.columns, row, strict=True):
                    cells.cell(pdf_text(cell_text(cell, column, self.language)))
        if table.note:
            pdf.ln(1)
            pdf.set_font("helvetica", style="I", size=8)
            pdf.set_text_color(*MUTED)
            pdf.multi_cell(0, 4, pdf_text(table.note), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)

    def figure(
        self, svg: str, *, caption: str | None = None, width_mm: float | None = None
    ) -> Placement:
        """An SVG chart or map as vector graphics, centred, scaled to fit the page.

        The SVG's ``<title>`` becomes the image's alternative text in the PDF. Returns
        where the figure was drawn.
        """
        pdf = self._pdf
        data, alt_text, (view_width, view_height) = prepare_svg(svg)
        width = min(width_mm or pdf.epw, pdf.epw)
        height = width * view_height / view_width
        room = pdf.h - pdf.t_margin - pdf.b_margin - 20 - (8 if caption else 0)
        if height > room:  # taller than a page: shrink to fit
            width, height = width * room / height, room
        self._place(height + (8 if caption else 0))
        if pdf.get_y() + height + (8 if caption else 0) > pdf.h - pdf.b_margin:
            pdf.add_page()
        top = pdf.get_y()
        left = pdf.l_margin + (pdf.epw - width) / 2
        pdf.image(io.BytesIO(data), x=left, y=top, w=width, h=height, alt_text=alt_text)
        placement = Placement(pdf.page_no(), left, top, width, height)
        pdf.set_y(top + height + 1.5)
        if caption:
            pdf.set_font("helvetica", style="I", size=8.5)
            pdf.set_text_color(*MUTED)
            pdf.multi_cell(0, 4.2, pdf_text(caption), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        return placement

    def to_bytes(self) -> bytes:
        """The finished PDF."""
        if self._pending or self._pdf.page_no() == 0:
            self._place(0)
        return bytes(self._pdf.output())


def prepare_svg(svg: str) -> tuple[bytes, str, tuple[float, float]]:
    """SVG bytes for fpdf2, its title (alternative text) and its viewBox size.

    ``<title>`` and ``<desc>`` are removed (fpdf2 does not draw them and warns about each)
    and text is mapped to Latin-1.
    """
    root = ET.fromstring(svg)
    namespace = f"{{{SVG_NAMESPACE}}}"
    title = root.find(f"{namespace}title")
    alt_text = svg_text("".join(title.itertext())) if title is not None else ""
    for parent in root.iter():
        for child in list(parent):
            if child.tag in (f"{namespace}title", f"{namespace}desc"):
                parent.remove(child)
    for node in root.iter():
        node.tag = node.tag.removeprefix(namespace)  # written back plainly, xmlns below
        if node.text:
            node.text = svg_text(node.text)
        if node.tail:
            node.tail = svg_text(node.tail)
    box = root.get("viewBox", "").replace(",", " ").split()
    if len(box) != 4:
        raise ValueError("an SVG figure needs a viewBox")
    size = (float(box[2]), float(box[3]))
    root.set("xmlns", SVG_NAMESPACE)
    return ET.tostring(root), alt_text, size

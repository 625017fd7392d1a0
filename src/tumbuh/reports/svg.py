"""A small, safe SVG builder: elements as values, every text and attribute escaped.

Charts and maps are trees of :class:`Element`; :func:`render` turns a tree into markup.
Text nodes and attribute values are escaped here and nowhere else, so a kelurahan or
posyandu name such as ``Posyandu "Melati" <RW 03> & Co`` can never break the document or
inject markup into a web page. Characters that XML 1.0 forbids (control characters from a
pasted spreadsheet cell) are dropped.

The root element is sized by its ``viewBox`` only (no ``width``/``height``), so a page or
a PDF scales it; it carries ``role="img"`` with ``<title>`` and ``<desc>`` for screen
readers (W3C, *SVG Accessibility API Mappings*, section 5; WAI-ARIA ``img`` role).
"""

import hashlib
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
# Helvetica first: its widths are the ones `text_width` assumes, and Arial and Liberation
# Sans share them; the generic family is the last resort that exists everywhere.
FONT_FAMILY = "Helvetica, Arial, sans-serif"

Attribute = str | int | float | None

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9:._-]*$")
# Characters not allowed in XML 1.0 (section 2.2): C0 controls other than tab, LF and CR.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True, slots=True)
class Element:
    """One SVG element: tag, attributes (name, value) and children (elements or text)."""

    tag: str
    attributes: tuple[tuple[str, str], ...]
    children: tuple["Element | str", ...]


def element(tag: str, *children: "Element | str | None", **attributes: Attribute) -> Element:
    """An element; ``None`` children and attributes are left out.

    Attribute names are written the Python way and converted: ``stroke_width`` becomes
    ``stroke-width``, ``data_kode`` becomes ``data-kode``, a trailing underscore is
    dropped (``class_``). Numbers are written with at most two decimals.
    """
    if not _NAME.match(tag):
        raise ValueError(f"not an XML element name: {tag!r}")
    pairs = []
    for key, value in attributes.items():
        if value is None:
            continue
        name = key.rstrip("_").replace("_", "-")
        if not _NAME.match(name):
            raise ValueError(f"not an XML attribute name: {name!r}")
        pairs.append((name, value if isinstance(value, str) else number(value)))
    kept = tuple(child for child in children if child is not None)
    return Element(tag, tuple(pairs), kept)


def number(value: float) -> str:
    """``12.3456`` -> ``12.35``, ``3.0`` -> ``3``: short coordinates, never ``-0``."""
    if not math.isfinite(value):
        raise ValueError(f"cannot write {value!r} into SVG")
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def points(xy: Iterable[tuple[float, float]], *, places: int = 2) -> str:
    """The ``points`` attribute of a polyline or polygon (``places`` decimals at most)."""
    if places == 2:
        return " ".join(f"{number(x)},{number(y)}" for x, y in xy)
    return " ".join(f"{x:.{places}f},{y:.{places}f}" for x, y in xy)


def clean_text(text: str) -> str:
    """Text without the characters XML 1.0 forbids."""
    return _FORBIDDEN.sub("", text)


def _escape_text(text: str) -> str:
    text = clean_text(text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escape_attribute(text: str) -> str:
    return (
        _escape_text(text)
        .replace('"', "&quot;")
        .replace("\n", "&#10;")
        .replace("\r", "&#13;")
        .replace("\t", "&#9;")
    )


def render(root: Element) -> str:
    """Markup of ``root`` and its descendants (no XML declaration, no whitespace added)."""
    parts: list[str] = []
    _write(root, parts)
    return "".join(parts)


def _write(node: Element, parts: list[str]) -> None:
    parts.append("<" + node.tag)
    for name, value in node.attributes:
        parts.append(f' {name}="{_escape_attribute(value)}"')
    if not node.children:
        parts.append("/>")
        return
    parts.append(">")
    for child in node.children:
        if isinstance(child, str):
            parts.append(_escape_text(child))
        else:
            _write(child, parts)
    parts.append(f"</{node.tag}>")


def document(
    width: float,
    height: float,
    *,
    title: str,
    description: str,
    children: Iterable[Element | None],
    ident: str | None = None,
    class_name: str | None = None,
) -> str:
    """A complete, accessible ``<svg>`` of ``width`` x ``height`` user units.

    ``ident`` prefixes the ids of ``<title>`` and ``<desc>``; by default it is derived from
    the title and description, so the same chart always gets the same ids. Pass one when a
    page shows two charts with the same title.
    """
    prefix = ident or "svg-" + hashlib.sha1(f"{title}\n{description}".encode()).hexdigest()[:10]
    root = element(
        "svg",
        element("title", title, id=f"{prefix}-title"),
        element("desc", description, id=f"{prefix}-desc"),
        *children,
        xmlns=SVG_NAMESPACE,
        viewBox=f"0 0 {number(width)} {number(height)}",
        role="img",
        aria_labelledby=f"{prefix}-title {prefix}-desc",
        font_family=FONT_FAMILY,
        class_=class_name,
    )
    return render(root)


# Advance widths of Helvetica (Adobe's AFM for the PDF base-14 font, per 1000 units of
# the font size); the charts use them to reserve room for labels before drawing.
_WIDTHS = {
    char: int(width)
    for chars, widths in (
        (
            " !\"#$%&'()*+,-./0123456789:;<=>?@",
            "278 278 355 556 556 889 667 191 333 333 389 584 278 333 278 278"
            " 556 556 556 556 556 556 556 556 556 556 278 278 584 584 584 556 1015",
        ),
        (
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            "667 667 722 722 667 611 778 722 278 500 667 556 833"
            " 722 778 667 778 722 667 611 722 667 944 667 667 611",
        ),
        (
            "abcdefghijklmnopqrstuvwxyz",
            "556 556 500 556 556 278 556 556 222 222 500 222 833"
            " 556 556 556 556 333 500 278 556 500 722 500 500 500",
        ),
    )
    for char, width in zip(chars, widths.split(), strict=True)
}
_DEFAULT_WIDTH = 556


def text_width(text: str, font_size: float, *, bold: bool = False) -> float:
    """Approximate width of ``text`` in user units at ``font_size`` (Helvetica metrics).

    Bold Helvetica is about 6 % wider on average; characters outside ASCII count as a
    digit.
    """
    units = sum(_WIDTHS.get(char, _DEFAULT_WIDTH) for char in text)
    return units * font_size / 1000 * (1.06 if bold else 1.0)

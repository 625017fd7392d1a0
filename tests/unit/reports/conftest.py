"""Helpers for the report tests: parsing SVG, and the folder for example outputs."""

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

SVG = "{http://www.w3.org/2000/svg}"
REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """``artifacts/reports/`` (git-ignored): example SVG, PDF and PNG files to look at."""
    folder = REPO / "artifacts" / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def parse(svg: str) -> ET.Element:
    """The root of ``svg``; fails the test if the markup is not well-formed XML."""
    return ET.fromstring(svg)


def find_all(root: ET.Element, tag: str) -> list[ET.Element]:
    """Every descendant element with the SVG tag ``tag``."""
    return list(root.iter(SVG + tag))


def texts(root: ET.Element) -> list[str]:
    """The content of every ``<text>`` element, in document order."""
    return ["".join(node.itertext()) for node in find_all(root, "text")]


def with_class(root: ET.Element, tag: str, css_class: str) -> list[ET.Element]:
    """Elements ``tag`` whose class list contains ``css_class``."""
    return [e for e in find_all(root, tag) if css_class in (e.get("class") or "").split()]

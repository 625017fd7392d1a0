"""The generated documentation is current."""

import re
from pathlib import Path

from tumbuh.docs_cli import render

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_cli_reference_matches_the_commands_help() -> None:
    # Regenerate with `make docs-cli` after changing a command or its options.
    assert (DOCS / "cli.md").read_text(encoding="utf-8") == render()


ROOT = DOCS.parent
SCANNED = ("src", "docs", "tests", "benchmarks", "README.md")
# A document that is not in the repository: the notes the project began from.
OUTSIDE = re.compile(r"\.\./shared|(^|[^/a-z-])(DOMAIN|DATA-QUALITY)\.md|STYLE\.md")
# "docs/domain.md §5", "[domain.md](domain.md) §5 and §13", "docs/data-quality.md §0, §2".
SECTION_REFERENCE = re.compile(
    r"\b(domain|data-quality|style)\.md(?:\]\([a-z-]+\.md\))?\s+(§\d+(?:(?:,| and) §\d+)*)"
)


def project_texts() -> dict[Path, str]:
    """Every text file of the scanned folders, but this test (it names the patterns) and
    what installing or running builds there (``*.egg-info``, caches)."""
    paths = [ROOT / "README.md"]
    for folder in SCANNED[:-1]:
        paths += [path for path in (ROOT / folder).rglob("*") if path.is_file()]
    texts = {}
    for path in paths:
        built = any(part.endswith((".egg-info", "_cache", "__pycache__")) for part in path.parts)
        if built or path == Path(__file__).resolve():
            continue
        try:
            texts[path] = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # a binary file (a picture, a workbook)
    return texts


def test_no_file_points_at_a_document_outside_the_repository() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path, text in project_texts().items()
        for number, line in enumerate(text.splitlines(), start=1)
        if OUTSIDE.search(line)
    ]
    assert found == []


def sections(document: str) -> set[str]:
    text = (DOCS / f"{document}.md").read_text(encoding="utf-8")
    return set(re.findall(r"^## (\d+)\. ", text, flags=re.MULTILINE))


def test_every_section_reference_names_a_section_that_exists() -> None:
    known = {name: sections(name) for name in ("domain", "data-quality", "style")}
    references = [
        (path.relative_to(ROOT), match[1], number)
        for path, text in project_texts().items()
        for match in SECTION_REFERENCE.finditer(text)
        for number in re.findall(r"\d+", match[2])
    ]
    assert len(references) > 100  # the pattern still finds the references
    assert [ref for ref in references if ref[2] not in known[ref[1]]] == []

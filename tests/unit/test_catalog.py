"""Every text users can see has an Indonesian translation in the catalogs, and each
message one translation: the .po files are merged in memory in the order of their names
(:func:`tumbuh.i18n.translations`), so a message translated differently in two files
would show whichever file comes last, silently."""

import ast
import string
from collections import defaultdict
from importlib import resources
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import tumbuh
from tumbuh import case_labels, kitchen_labels
from tumbuh.growth.cases import STEP_TEMPLATES
from tumbuh.growth.kitchens import FIELD_TEMPLATES
from tumbuh.growth.problems import PROBLEM_SHORT_NAMES, PROBLEM_TEMPLATES
from tumbuh.i18n import Language, translations

SOURCE = Path(tumbuh.__file__).parent
# Calls whose first (literal) argument is a message id.
MESSAGE_CALLS = {
    "gettext",
    "_",
    "ngettext",
    "InputError",
    "ConfigError",
    "TumbuhError",
    "FieldError",
    "CatinFieldError",
}


def literal_message_ids() -> set[str]:
    found: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            first = node.args[0]
            if (
                name in MESSAGE_CALLS
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
            ):
                found.add(first.value)
    return found


CASE_LABELS = (
    case_labels.PROBLEM_NAMES,
    case_labels.STATUS_NAMES,
    case_labels.INTERVENTION_NAMES,
    case_labels.OUTCOME_NAMES,
    case_labels.STEP_FIELD_NAMES,
    STEP_TEMPLATES,
)
KITCHEN_LABELS = (
    kitchen_labels.KIND_NAMES,
    kitchen_labels.OPERATOR_NAMES,
    kitchen_labels.FUNDING_NAMES,
    kitchen_labels.EXIT_NAMES,
    kitchen_labels.INDICATION_NAMES,
    kitchen_labels.WEEKDAY_NAMES,
    kitchen_labels.FIELD_NAMES,
    FIELD_TEMPLATES,
)
# Names of programmes, funds and teams: the same words in both languages.
PROPER_NAMES = {
    "APBD",
    "Baznas",
    "Bapak Asuh Anak Stunting",
    "DAK non-fisik",
    "DASHAT (Dapur Sehat Atasi Stunting)",
    "Dapur Stunting KAMUS",
    "Dapur Umum PKK",
    "Kelurahan",
    "Pokja Kampung KB",
    "TP PKK",
}
MESSAGE_IDS = sorted(
    literal_message_ids()
    | set(PROBLEM_TEMPLATES.values())
    | set(PROBLEM_SHORT_NAMES.values())
    | {str(name) for labels in CASE_LABELS for name in labels.values()}
    | {str(name) for labels in KITCHEN_LABELS for name in labels.values()} - PROPER_NAMES
)


@pytest.mark.parametrize("message_id", MESSAGE_IDS)
def test_message_has_an_indonesian_translation(message_id: str) -> None:
    translated = translations(Language.ID).gettext(message_id)
    assert translated != message_id, f"no Indonesian translation for {message_id!r}"


@pytest.mark.parametrize("message_id", MESSAGE_IDS)
def test_translation_keeps_the_placeholders(message_id: str) -> None:
    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    assert fields(translations(Language.ID).gettext(message_id)) == fields(message_id)


def _translations_by_message() -> dict[str, dict[str, str]]:
    folder = resources.files("tumbuh").joinpath(f"locale/{Language.ID.value}/LC_MESSAGES")
    found: dict[str, dict[str, str]] = defaultdict(dict)
    for po_file in sorted(folder.iterdir(), key=lambda f: f.name):
        if po_file.name.endswith(".po"):
            with po_file.open("rb") as handle:
                for message in read_po(handle, locale=Language.ID.value):
                    if message.id and message.string:
                        found[str(message.id)][po_file.name] = str(message.string)
    return found


def test_the_catalog_has_messages() -> None:
    assert len(_translations_by_message()) > 500


def test_no_message_is_translated_two_ways() -> None:
    twice = {
        message: files
        for message, files in _translations_by_message().items()
        if len(set(files.values())) > 1
    }
    assert twice == {}

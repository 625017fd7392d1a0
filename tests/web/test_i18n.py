"""Every text of the web templates and pages has an Indonesian translation, placeholders
kept."""

import string
from pathlib import Path

import pytest
from jinja2.ext import babel_extract

import tumbuh.web
from tumbuh.i18n import Language, translations
from tumbuh.ingest.messages import SLIP_FORM_MESSAGES
from tumbuh.labels import FLOW_DEFINITIONS, REASON_NAMES
from tumbuh.web.children.lists import SEARCH_PROBLEMS

TEMPLATES = Path(tumbuh.web.__file__).parent / "templates"


def template_message_ids() -> set[str]:
    found: set[str] = set()
    for path in sorted(TEMPLATES.glob("*.html")):
        with path.open("rb") as handle:
            for _line, _function, message, _comments in babel_extract(
                handle, ("_", "gettext"), [], {"extensions": "jinja2.ext.i18n"}
            ):
                if isinstance(message, str):
                    found.add(message)
    return found


PROGRAMME_CODES = {"T", "2T", "BGM"}  # the same in every language
PAGE_MESSAGES = (
    set(REASON_NAMES.values()) - PROGRAMME_CODES
    | set(FLOW_DEFINITIONS.values())
    | set(SEARCH_PROBLEMS)
)
MESSAGE_IDS = sorted(template_message_ids() | set(SLIP_FORM_MESSAGES.values()) | PAGE_MESSAGES)


def test_templates_have_messages_to_check() -> None:
    assert len(MESSAGE_IDS) > 100


@pytest.mark.parametrize("message_id", MESSAGE_IDS)
def test_template_text_has_an_indonesian_translation(message_id: str) -> None:
    assert translations(Language.ID).gettext(message_id) != message_id or message_id in {
        "Semester",
        "Target",
        "kecamatan",
        "kelurahan",
        # the programme's own words, written the same in Indonesian (8 aksi, lokus)
        "Aksi",
        "Aksi {year}",
        "Lokus",
        "Status",
    }


@pytest.mark.parametrize("message_id", MESSAGE_IDS)
def test_translation_keeps_the_placeholders(message_id: str) -> None:
    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    assert fields(translations(Language.ID).gettext(message_id)) == fields(message_id)

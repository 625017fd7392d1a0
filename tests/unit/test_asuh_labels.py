"""Every Bapak Asuh label and field name users see has an Indonesian translation with the
same placeholders (programme words that are the same in both languages excepted)."""

import pytest

from tumbuh.asuh_labels import ALL_LABELS, AUDIT_ENTITY_NAMES
from tumbuh.i18n import Language, translations
from tumbuh.usecases.asuh_input import FIELD_NAMES

SAME_IN_BOTH = {"Polres", "Kodim", "Kemenag", "Baznas", "Bapak asuh", "Kelurahan", "Asuhan"}
LABELS = sorted(
    {str(v) for labels in ALL_LABELS for v in labels.values()}
    | set(FIELD_NAMES.values())
    | set(AUDIT_ENTITY_NAMES.values())
)


@pytest.mark.parametrize("message_id", LABELS)
def test_label_has_an_indonesian_translation(message_id: str) -> None:
    translated = translations(Language.ID).gettext(message_id)
    assert translated != message_id or message_id in SAME_IN_BOTH
    assert translated.strip()

"""The labels of Bapak Asuh users see (docs/asuh.md): kinds of sponsor, pledge, channel,
asuhan and recipient, as English message ids (the Indonesian text is in the catalog
``asuh.po``). Kept beside :mod:`tumbuh.labels` for size, like :mod:`tumbuh.case_labels`."""

from tumbuh.growth.asuh import AsuhanKind, Channel, PledgeKind, RecipientKind, SponsorKind

SPONSOR_KIND_NAMES: dict[SponsorKind, str] = {
    SponsorKind.OFFICIAL: "Official (with the OPD)",
    SponsorKind.POLRES: "Polres",
    SponsorKind.KODIM: "Kodim",
    SponsorKind.KEMENAG: "Kemenag",
    SponsorKind.BAZNAS: "Baznas",
    SponsorKind.COMPANY: "Company (CSR)",
    SponsorKind.INSTITUTION: "Other institution",
    SponsorKind.PERSON: "Person",
}
PLEDGE_KIND_NAMES: dict[PledgeKind, str] = {
    PledgeKind.MONEY: "Money a month",
    PledgeKind.IN_KIND: "Help in kind",
}
CHANNEL_NAMES: dict[Channel, str] = {
    Channel.BAZNAS: "Through Baznas",
    Channel.DIRECT: "Handed over directly",
    Channel.OTHER: "Other channel",
}
ASUHAN_KIND_NAMES: dict[AsuhanKind, str] = {
    AsuhanKind.PRIORITAS: "Asuhan prioritas (food)",
    AsuhanKind.PENDAMPING: "Asuhan pendamping (counselling, help to earn)",
}
RECIPIENT_NAMES: dict[RecipientKind, str] = {
    RecipientKind.KITCHEN: "Kitchen (dapur umum)",
    RecipientKind.FAMILY: "Family packages",
}
# The audit log's names of Bapak Asuh records (entity -> message id).
AUDIT_ENTITY_NAMES: dict[str, str] = {
    "asuh_sponsor": "sponsor",
    "asuh_pledge": "pledge",
    "asuh_payment": "payment",
    "asuh_disbursement": "disbursement",
    "asuhan": "sponsorship",
    "asuh_delivery": "delivery",
}
ALL_LABELS = (
    SPONSOR_KIND_NAMES,
    PLEDGE_KIND_NAMES,
    CHANNEL_NAMES,
    ASUHAN_KIND_NAMES,
    RECIPIENT_NAMES,
)

"""Bapak Asuh on the web: the TPPS pages (sponsors, money, proposals, asuhan,
deliveries), the sponsor's own page, the public page and the API (docs/asuh.md)."""

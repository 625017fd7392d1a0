"""The Audit Kasus Stunting's pages (docs/aks.md)."""

"""The catin pages and API (docs/catin.md)."""

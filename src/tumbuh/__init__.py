"""Tumbuh: stunting-reduction work for an Indonesian city or regency."""

__version__ = "0.1.0.dev0"

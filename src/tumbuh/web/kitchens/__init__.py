"""Kitchens of PMT lokal: their pages, their serving log and their API (docs/kitchens.md)."""

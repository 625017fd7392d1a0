"""The intervention indicators' page, its .xlsx, the form for hand-entered figures and
the API (docs/indicators.md)."""

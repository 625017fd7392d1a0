"""The TPPS's partners, their actions and the meetings that agree them (docs/tpps.md)."""

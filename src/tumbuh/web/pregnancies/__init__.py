"""The bidan's pages: pregnancies, their visits and births (docs/pregnancies.md)."""

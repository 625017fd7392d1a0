"""Reading users' files: tables, headers and values as people type them."""

"""The registry database: models, engine, migrations and repositories (docs/data-model.md).

ORM objects stay inside this package; callers get frozen dataclasses or NumPy arrays.
"""

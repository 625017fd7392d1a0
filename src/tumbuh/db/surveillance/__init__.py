"""Surveillance from the database: trends, cohort flows, referrals, SKDN and coverage.

Each module reads what it needs with one or two aggregate queries and leaves the
arithmetic to the pure core (:mod:`tumbuh.growth`); the results are frozen dataclasses
that the web application and the ``tumbuh report`` commands share. Definitions and
sources: docs/surveillance.md.
"""

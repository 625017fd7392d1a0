"""Figures of areas: the dashboards, maps, referral lists, cohort flows and their API."""

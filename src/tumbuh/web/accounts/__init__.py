"""Accounts: signing in and out, the user pages, the audit log and the demo users."""

"""One demo user per role, for ``make demo`` and the browser tests (synthetic people).

The password is printed by ``tumbuh demo setup`` and documented in docs/web.md: these
accounts exist only in demo databases, never create them in a real installation. The
accounts are made by :func:`tumbuh.usecases.users.ensure_demo_users`; this module keeps
the names the tests import.
"""

from tumbuh.usecases.users import DEMO_PASSWORD, ensure_demo_users

__all__ = ["DEMO_PASSWORD", "ensure_demo_users"]

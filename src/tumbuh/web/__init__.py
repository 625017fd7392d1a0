"""The web application: FastAPI pages and JSON API over the registry (docs/web.md).

``create_app(settings)`` builds it (nothing happens at import time); ``tumbuh serve``
runs it with uvicorn. Every query goes through the user's :class:`~tumbuh.usecases.access.Scope`.
"""

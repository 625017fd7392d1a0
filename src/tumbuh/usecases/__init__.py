"""The use cases: everything a user or a command asks Tumbuh to do, in one layer.

The adapters (:mod:`tumbuh.web`, :mod:`tumbuh.cli`) parse a request or a command line,
call one function here and render what it returns. A use case opens the transaction,
applies the user's :class:`~tumbuh.usecases.access.Scope` to every read and write, calls
the rules of :mod:`tumbuh.growth` and the persistence of :mod:`tumbuh.db`, and returns
plain data (dataclasses, numbers, strings) that :mod:`tumbuh.reports` and the templates
draw from. docs/architecture.md shows the layers and which way imports go.
"""

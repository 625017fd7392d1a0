"""The records of the first 1,000 days as rows: read, added, changed (issue 15,
docs/data-model.md "The first 1,000 days").

Persistence only, one module per record: :mod:`.pregnancies` (a pregnancy's
registration and end, its ANC and post-partum visits), :mod:`.child_months` (a child's
month: breastfeeding, MP-ASI, vitamin A, KPSP; the day basic immunisation was complete),
:mod:`.catin` (brides and grooms to be) and :mod:`.tpk_visits` (TPK visits to a family).
Queries take explicit filters (the kelurahan codes a use case allows) and know nothing of
roles; rows come back as frozen dataclasses. The rules that judge these records live in
:mod:`tumbuh.growth`; transactions and scope in the use cases.

A refusal that names a record (a second visit on one day, a NIK another catin has) is
its own exception, raised inside a savepoint so the caller's transaction goes on, and
its message names no value: personal data never reaches an error or a log.
"""

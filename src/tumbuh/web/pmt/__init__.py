"""PMT lokal: the eligibility list, enrolment, an episode, the register and their API
(docs/pmt.md)."""

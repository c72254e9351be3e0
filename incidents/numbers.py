"""The largest numbers the database holds: an id (a 64-bit integer), and a count or a version (a
positive 32-bit integer on PostgreSQL). A larger number in a form or an API body is refused as too
large, naming its field, before the database is asked; in an address it is no such page."""

from __future__ import annotations

ID_MAX = 2**63 - 1
NUMBER_MAX = 2**31 - 1

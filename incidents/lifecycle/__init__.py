"""The incident lifecycle: the conditions of its transitions (guards), the steps with their one
table and how a step is taken (steps), and the incident's story as its page tells it (timeline)."""

"""Forms of the incident pages; they check input's shape, the services decide what it means."""

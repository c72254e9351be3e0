"""Services: one function per act, each in one transaction with its audit event."""

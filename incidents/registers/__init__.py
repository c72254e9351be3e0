"""Registers (records of processing): the classes of their data items (classification), the acts
on them (services) and their forms (forms). The importer reads statements into them."""

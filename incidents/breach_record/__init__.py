"""The breach record (GDPR Art. 33(5)): every incident, dismissed and not-notified ones included,
with its facts, effects, remedial action and the decisions with their reasons.

``selectors`` reads it (with its filters), ``forms`` holds the filters as the page and the API take
them, ``entries`` says what the record shows of one incident, ``docx_export`` and ``csv_export``
write it as a Word table and as a spreadsheet, and ``export`` is the act of exporting it, audited.

In the product it is the *breach record*, never a "register": a register is a record of processing.
"""

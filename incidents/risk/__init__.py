"""The risk method: the ENISA severity as pure functions (scoring), the assessment of an incident
with its reasons in words (method)."""

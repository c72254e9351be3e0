"""The REST API: intake from a SIEM or ticketing system, the lifecycle, and the clocks.

Views here validate the request and call the services; they never change state themselves.
"""

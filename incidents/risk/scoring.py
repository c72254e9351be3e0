"""The ENISA severity of a personal-data breach, as pure functions (design, "Risk assessment").

ENISA, Recommendations for a methodology of the assessment of severity of personal data breaches
(2013): SE = DPC × EI + CB. DPC (data processing context, 1..4) starts from the most revealing
class of data affected and moves by whole steps, each with its reason; EI (ease of
identification) is 0.25..1; CB (circumstances of the breach) adds 0.25 or 0.5 for each of
confidentiality, integrity and availability and 0.5 for malicious intent. Every number here is a
multiple of 0.25, so it is exact in binary floating point and a band boundary is never missed by
rounding.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

DPC_MIN, DPC_MAX = 1, 4


class Identification(StrEnum):
    """EI: how easily the people can be identified from the data affected."""

    NEGLIGIBLE = "negligible"
    LIMITED = "limited"
    SIGNIFICANT = "significant"
    MAXIMUM = "maximum"


class Confidentiality(StrEnum):
    NONE = "none"
    KNOWN_RECIPIENTS = "known_recipients"
    UNKNOWN_RECIPIENTS = "unknown_recipients"  # or made public


class Integrity(StrEnum):
    NONE = "none"
    RECOVERABLE = "recoverable"
    NOT_RECOVERABLE = "not_recoverable"


class Availability(StrEnum):
    NONE = "none"
    TEMPORARY = "temporary"
    PERMANENT = "permanent"


class Band(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    VERY_HIGH = "very_high"


class Proposal(StrEnum):
    """The answers of the DPO's decision (the values of RiskDecision)."""

    UNLIKELY = "unlikely"
    RISK = "risk"
    HIGH = "high"


EI_SCORES = {
    Identification.NEGLIGIBLE: 0.25,
    Identification.LIMITED: 0.5,
    Identification.SIGNIFICANT: 0.75,
    Identification.MAXIMUM: 1.0,
}
CONFIDENTIALITY_SCORES = {
    Confidentiality.NONE: 0.0,
    Confidentiality.KNOWN_RECIPIENTS: 0.25,
    Confidentiality.UNKNOWN_RECIPIENTS: 0.5,
}
INTEGRITY_SCORES = {Integrity.NONE: 0.0, Integrity.RECOVERABLE: 0.25, Integrity.NOT_RECOVERABLE: 0.5}
AVAILABILITY_SCORES = {Availability.NONE: 0.0, Availability.TEMPORARY: 0.25, Availability.PERMANENT: 0.5}
MALICIOUS_SCORE = 0.5
# Art. 34(3): (a) unintelligible data, (b) later measures removed the high risk, (c) disproportionate
# effort (a public communication instead). Offered whenever the proposal is a high risk.
ART34_EXCEPTIONS = ("a", "b", "c")


@dataclass(frozen=True)
class Adjustment:
    """A whole step up (+1) or down (-1) of the DPC, with the reason for it."""

    step: int
    reason: str


@dataclass(frozen=True)
class Circumstances:
    confidentiality: Confidentiality
    integrity: Integrity
    availability: Availability
    malicious: bool


def dpc_adjusted(base: int, adjustments: Sequence[Adjustment]) -> int:
    """The base class moved by each adjustment in turn, kept within 1..4 at every step: two steps
    down from 1 stay at 1, and a later step up then gives 2."""
    dpc = min(max(base, DPC_MIN), DPC_MAX)
    for adjustment in adjustments:
        if adjustment.step not in (1, -1):
            raise ValueError("a DPC adjustment is one whole step, +1 or -1")
        dpc = min(max(dpc + adjustment.step, DPC_MIN), DPC_MAX)
    return dpc


def cb_score(circumstances: Circumstances) -> float:
    return (
        CONFIDENTIALITY_SCORES[circumstances.confidentiality]
        + INTEGRITY_SCORES[circumstances.integrity]
        + AVAILABILITY_SCORES[circumstances.availability]
        + (MALICIOUS_SCORE if circumstances.malicious else 0.0)
    )


def severity(dpc: int, ei: Identification, cb: float) -> float:
    """SE = DPC × EI + CB."""
    return dpc * EI_SCORES[ei] + cb


def band(score: float) -> Band:
    """Low below 2, medium from 2 to below 3, high from 3 to below 4, very high from 4."""
    if score < 2:
        return Band.LOW
    if score < 3:
        return Band.MEDIUM
    if score < 4:
        return Band.HIGH
    return Band.VERY_HIGH


BAND_PROPOSALS = {
    Band.LOW: Proposal.UNLIKELY,
    Band.MEDIUM: Proposal.RISK,
    Band.HIGH: Proposal.HIGH,
    Band.VERY_HIGH: Proposal.HIGH,
}


def proposal(score_band: Band, *, floor_reasons: Sequence[str]) -> Proposal:
    """The band's proposal, raised to at least "risk" when the data or the people call for it
    (special categories, criminal data, henkilötunnus, children or other vulnerable people)."""
    proposed = BAND_PROPOSALS[score_band]
    if floor_reasons and proposed == Proposal.UNLIKELY:
        return Proposal.RISK
    return proposed

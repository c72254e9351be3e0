"""The ENISA scoring as pure functions: the bands at their boundaries, every combination of the
circumstances, and the DPC kept within 1..4."""

from __future__ import annotations

import itertools

import pytest

from incidents.risk.scoring import (
    Adjustment,
    Availability,
    Band,
    Circumstances,
    Confidentiality,
    Identification,
    Integrity,
    Proposal,
    band,
    cb_score,
    dpc_adjusted,
    proposal,
    severity,
)


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (0.25, Band.LOW),
        (1.99, Band.LOW),
        (2, Band.MEDIUM),
        (2.99, Band.MEDIUM),
        (3, Band.HIGH),
        (3.99, Band.HIGH),
        (4, Band.VERY_HIGH),
        (5.5, Band.VERY_HIGH),
    ],
)
def test_the_bands_change_exactly_at_2_3_and_4(score: float, expected: Band) -> None:
    assert band(score) == expected


@pytest.mark.parametrize(
    ("score_band", "expected"),
    [
        (Band.LOW, Proposal.UNLIKELY),
        (Band.MEDIUM, Proposal.RISK),
        (Band.HIGH, Proposal.HIGH),
        (Band.VERY_HIGH, Proposal.HIGH),
    ],
)
def test_each_band_proposes_its_answer(score_band: Band, expected: Proposal) -> None:
    assert proposal(score_band, floor_reasons=()) == expected


def test_a_floor_raises_only_an_unlikely_proposal_to_a_risk() -> None:
    floors = ["Personal identity codes (henkilötunnus) were affected."]
    assert proposal(Band.LOW, floor_reasons=floors) == Proposal.RISK
    assert proposal(Band.MEDIUM, floor_reasons=floors) == Proposal.RISK
    assert proposal(Band.HIGH, floor_reasons=floors) == Proposal.HIGH


CONFIDENTIALITY = {
    Confidentiality.NONE: 0,
    Confidentiality.KNOWN_RECIPIENTS: 0.25,
    Confidentiality.UNKNOWN_RECIPIENTS: 0.5,
}
INTEGRITY = {Integrity.NONE: 0, Integrity.RECOVERABLE: 0.25, Integrity.NOT_RECOVERABLE: 0.5}
AVAILABILITY = {Availability.NONE: 0, Availability.TEMPORARY: 0.25, Availability.PERMANENT: 0.5}


@pytest.mark.parametrize(
    ("confidentiality", "integrity", "availability", "malicious"),
    list(itertools.product(CONFIDENTIALITY, INTEGRITY, AVAILABILITY, (False, True))),
)
def test_every_combination_of_the_circumstances_adds_up(
    confidentiality: Confidentiality, integrity: Integrity, availability: Availability, malicious: bool
) -> None:
    expected = CONFIDENTIALITY[confidentiality] + INTEGRITY[integrity] + AVAILABILITY[availability]
    expected += 0.5 if malicious else 0
    assert cb_score(Circumstances(confidentiality, integrity, availability, malicious)) == expected


def test_the_whole_circumstances_range_from_0_to_2() -> None:
    assert cb_score(Circumstances(Confidentiality.NONE, Integrity.NONE, Availability.NONE, False)) == 0
    worst = Circumstances(
        Confidentiality.UNKNOWN_RECIPIENTS, Integrity.NOT_RECOVERABLE, Availability.PERMANENT, True
    )
    assert cb_score(worst) == 2


@pytest.mark.parametrize(
    ("base", "steps", "expected"),
    [
        (4, [1], 4),  # already the highest: kept at 4
        (1, [-1], 1),  # already the lowest: kept at 1
        (1, [-1, -1, 1], 2),  # kept at 1 at each step, then one up
        (2, [1, 1, 1], 4),
        (3, [-1, -1], 1),
        (2, [], 2),
    ],
)
def test_the_dpc_moves_by_whole_steps_and_stays_within_1_to_4(
    base: int, steps: list[int], expected: int
) -> None:
    assert dpc_adjusted(base, [Adjustment(step, "reason") for step in steps]) == expected


def test_an_adjustment_of_more_than_one_step_is_refused() -> None:
    with pytest.raises(ValueError, match="one whole step"):
        dpc_adjusted(2, [Adjustment(2, "volume")])


@pytest.mark.parametrize(
    ("ei", "expected"),
    [
        (Identification.NEGLIGIBLE, 4 * 0.25 + 0.5),
        (Identification.LIMITED, 4 * 0.5 + 0.5),
        (Identification.SIGNIFICANT, 4 * 0.75 + 0.5),
        (Identification.MAXIMUM, 4 * 1 + 0.5),
    ],
)
def test_severity_is_dpc_times_ei_plus_cb(ei: Identification, expected: float) -> None:
    assert severity(4, ei, 0.5) == expected

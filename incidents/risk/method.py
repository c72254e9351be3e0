"""The assessment of one incident by the ENISA method, with every number explained in words.

Pure: it takes the affected data items and the assessor's answers, and gives the numbers, the
band, the proposal, the Art. 34(3) exceptions to weigh and the reasons, in the active language.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from incidents.numbers import decimal_text
from incidents.registers.classification import DATA_CLASS_LABELS, DataClass
from incidents.risk.scoring import (
    ART34_EXCEPTIONS,
    AVAILABILITY_SCORES,
    CONFIDENTIALITY_SCORES,
    EI_SCORES,
    INTEGRITY_SCORES,
    MALICIOUS_SCORE,
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

# A person's name, not a product's (tuotenimi) or a title (nimike); first and last names too.
NAME = re.compile(
    r"(?<![a-zåäö])(nimi|nimet)\b|etunimi|sukunimi|förnamn|efternamn|\bnamn|\bname|surname", re.IGNORECASE
)
# Contact details; an IP address (IP-osoite, IP-adress) is not one.
CONTACT = re.compile(
    r"(?<!ip-)osoite|puhelin|sähköposti|(?<!ip-)adress|telefon|e-post|(?<!ip )address|phone|e-?mail",
    re.IGNORECASE,
)
BIRTH = re.compile(r"syntymä|födelse|birth", re.IGNORECASE)


@dataclass(frozen=True)
class AffectedItem:
    """A data item of an affected register that was involved, as the register classes it."""

    text: str
    data_class: DataClass
    special_category: bool = False
    henkilotunnus: bool = False


@dataclass(frozen=True)
class Answers:
    """The assessor's answers: the API's names, one for one."""

    dpc_adjustments: Sequence[Adjustment]
    ease_of_identification: Identification
    confidentiality: Confidentiality
    integrity: Integrity
    availability: Availability
    malicious: bool
    vulnerable_subjects: bool


@dataclass(frozen=True)
class Result:
    dpc_base: int
    dpc: int
    ei: float
    cb: float
    score: float
    band: Band
    proposal: Proposal
    art34_exceptions: tuple[str, ...]
    reasons: list[str]


def dpc_base(items: Sequence[AffectedItem]) -> int:
    """The most revealing class among the affected items; simple (1) if none is named yet."""
    return max((int(item.data_class) for item in items), default=int(DataClass.SIMPLE))


def identification_suggested(items: Sequence[AffectedItem]) -> tuple[Identification, str]:
    """The EI the form suggests from the affected items, with the sentence that says why."""
    texts = [item.text for item in items]
    if any(item.henkilotunnus for item in items):
        return Identification.MAXIMUM, _(
            "A personal identity code identifies the person directly: EI maximum."
        )
    named = any(NAME.search(text) for text in texts)
    if named and any(CONTACT.search(text) or BIRTH.search(text) for text in texts):
        return Identification.MAXIMUM, _(
            "A name with contact details or a date of birth identifies the person: EI maximum."
        )
    if named:
        return Identification.SIGNIFICANT, _(
            "A name alone may fit several people, but usually identifies one: EI significant."
        )
    if any(CONTACT.search(text) for text in texts):
        return Identification.SIGNIFICANT, _(
            "Contact details such as an e-mail address often lead to the person: EI significant."
        )
    return Identification.LIMITED, _(
        "Nothing affected names the person; identifying them takes other data: EI limited."
    )


def floor_reasons(items: Sequence[AffectedItem], *, vulnerable_subjects: bool) -> list[str]:
    """Why the proposal is at least "risk", whatever the score: the data or the people."""
    reasons = []
    if any(item.special_category for item in items):
        reasons.append(_("Special categories of personal data or criminal data (Art. 9-10) were affected."))
    if any(item.henkilotunnus for item in items):
        reasons.append(_("Personal identity codes (henkilötunnus) were affected."))
    if vulnerable_subjects:
        reasons.append(_("Children or other vulnerable people are among the data subjects."))
    return reasons


def _ei_label(ei: Identification) -> str:
    return {
        Identification.NEGLIGIBLE: _("negligible"),
        Identification.LIMITED: _("limited"),
        Identification.SIGNIFICANT: _("significant"),
        Identification.MAXIMUM: _("maximum"),
    }[ei]


def _band_label(value: Band) -> str:
    return {
        Band.LOW: _("low"),
        Band.MEDIUM: _("medium"),
        Band.HIGH: _("high"),
        Band.VERY_HIGH: _("very high"),
    }[value]


def _circumstance_reasons(answers: Answers) -> list[str]:
    reasons = []
    confidentiality = {
        Confidentiality.KNOWN_RECIPIENTS: _("disclosed to known recipients"),
        Confidentiality.UNKNOWN_RECIPIENTS: _("disclosed to unknown recipients or made public"),
    }
    integrity = {
        Integrity.RECOVERABLE: _("altered, but recoverable"),
        Integrity.NOT_RECOVERABLE: _("altered and not recoverable"),
    }
    availability = {
        Availability.TEMPORARY: _("temporarily unavailable"),
        Availability.PERMANENT: _("lost for good"),
    }
    if answers.confidentiality in confidentiality:
        score = CONFIDENTIALITY_SCORES[answers.confidentiality]
        reasons.append(
            _("Confidentiality: %(what)s → +%(score)s")
            % {"what": confidentiality[answers.confidentiality], "score": decimal_text(score)}
        )
    if answers.integrity in integrity:
        score = INTEGRITY_SCORES[answers.integrity]
        reasons.append(
            _("Integrity: %(what)s → +%(score)s")
            % {"what": integrity[answers.integrity], "score": decimal_text(score)}
        )
    if answers.availability in availability:
        score = AVAILABILITY_SCORES[answers.availability]
        reasons.append(
            _("Availability: %(what)s → +%(score)s")
            % {"what": availability[answers.availability], "score": decimal_text(score)}
        )
    if answers.malicious:
        reasons.append(_("Malicious intent → +%(score)s") % {"score": decimal_text(MALICIOUS_SCORE)})
    if not reasons:
        reasons.append(_("No circumstance adds to the score: CB 0."))
    return reasons


def _data_reason(items: Sequence[AffectedItem], base: int) -> str:
    decisive = list(dict.fromkeys(item.text for item in items if int(item.data_class) == base))
    label = str(DATA_CLASS_LABELS[DataClass(base)])
    if not decisive:
        return _("No affected data items named yet: %(label)s → DPC %(dpc)d") % {"label": label, "dpc": base}
    return _("%(items)s: %(label)s → DPC %(dpc)d") % {
        "items": ", ".join(decisive),
        "label": label,
        "dpc": base,
    }


def _proposal_reason(proposed: Proposal) -> str:
    return {
        Proposal.UNLIKELY: _(
            "Proposal: the breach is unlikely to result in a risk; document it (Art. 33(5)), no notification."
        ),
        Proposal.RISK: _("Proposal: a risk; notify the supervisory authority within 72 hours (Art. 33)."),
        Proposal.HIGH: _(
            "Proposal: a high risk; notify the supervisory authority (Art. 33) and tell the data subjects "
            "without undue delay (Art. 34)."
        ),
    }[proposed]


def assess(items: Sequence[AffectedItem], answers: Answers) -> Result:
    """The numbers of the method and the reasons for each, in the active language."""
    base = dpc_base(items)
    dpc = dpc_adjusted(base, answers.dpc_adjustments)
    ei = EI_SCORES[answers.ease_of_identification]
    circumstances = Circumstances(
        answers.confidentiality, answers.integrity, answers.availability, answers.malicious
    )
    cb = cb_score(circumstances)
    score = severity(dpc, answers.ease_of_identification, cb)
    score_band = band(score)
    floors = floor_reasons(items, vulnerable_subjects=answers.vulnerable_subjects)
    proposed = proposal(score_band, floor_reasons=floors)

    reasons = [_data_reason(items, base)]
    running = base
    for adjustment in answers.dpc_adjustments:
        moved = dpc_adjusted(running, [adjustment])
        sign = "+1" if adjustment.step > 0 else "-1"
        if moved == running:
            reasons.append(
                _("%(reason)s: DPC %(sign)s, kept within 1 to 4 → DPC %(dpc)d")
                % {"reason": adjustment.reason, "sign": sign, "dpc": moved}
            )
        else:
            reasons.append(
                _("%(reason)s: DPC %(sign)s → DPC %(dpc)d")
                % {"reason": adjustment.reason, "sign": sign, "dpc": moved}
            )
        running = moved
    reasons.append(
        _("Ease of identification %(level)s → EI %(ei)s")
        % {"level": _ei_label(answers.ease_of_identification), "ei": decimal_text(ei)}
    )
    reasons += _circumstance_reasons(answers)
    reasons.append(
        _("SE = DPC × EI + CB = %(dpc)d × %(ei)s + %(cb)s = %(score)s: severity %(band)s")
        % {
            "dpc": dpc,
            "ei": decimal_text(ei),
            "cb": decimal_text(cb),
            "score": decimal_text(score),
            "band": _band_label(score_band),
        }
    )
    if floors and proposal(score_band, floor_reasons=()) == Proposal.UNLIKELY:
        reasons += [
            _("%(reason)s The proposal is at least a risk.") % {"reason": reason} for reason in floors
        ]
    reasons.append(_proposal_reason(proposed))
    exceptions: tuple[str, ...] = ()
    if proposed == Proposal.HIGH:
        exceptions = ART34_EXCEPTIONS
        reasons.append(
            _(
                "Art. 34(3) exceptions to weigh: (a) the data is unintelligible to anyone not authorised "
                "(state-of-the-art encryption, key not compromised); (b) measures taken since remove the "
                "high risk; the Finnish supervisory authority holds that a high risk that has already "
                "materialised is still communicated; (c) telling each person would take disproportionate "
                "effort, and a public communication is made instead."
            )
        )
    return Result(
        dpc_base=base,
        dpc=dpc,
        ei=ei,
        cb=cb,
        score=score,
        band=score_band,
        proposal=proposed,
        art34_exceptions=exceptions,
        reasons=reasons,
    )

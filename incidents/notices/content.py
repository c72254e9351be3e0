"""What a notice says: its blocks of labelled facts and paragraphs, built from the incident, its
registers, assessment, decision and organisation, and from the notice's free-text sections, in the
notice's language. The document (notices.document) only lays these out.

Each audience has the contents the design gives it ("Notices"): the supervisory authority every item
of Art. 33(3); data subjects what Art. 34(2) asks in plain words and advice chosen from their data;
a controller customer what it needs to meet its own 72 hours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from incidents.choices import CauseIntent, CauseOrigin, NoticeAudience, NoticePhase, RiskDecision
from incidents.clocks.display import local_moment
from incidents.numbers import decimal_text
from incidents.registers.classification import DataClass
from incidents.risk.method import CONTACT

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from incidents.models import Assessment, Incident, IncidentRegister, Notice, Obligation


@dataclass(frozen=True)
class Block:
    """One section of a notice: a heading, then labelled facts (a table) and/or paragraphs."""

    heading: str
    rows: tuple[tuple[str, str], ...] = ()
    paragraphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Content:
    title: str
    language: str
    blocks: tuple[Block, ...]
    annex: Content | None = None  # the sensitive details, sent separately (authority notices)


@dataclass(frozen=True)
class Section:
    """A free-text section of a notice: its key (the API's name), label and starting text."""

    key: str
    label: StrOrPromise
    help_text: StrOrPromise = ""
    rows: int = 4


# The free-text sections each audience's notice has, in the order the notice shows them.
SECTIONS: dict[str, tuple[Section, ...]] = {
    NoticeAudience.AUTHORITY: (
        Section(
            "contact", gettext_lazy("Contact for this notice"), gettext_lazy("Name, phone and e-mail."), 2
        ),
        Section("description", gettext_lazy("What happened")),
        Section("cause", gettext_lazy("Cause"), rows=2),
        Section("consequences", gettext_lazy("Likely consequences")),
        Section("measures_taken", gettext_lazy("Measures taken, including mitigation")),
        Section("measures_proposed", gettext_lazy("Measures proposed")),
        Section("communication", gettext_lazy("Communication to data subjects"), rows=2),
        Section(
            "other_authorities",
            gettext_lazy("Other authorities informed"),
            gettext_lazy("E.g. NCSC-FI (Traficom), the police, with the date and any case number."),
            2,
        ),
        Section(
            "delay_reason",
            gettext_lazy("Reasons for the delay"),
            gettext_lazy("Needed when the notice is made later than 72 hours after awareness (Art. 33(1))."),
            3,
        ),
        Section(
            "sensitive_details",
            gettext_lazy("Sensitive details (sent separately)"),
            gettext_lazy(
                "Details that must not travel with the notice, e.g. vulnerabilities or names: they go in a "
                "separate annex for a secure message, as the Finnish supervisory authority asks."
            ),
            3,
        ),
    ),
    NoticeAudience.DATA_SUBJECTS: (
        Section("what_happened", gettext_lazy("What happened")),
        Section("not_affected", gettext_lazy("What was not affected"), rows=2),
        Section("consequences", gettext_lazy("What it may mean for you")),
        Section("measures", gettext_lazy("What we have done")),
        Section(
            "advice",
            gettext_lazy("More advice"),
            gettext_lazy("Added after the advice chosen from the data."),
            2,
        ),
        Section("contact", gettext_lazy("Contact point"), rows=2),
    ),
    NoticeAudience.CONTROLLER: (
        Section("what_happened", gettext_lazy("What happened")),
        Section("measures", gettext_lazy("Measures taken and proposed")),
        Section(
            "what_follows",
            gettext_lazy("What will follow"),
            gettext_lazy("When we report next, and what."),
            3,
        ),
        Section("contact", gettext_lazy("Contact for this notice"), rows=2),
    ),
}


def sections_prefilled(incident: Incident, audience: str) -> dict[str, str]:
    """The free-text sections as a new notice starts them, from what the incident already says."""
    organisation = incident.organisation
    contact = ""
    if organisation is not None:
        contact = ", ".join(
            part for part in (organisation.dpo_name, organisation.dpo_phone, organisation.dpo_email) if part
        )
    if audience == NoticeAudience.AUTHORITY:
        return {
            "contact": contact,
            "description": incident.description,
            "cause": "",
            "consequences": incident.likely_consequences,
            "measures_taken": incident.measures,
            "measures_proposed": "",
            "communication": "",
            "other_authorities": "",
            "delay_reason": "",
            "sensitive_details": "",
        }
    if audience == NoticeAudience.DATA_SUBJECTS:
        return {
            "what_happened": incident.description,
            "not_affected": "",
            "consequences": incident.likely_consequences,
            "measures": incident.measures,
            "advice": "",
            "contact": contact,
        }
    return {
        "what_happened": incident.description,
        "measures": incident.measures,
        "what_follows": "",
        "contact": contact,
    }


def _moment(value: object, language: str) -> str:
    return local_moment(value, language) if value else _("not known")  # type: ignore[arg-type]


def _text(value: str) -> str:
    return value.strip() or _("not given")


@dataclass
class _Facts:
    """What the notice draws on, read once."""

    incident: Incident
    notice: Notice
    rows: list[IncidentRegister]
    assessment: Assessment | None
    obligation: Obligation | None
    sections: dict[str, str] = field(default_factory=dict)


def _items(rows: list[IncidentRegister]) -> list[tuple[str, DataClass, bool, bool]]:
    """(text, class, special category, henkilötunnus) of each data item involved; every item of a
    register where none is picked (the worst case)."""
    items = []
    for row in rows:
        register_items = list(row.register.data_items.all())
        picked = set(row.data_items)
        involved = [item for item in register_items if item.text in picked] if picked else register_items
        items += [(i.text, DataClass(i.data_class), i.special_category, i.henkilotunnus) for i in involved]
    return items


def _approx(values: list[int | None]) -> str:
    known = [value for value in values if value is not None]
    if not known:
        return _("not known yet")
    return _("about %(number)s") % {"number": f"{sum(known):,}".replace(",", "\u00a0")}


def _breach_types(incident: Incident) -> str:
    types = [
        label
        for flag, label in (
            (incident.breach_confidentiality, _("confidentiality (data disclosed or accessed)")),
            (incident.breach_integrity, _("integrity (data altered)")),
            (incident.breach_availability, _("availability (data lost or unavailable)")),
        )
        if flag
    ]
    return ", ".join(types) or _("not determined yet")


def _called_out(items: list[tuple[str, DataClass, bool, bool]]) -> list[tuple[str, str]]:
    special = sorted({text for text, _c, is_special, _h in items if is_special})
    identity = sorted({text for text, _c, _s, has_code in items if has_code})
    return [
        (_("Special categories (Art. 9 and 10)"), ", ".join(special) or _("none")),
        (_("Personal identity codes"), ", ".join(identity) or _("none")),
    ]


def _notice_type(facts: _Facts) -> list[tuple[str, str]]:
    notice = facts.notice
    rows = [(_("Type of notice"), str(NoticePhase(notice.phase).label))]
    if notice.phase == NoticePhase.PRELIMINARY:
        rows.append(
            (
                _("Note"),
                _("Preliminary notice: the missing details follow in a supplementary notice (Art. 33(4))."),
            )
        )
    earlier = notice.follows
    if earlier is not None:
        rows.append((_("Earlier notice"), _moment(earlier.sent_at, notice.language)))
        rows.append((_("Authority's case number"), earlier.case_number or _("not given")))
    return rows


def _organisation_rows(incident: Incident) -> list[tuple[str, str]]:
    organisation = incident.organisation
    if organisation is None:
        return [(_("Controller"), _("not known yet"))]
    dpo = ", ".join(
        part for part in (organisation.dpo_name, organisation.dpo_email, organisation.dpo_phone) if part
    )
    return [
        (_("Controller"), organisation.name),
        (_("Business ID"), organisation.business_id or _("not given")),
        (_("Address"), organisation.address or _("not given")),
        (_("Data protection officer"), dpo or _("not given")),
    ]


def _timeline(facts: _Facts) -> list[tuple[str, str]]:
    incident, language = facts.incident, facts.notice.language
    occurred = _("not known")
    if incident.occurred_from or incident.occurred_to:
        occurred = f"{_moment(incident.occurred_from, language)} – {_moment(incident.occurred_to, language)}"
    return [
        (_("Occurred"), occurred),
        (_("Detected"), _moment(incident.detected_at, language)),
        (_("Aware (Art. 33(1))"), _moment(incident.aware_at, language)),
        (
            _("Notified"),
            _moment(facts.notice.sent_at, language) if facts.notice.sent_at else _("with this notice"),
        ),
        (_("Time zone"), _("%(zone)s; each time with its offset from UTC") % {"zone": settings.TIME_ZONE}),
    ]


def _cause(incident: Incident, written: str) -> str:
    known = _("Intent: %(intent)s; origin: %(origin)s") % {
        "intent": str(CauseIntent(incident.cause_intent).label).lower(),
        "origin": str(CauseOrigin(incident.cause_origin).label).lower(),
    }
    return f"{known}. {written.strip()}" if written.strip() else known


def _assessment_summary(facts: _Facts) -> list[tuple[str, str]]:
    incident, assessment = facts.incident, facts.assessment
    rows = []
    if assessment is not None:
        rows.append(
            (
                _("ENISA severity"),
                _("SE %(score)s = DPC %(dpc)s × EI %(ei)s + CB %(cb)s")
                % {
                    "score": decimal_text(assessment.score),
                    "dpc": assessment.dpc,
                    "ei": decimal_text(assessment.ei),
                    "cb": decimal_text(assessment.cb),
                },
            )
        )
    if incident.risk_decision:
        rows.append((_("Decision of the controller"), str(RiskDecision(incident.risk_decision).label)))
    return rows or [(_("Risk assessment"), _("not made yet"))]


def _communication(incident: Incident, written: str) -> str:
    if written.strip():
        return written.strip()
    if incident.risk_decision == RiskDecision.HIGH and not incident.art34_exception:
        target = local_moment(incident.subjects_target_at) if incident.subjects_target_at else ""
        return _("The data subjects will be informed without undue delay%(by)s.") % {
            "by": (_(", by %(moment)s") % {"moment": target}) if target else ""
        }
    if incident.art34_exception:
        return _(
            "The data subjects are not informed individually: Art. 34(3)(%(letter)s) applies. %(reason)s"
        ) % {
            "letter": incident.art34_exception,
            "reason": incident.decision_reason,
        }
    return _("The data subjects are not informed: the risk to them is not assessed as high.")


def _authority(facts: _Facts) -> Content:
    incident, sections, language = facts.incident, facts.sections, facts.notice.language
    items = _items(facts.rows)
    registers = ", ".join(row.register.name for row in facts.rows) or _("not known yet")
    subject_kinds = "; ".join(
        row.register.data_subjects.strip() for row in facts.rows if row.register.data_subjects.strip()
    )
    blocks = [
        Block(_("Notice"), rows=tuple(_notice_type(facts))),
        Block(
            _("Controller"),
            rows=(*_organisation_rows(incident), (_("Contact for this notice"), _text(sections["contact"]))),
        ),
        Block(_("Timeline"), rows=tuple(_timeline(facts))),
    ]
    if sections.get("delay_reason", "").strip():
        blocks.append(
            Block(_("Reasons for the delay (Art. 33(1))"), paragraphs=(sections["delay_reason"].strip(),))
        )
    blocks += [
        Block(
            _("Nature of the breach"),
            rows=(
                (_("Type of breach"), _breach_types(incident)),
                (_("Cause"), _cause(incident, sections["cause"])),
            ),
            paragraphs=(_text(sections["description"]),),
        ),
        Block(
            _("Data subjects"),
            rows=(
                (_("Categories"), subject_kinds or _("as in the registers affected")),
                (_("Approximate number"), _approx([row.approx_subjects for row in facts.rows])),
            ),
        ),
        Block(
            _("Personal data records"),
            rows=(
                (_("Categories"), ", ".join(sorted({text for text, *_rest in items})) or _("not known yet")),
                (_("Approximate number"), _approx([row.approx_records for row in facts.rows])),
                *_called_out(items),
            ),
        ),
        Block(_("Registers affected"), paragraphs=(registers,)),
        Block(_("Likely consequences"), paragraphs=(_text(sections["consequences"]),)),
        Block(
            _("Measures"),
            rows=(
                (_("Taken, including mitigation"), _text(sections["measures_taken"])),
                (_("Proposed"), _text(sections["measures_proposed"])),
            ),
        ),
        Block(
            pgettext("notice heading", "Communication to data subjects"),
            paragraphs=(_communication(incident, sections["communication"]),),
        ),
        Block(
            _("Other authorities informed"), paragraphs=(sections["other_authorities"].strip() or _("none"),)
        ),
        Block(_("Risk assessment in short"), rows=tuple(_assessment_summary(facts))),
    ]
    annex = None
    organisation = incident.organisation.name if incident.organisation else ""
    if sections.get("sensitive_details", "").strip():
        annex_title = _annex_title(organisation, facts)
        blocks.append(
            Block(
                _("Sensitive details"),
                paragraphs=(
                    _("Sensitive details are sent separately by secure message, as “%(title)s”.")
                    % {"title": annex_title},
                ),
            )
        )
        annex = Content(
            annex_title,
            language,
            (Block(_("Sensitive details"), paragraphs=(sections["sensitive_details"].strip(),)),),
        )
    title = _("Notification of a personal data breach to the supervisory authority")
    return Content(f"{title} – {incident.reference}", language, tuple(blocks), annex)


def _annex_title(organisation: str, facts: _Facts) -> str:
    """As the Finnish SA asks a secure message to be titled: in Finnish, whatever the notice's language."""
    moment = facts.notice.sent_at or facts.notice.created_at
    with translation.override("fi"):
        day = local_moment(moment, "fi").split(" ")[0]
    return f"Ilmoitus tietoturvaloukkauksesta – {organisation or facts.incident.reference} – {day}"


# Sign-in details: a password or user name, not a personal identity code (henkilötunnus).
PASSWORD = re.compile(
    r"salasana|lösenord|password|käyttäjätunnus|käyttäjänimi|användarnamn|username|credential", re.IGNORECASE
)
FINANCIAL = re.compile(r"pankki|tili|kortti|bank|konto|kort|card|iban|luotto|credit", re.IGNORECASE)


def advice_for(items: list[tuple[str, DataClass, bool, bool]]) -> list[str]:
    """What the person can do, chosen from the data affected."""
    texts = [text for text, *_rest in items]
    advice = []
    if any(PASSWORD.search(text) for text in texts):
        advice.append(_("Change your password, and the same password anywhere else you use it."))
    if any(CONTACT.search(text) for text in texts):
        advice.append(
            _(
                "Be wary of messages and calls that refer to this incident or ask for your details: we "
                "never ask for passwords or bank codes."
            )
        )
    if any(has_code for *_rest, has_code in items):
        advice.append(
            _(
                "Your personal identity code was affected: you can place a credit ban (luottokielto) with "
                "Suomen Asiakastieto to prevent credit being taken in your name, and report any misuse to "
                "the police."
            )
        )
    if any(data_class == DataClass.FINANCIAL or FINANCIAL.search(text) for text, data_class, *_r in items):
        advice.append(_("Contact your bank if you see payments or requests you do not recognise."))
    return advice


def _data_subjects(facts: _Facts) -> Content:
    incident, sections, language = facts.incident, facts.sections, facts.notice.language
    items = _items(facts.rows)
    organisation = incident.organisation
    advice = advice_for(items) + ([sections["advice"].strip()] if sections["advice"].strip() else [])
    dpo = ""
    if organisation is not None:
        dpo = ", ".join(
            part for part in (organisation.dpo_name, organisation.dpo_email, organisation.dpo_phone) if part
        )
    blocks = (
        Block(
            _("What happened"),
            rows=((_("When"), _moment(incident.occurred_from or incident.detected_at, language)),),
            paragraphs=(_text(sections["what_happened"]),),
        ),
        Block(
            _("Which of your data"),
            paragraphs=(", ".join(sorted({text for text, *_r in items})) or _("not known yet"),),
        ),
        Block(_("What was not affected"), paragraphs=(_text(sections["not_affected"]),)),
        Block(_("What it may mean for you"), paragraphs=(_text(sections["consequences"]),)),
        Block(_("What we have done"), paragraphs=(_text(sections["measures"]),)),
        Block(_("What you can do"), paragraphs=tuple(advice) or (_("Nothing is needed from you."),)),
        Block(
            _("Contact"),
            rows=(
                (_("Contact point"), _text(sections["contact"])),
                (_("Data protection officer"), dpo or _("not given")),
            ),
        ),
        Block(
            _("Your right to complain"),
            paragraphs=(
                _(
                    "You have the right to lodge a complaint with the supervisory authority, the Data "
                    "Protection Ombudsman (tietosuoja.fi)."
                ),
            ),
        ),
    )
    sender = organisation.name if organisation else incident.reference
    title = _("We inform you of a personal data breach – %(organisation)s") % {"organisation": sender}
    return Content(title, language, blocks)


def _controller(facts: _Facts) -> Content:
    incident, sections, language, customer = (
        facts.incident,
        facts.sections,
        facts.notice.language,
        facts.notice.customer,
    )
    rows = [
        row
        for row in facts.rows
        if row.register.controller is not None and row.register.controller.name == customer
    ]
    items = _items(rows)
    organisation = incident.organisation
    blocks = (
        Block(
            _("Notice"),
            rows=(
                (pgettext("notice addressee", "To"), customer or _("not given")),
                (_("From (processor)"), organisation.name if organisation else _("not known yet")),
                *_notice_type(facts),
            ),
        ),
        Block(
            _("What happened"),
            rows=((_("Type of breach"), _breach_types(incident)),),
            paragraphs=(_text(sections["what_happened"]),),
        ),
        Block(
            _("Your registers and data"),
            rows=(
                (_("Registers"), ", ".join(row.register.name for row in rows) or _("not known yet")),
                (_("Data"), ", ".join(sorted({text for text, *_r in items})) or _("not known yet")),
                (_("Approximate number of data subjects"), _approx([row.approx_subjects for row in rows])),
                *_called_out(items),
            ),
        ),
        Block(_("Timeline"), rows=tuple(_timeline(facts))),
        Block(_("Measures taken and proposed"), paragraphs=(_text(sections["measures"]),)),
        Block(_("What will follow"), paragraphs=(_text(sections["what_follows"]),)),
        Block(_("Contact for this notice"), paragraphs=(_text(sections["contact"]),)),
        Block(
            _("Your own deadline"),
            paragraphs=(
                _(
                    "As controller you notify the supervisory authority within 72 hours of becoming aware of "
                    "the breach (Art. 33(1)); we notify you without undue delay (Art. 33(2)) so that you can."
                ),
            ),
        ),
    )
    title = _("Notice of a personal data breach to the controller – %(customer)s") % {"customer": customer}
    return Content(title, language, blocks)


BUILDERS = {
    NoticeAudience.AUTHORITY: _authority,
    NoticeAudience.DATA_SUBJECTS: _data_subjects,
    NoticeAudience.CONTROLLER: _controller,
}


def notice_content(notice: Notice) -> Content:
    """The notice's content in its own language, from the incident as it stands."""
    incident = notice.incident
    rows = list(
        incident.affected.select_related("register__controller")
        .prefetch_related("register__data_items")
        .order_by("register__name")
    )
    facts = _Facts(
        incident=incident,
        notice=notice,
        rows=rows,
        assessment=incident.assessments.order_by("-version").first(),
        obligation=None,
        sections=sections_prefilled(incident, notice.audience)
        | {k: str(v) for k, v in notice.sections.items()},
    )
    with translation.override(notice.language):
        return BUILDERS[NoticeAudience(notice.audience)](facts)

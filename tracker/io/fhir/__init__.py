"""A FHIR R4 Bundle a clinic system can file: one Patient and every entry as R4 resources.

- the Patient (named only when a name is given), the `subject` of everything else;
- each assessment: a QuestionnaireResponse, its total-score Observation, and PHQ-9 item 9
  as its own Observation when answered above "Not at all";
- each session: a MedicationAdministration, its vital signs and the patient's own ratings;
- each check-in and side effect: an Observation in Onset's code system.

Every resource has a `urn:uuid:` fullUrl that stays the same for the same entry of the same
journal from one export to the next. Notes are the patient's private words and stay out.
"""

from __future__ import annotations

import uuid
import warnings
from datetime import date, datetime, tzinfo
from typing import Any

from tracker.domain.entries import TreatmentSession
from tracker.domain.times import wall_clock
from tracker.io.fhir.common import NAMESPACE_SETTING, Ids, fhir_datetime
from tracker.io.fhir.followups import followup_response
from tracker.io.fhir.journal_observations import checkin_observation, side_effect_observation
from tracker.io.fhir.medicines import dose_administration, medication_statement
from tracker.io.fhir.questionnaires import assessment_entries
from tracker.io.fhir.sessions import session_entries
from tracker.journal import Journal
from tracker.storage.errors import JournalError, JournalWarning

__all__ = ["export_bundle", "fhir_datetime", "journal_ids"]


def journal_ids(journal: Journal) -> Ids:
    """The journal's namespace for resource identities, made and kept on first use."""
    stored = journal.setting(NAMESPACE_SETTING)
    try:
        return Ids(uuid.UUID(stored or ""))
    except ValueError:
        pass
    namespace = uuid.uuid4()
    try:
        journal.set_setting(NAMESPACE_SETTING, str(namespace))
    except JournalError as exc:
        # A journal that cannot be written to still exports; only the identities are new.
        reason = (
            f"the journal could not keep the identity of its FHIR resources ({exc}); "
            "this export's fullUrls will not match the next export's"
        )
        warnings.warn(JournalWarning(journal.path, reason), stacklevel=2)
    return Ids(namespace)


def patient_resource(name: str | None) -> dict[str, Any]:
    resource: dict[str, Any] = {"resourceType": "Patient"}
    if name and name.strip():
        resource["name"] = [{"text": " ".join(name.split())}]
    return resource


def export_bundle(
    journal: Journal,
    start: date | None = None,
    end: date | None = None,
    name: str | None = None,
    zone: tzinfo | None = None,
) -> dict[str, Any]:
    """The Bundle for the days from `start` to `end`; `zone` gives wall-clock times their
    offset (the journal's own zone when None, so that the same entry reads the same on any
    machine).
    """
    if zone is None:
        zone = journal.time_zone()
    ids = journal_ids(journal)
    patient = ids.patient()
    entries: list[dict[str, Any]] = [{"fullUrl": patient, "resource": patient_resource(name)}]
    for checkin in journal.checkins(start, end):
        resource = checkin_observation(checkin, patient, zone)
        entries.append({"fullUrl": ids.of(checkin), "resource": resource})
    for assessment in journal.assessments(start, end):
        entries += assessment_entries(assessment, ids, zone)
    sessions: dict[datetime, TreatmentSession] = {}
    for session in journal.sessions(start, end):
        sessions[wall_clock(session.at)] = session
        entries += session_entries(session, ids, zone)
    for effect in journal.side_effects(start, end):
        followed = sessions.get(wall_clock(effect.session_at)) if effect.session_at else None
        link = ids.of(followed) if followed is not None else None
        resource = side_effect_observation(effect, patient, link, zone)
        entries.append({"fullUrl": ids.of(effect), "resource": resource})
    for check in journal.followups(start, end):
        resource = followup_response(check, patient, zone)
        entries.append({"fullUrl": ids.of(check), "resource": resource})
    statements: dict[tuple[str, object], str] = {}
    for medicine in journal.medications(start, end):
        own = ids.of(medicine)
        statements[(medicine.key, medicine.started)] = own
        entries.append({"fullUrl": own, "resource": medication_statement(medicine, patient)})
    medicines = journal.medications()
    for dose in journal.medication_doses(start, end):
        taken_of = dose.taken_of(medicines)
        statement = None
        if taken_of is not None:
            statement = statements.get((taken_of.key, taken_of.started))
        resource = dose_administration(dose, statement, patient, zone)
        entries.append({"fullUrl": ids.of(dose), "resource": resource})
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": datetime.now().astimezone().isoformat(timespec="seconds"),
        "entry": entries,
    }

using EventSourcedClinic.Domain.Clinical.Episodes;
using EventSourcedClinic.Domain.Clinical.Outcomes;
using EventSourcedClinic.Domain.Scheduling.Booking;
using EventSourcedClinic.Projections.Clinical;
using EventSourcedClinic.Projections.Scheduling;
using R4 = Hl7.Fhir.Model;
using DomainPatient = EventSourcedClinic.Domain.Patients.Patient;

namespace EventSourcedClinic.Integrations.Fhir;

/// <summary>
/// The clinic's records in FHIR R4, mapped from read models and streams at the edge: FHIR is never the storage format.
/// UK conventions: the NHS number identifier system, the UK Core Patient profile, ODS codes for GP practices, LOINC for
/// the PHQ-9 and GAD-7 totals, SNOMED CT where a code exists.
/// </summary>
public static class FhirMapping
{
    public const string NhsNumberSystem = "https://fhir.nhs.uk/Id/nhs-number";
    public const string OdsSystem = "https://fhir.nhs.uk/Id/ods-organization-code";
    public const string UkCorePatient = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient";
    public const string Loinc = "http://loinc.org";
    public const string Phq9TotalLoinc = "44261-6";
    public const string Gad7TotalLoinc = "70274-6";
    public const string ReferralSystem = "https://eventsourcedclinic.example/fhir/sid/referral";
    public const string PathwaySystem = "https://eventsourcedclinic.example/fhir/sid/pathway";

    /// <summary>The questionnaires as LOINC panels: PHQ-9 44249-1, GAD-7 69737-5; WSAS has no LOINC panel.</summary>
    public static string QuestionnaireUrl(Questionnaire questionnaire) => questionnaire switch
    {
        Questionnaire.Phq9 => "http://loinc.org/q/44249-1",
        Questionnaire.Gad7 => "http://loinc.org/q/69737-5",
        _ => "https://eventsourcedclinic.example/fhir/Questionnaire/wsas",
    };

    public static Questionnaire? QuestionnaireFrom(string? url) => url switch
    {
        null => null,
        _ when url.Contains("44249-1", StringComparison.Ordinal) || url.EndsWith("/phq9", StringComparison.OrdinalIgnoreCase) => Questionnaire.Phq9,
        _ when url.Contains("69737-5", StringComparison.Ordinal) || url.EndsWith("/gad7", StringComparison.OrdinalIgnoreCase) => Questionnaire.Gad7,
        _ when url.EndsWith("/wsas", StringComparison.OrdinalIgnoreCase) => Questionnaire.Wsas,
        _ => null,
    };

    /// <summary>The LOINC answers of PHQ-9 and GAD-7 items, scored 0 to 3.</summary>
    public static readonly IReadOnlyDictionary<string, int> LoincAnswers = new Dictionary<string, int>
    {
        ["LA6568-5"] = 0, ["LA6569-3"] = 1, ["LA6570-1"] = 2, ["LA6571-9"] = 3,
    };

    /// <summary>A completed questionnaire as the patient answered it, item by item.</summary>
    public static R4.QuestionnaireResponse QuestionnaireResponse(Guid patientId, OutcomeEntry measure) => new()
    {
        Id = measure.MeasureId.ToString(),
        Meta = Meta(1, measure.CompletedAt),
        Questionnaire = QuestionnaireUrl(measure.Questionnaire),
        Status = R4.QuestionnaireResponse.QuestionnaireResponseStatus.Completed,
        Subject = new R4.ResourceReference($"Patient/{patientId}"),
        Authored = new R4.FhirDateTime(measure.CompletedAt).ToString(),
        Item = measure.Answers.Select((answer, index) => new R4.QuestionnaireResponse.ItemComponent
        {
            LinkId = (index + 1).ToString(),
            Answer = [new R4.QuestionnaireResponse.AnswerComponent { Value = new R4.Integer(answer) }],
        }).ToList(),
    };

    public static string LoincFor(Questionnaire questionnaire) => questionnaire switch
    {
        Questionnaire.Phq9 => Phq9TotalLoinc,
        Questionnaire.Gad7 => Gad7TotalLoinc,
        _ => "",
    };

    public static R4.Meta Meta(long version, DateTimeOffset? lastUpdated, params string[] profiles) =>
        new() { VersionId = version > 0 ? version.ToString() : null, LastUpdated = lastUpdated, Profile = profiles };

    public static R4.Patient Patient(DomainPatient patient, long version, DateTimeOffset lastUpdated)
    {
        var resource = new R4.Patient
        {
            Id = patient.Id.ToString(),
            // UK Core Patient needs no more than the base resource; it is claimed where an NHS number identifies the patient.
            Meta = patient.NhsNumber?.Value is null ? Meta(version, lastUpdated) : Meta(version, lastUpdated, UkCorePatient),
            Active = !patient.GivenName.IsErased,
        };
        if (patient.NhsNumber?.Value is { } nhs)
        {
            resource.Identifier.Add(new R4.Identifier(NhsNumberSystem, nhs));
        }

        if (!patient.FamilyName.IsErased || !patient.GivenName.IsErased)
        {
            resource.Name.Add(new R4.HumanName { Use = R4.HumanName.NameUse.Official, Family = patient.FamilyName.Value, Given = Present(patient.GivenName.Value) });
        }

        resource.BirthDate = patient.DateOfBirth.Value;
        if (patient.Email.Value is { } email)
        {
            resource.Telecom.Add(new R4.ContactPoint(R4.ContactPoint.ContactPointSystem.Email, R4.ContactPoint.ContactPointUse.Home, email));
        }

        if (patient.Contact is { } contact)
        {
            if (contact.Phone?.Value is { } phone)
            {
                resource.Telecom.Add(new R4.ContactPoint(R4.ContactPoint.ContactPointSystem.Phone, R4.ContactPoint.ContactPointUse.Mobile, phone));
            }

            if (contact.AddressLine1?.Value is not null || contact.Postcode?.Value is not null)
            {
                resource.Address.Add(new R4.Address
                {
                    Use = R4.Address.AddressUse.Home,
                    Line = Present(contact.AddressLine1?.Value, contact.AddressLine2?.Value),
                    City = contact.Town?.Value,
                    PostalCode = contact.Postcode?.Value,
                    Country = "GB",
                });
            }

            if (contact.GpPracticeOdsCode is { } ods)
            {
                resource.GeneralPractitioner.Add(new R4.ResourceReference { Type = "Organization", Identifier = new R4.Identifier(OdsSystem, ods) });
            }

            if (contact.PreferredLanguage is { } language)
            {
                resource.Communication.Add(new R4.Patient.CommunicationComponent
                {
                    Language = new R4.CodeableConcept("urn:ietf:bcp:47", language), Preferred = true,
                });
            }

            if (contact.EmergencyContactName?.Value is { } kin)
            {
                resource.Contact.Add(new R4.Patient.ContactComponent
                {
                    Name = new R4.HumanName { Text = kin },
                    Telecom = contact.EmergencyContactPhone?.Value is { } kinPhone
                        ? [new R4.ContactPoint(R4.ContactPoint.ContactPointSystem.Phone, null, kinPhone)]
                        : [],
                    Relationship = [new R4.CodeableConcept("http://terminology.hl7.org/CodeSystem/v2-0131", "C", "Emergency Contact")],
                });
            }
        }

        return resource;
    }

    public static R4.Appointment Appointment(CalendarEntry entry, DateTimeOffset? lastUpdated) => new()
    {
        Id = entry.Id.ToString(),
        Meta = Meta(entry.Version, lastUpdated),
        Status = entry.Status switch
        {
            AppointmentStatus.Held => R4.Appointment.AppointmentStatus.Pending,
            AppointmentStatus.Confirmed => R4.Appointment.AppointmentStatus.Booked,
            AppointmentStatus.Started => R4.Appointment.AppointmentStatus.Arrived,
            AppointmentStatus.Completed => R4.Appointment.AppointmentStatus.Fulfilled,
            AppointmentStatus.PatientDidNotAttend => R4.Appointment.AppointmentStatus.Noshow,
            _ => R4.Appointment.AppointmentStatus.Cancelled,
        },
        CancelationReason = entry.Status == AppointmentStatus.HoldExpired
            ? new R4.CodeableConcept { Text = "The hold lapsed before payment." }
            : null,
        ServiceType = [new R4.CodeableConcept("http://snomed.info/sct", "75516001", "Psychotherapy")],
        Start = entry.Start,
        End = entry.End,
        MinutesDuration = (int)(entry.End - entry.Start).TotalMinutes,
        Participant =
        [
            Participant($"Patient/{entry.PatientId}"),
            Participant($"Practitioner/{entry.TherapistId}"),
        ],
    };

    private static R4.Appointment.ParticipantComponent Participant(string reference) =>
        new() { Actor = new R4.ResourceReference(reference), Required = R4.Appointment.ParticipantRequired.Required, Status = R4.ParticipationStatus.Accepted };

    public static R4.Observation Observation(Guid patientId, OutcomeEntry measure)
    {
        var loinc = LoincFor(measure.Questionnaire);
        var code = loinc.Length > 0
            ? new R4.CodeableConcept(Loinc, loinc, measure.Questionnaire == Questionnaire.Phq9 ? "PHQ-9 total score" : "GAD-7 total score")
            : new R4.CodeableConcept { Text = $"{measure.Questionnaire} total score" };
        return new R4.Observation
        {
            Id = measure.MeasureId.ToString(),
            Meta = Meta(1, measure.CompletedAt),
            Status = R4.ObservationStatus.Final,
            Category = [new R4.CodeableConcept("http://terminology.hl7.org/CodeSystem/observation-category", "survey", "Survey")],
            Code = code,
            Subject = new R4.ResourceReference($"Patient/{patientId}"),
            Effective = new R4.FhirDateTime(measure.CompletedAt),
            Value = new R4.Integer(measure.Total),
            Interpretation = [new R4.CodeableConcept { Text = measure.Severity }],
            Note = measure.RiskFlag ? [new R4.Annotation { Text = "PHQ-9 item 9 answered above zero: risk flag raised." }] : [],
        };
    }

    public static R4.ServiceRequest ServiceRequest(CareEpisode episode, long version, DateTimeOffset lastUpdated) => new()
    {
        Id = episode.Id.ToString(),
        Meta = Meta(version, lastUpdated),
        Identifier = [new R4.Identifier(PathwaySystem, episode.PathwayId)],
        Status = episode.Stage == EpisodeStage.Discharged ? R4.RequestStatus.Completed : R4.RequestStatus.Active,
        Intent = R4.RequestIntent.Order,
        Category = [new R4.CodeableConcept("http://snomed.info/sct", "3457005", "Patient referral")],
        Code = new R4.CodeableConcept("http://snomed.info/sct", "75516001", "Psychotherapy"),
        Subject = new R4.ResourceReference($"Patient/{episode.PatientId}"),
        AuthoredOn = new R4.FhirDateTime(episode.ReferredAt).ToString(),
        Requester = episode.ReferrerOdsCode is { } ods
            ? new R4.ResourceReference { Type = "Organization", Identifier = new R4.Identifier(OdsSystem, ods) }
            : null,
        ReasonCode = [new R4.CodeableConcept { Text = episode.PresentingProblem.Value }],
    };

    public const string MethodSystem = "https://eventsourcedclinic.example/fhir/CodeSystem/therapy-method";
    public const string SpecialisationSystem = "https://eventsourcedclinic.example/fhir/CodeSystem/specialisation";
    public const string Snomed = "http://snomed.info/sct";

    /// <summary>SNOMED CT for the therapy methods where we are sure of the concept; the clinic's own codes for the rest.</summary>
    private static readonly IReadOnlyDictionary<string, (string Code, string Display)> MethodSnomed = new Dictionary<string, (string, string)>
    {
        ["cbt"] = ("228557008", "Cognitive and behavioral therapy"),
        ["emdr"] = ("449030000", "Eye movement desensitization and reprocessing therapy"),
        ["person-centred"] = ("409063005", "Counseling"),
        ["integrative"] = ("409063005", "Counseling"),
    };

    public static R4.CodeableConcept Method(string code)
    {
        var concept = new R4.CodeableConcept(MethodSystem, code, Domain.Therapists.Catalogue.Methods.GetValueOrDefault(code, code));
        if (MethodSnomed.TryGetValue(code, out var snomed))
        {
            concept.Coding.Insert(0, new R4.Coding(Snomed, snomed.Code, snomed.Display));
        }

        return concept;
    }

    public static R4.Practitioner Practitioner(Projections.Therapists.TherapistDirectoryEntry therapist) => new()
    {
        Id = therapist.Id.ToString(),
        Meta = Meta(therapist.Version, null),
        Active = therapist.IsListed,
        Identifier = [new R4.Identifier($"https://eventsourcedclinic.example/fhir/sid/{therapist.ProfessionalBody.ToString().ToLowerInvariant()}-registration", therapist.RegistrationNumber)],
        Name = [new R4.HumanName { Text = therapist.FullName }],
        Communication = therapist.Languages
            .Select(l => new R4.CodeableConcept("urn:ietf:bcp:47", l, Domain.Therapists.Catalogue.Languages.GetValueOrDefault(l, l))).ToList(),
    };

    public static R4.PractitionerRole PractitionerRole(Projections.Therapists.TherapistDirectoryEntry therapist) => new()
    {
        Id = therapist.Id.ToString(),
        Meta = Meta(therapist.Version, null),
        Active = therapist.IsListed,
        Practitioner = new R4.ResourceReference($"Practitioner/{therapist.Id}", therapist.FullName),
        HealthcareService = [new R4.ResourceReference($"HealthcareService/{ClinicService}")],
        Code = [new R4.CodeableConcept(Snomed, "224584006", "Psychotherapist") { Text = "Therapist" }],
        Specialty =
        [
            .. therapist.Methods.Select(Method),
            .. therapist.Specialisations.Select(s =>
                new R4.CodeableConcept(SpecialisationSystem, s, Domain.Therapists.Catalogue.Specialisations.GetValueOrDefault(s, s))),
        ],
    };

    public const string ClinicService = "talking-therapies";

    public static R4.HealthcareService HealthcareService(DateTimeOffset? lastUpdated) => new()
    {
        Id = ClinicService,
        Meta = Meta(1, lastUpdated),
        Active = true,
        Name = "EventSourcedClinic online talking therapies",
        Category = [new R4.CodeableConcept("http://terminology.hl7.org/CodeSystem/service-category", "8", "Counselling")],
        Type = [new R4.CodeableConcept(Snomed, "75516001", "Psychotherapy")],
        Specialty = Domain.Therapists.Catalogue.Methods.Keys.Order().Select(Method).ToList(),
        Communication = [new R4.CodeableConcept("urn:ietf:bcp:47", "en", "English")],
        AppointmentRequired = true,
    };

    public static R4.EpisodeOfCare EpisodeOfCare(CareEpisode episode, long version, DateTimeOffset? lastUpdated) => new()
    {
        Id = episode.Id.ToString(),
        Meta = Meta(version, lastUpdated),
        Identifier = [new R4.Identifier(PathwaySystem, episode.PathwayId)],
        Status = episode.Stage switch
        {
            EpisodeStage.Referred => R4.EpisodeOfCare.EpisodeOfCareStatus.Waitlist,
            EpisodeStage.Discharged => R4.EpisodeOfCare.EpisodeOfCareStatus.Finished,
            _ => R4.EpisodeOfCare.EpisodeOfCareStatus.Active,
        },
        Type = [new R4.CodeableConcept(Snomed, "75516001", "Psychotherapy")],
        Patient = new R4.ResourceReference($"Patient/{episode.PatientId}"),
        ReferralRequest = [new R4.ResourceReference($"ServiceRequest/{episode.Id}")],
        CareManager = episode.TherapistId is { } therapist ? new R4.ResourceReference($"Practitioner/{therapist}") : null,
        Period = new R4.Period { StartElement = new R4.FhirDateTime(episode.ReferredAt) },
    };

    public static string ConsentId(Guid patientId, Domain.Clinical.Consent.ConsentScope scope) => $"{patientId:N}-{scope.ToString().ToLowerInvariant()}";

    /// <summary>A patient's current decision on one scope: active while given, inactive once withdrawn.</summary>
    /// <summary>The id of a secure message as a Communication: the patient's, then its place in their conversation.</summary>
    public static string CommunicationId(Guid patientId, int sequence) => $"{patientId:N}-{sequence}";

    /// <summary>
    /// One secure message of a patient's conversation as a Communication: who sent it (the patient, a practitioner, or
    /// the clinic's desk), when, its text and the files it carries; a retracted one is entered-in-error, with no payload.
    /// </summary>
    public static R4.Communication Communication(
        Guid patientId, int sequence, Guid senderId, string senderRole, string? body, DateTimeOffset sentAt, bool retracted,
        IEnumerable<(Guid Id, string Url)> attachments, DateTimeOffset? lastUpdated)
    {
        var communication = new R4.Communication
        {
            Id = CommunicationId(patientId, sequence),
            Meta = Meta(retracted ? 2 : 1, lastUpdated ?? sentAt),
            Status = retracted ? R4.EventStatus.EnteredInError : R4.EventStatus.Completed,
            Category = [new R4.CodeableConcept("http://terminology.hl7.org/CodeSystem/communication-category", "notification", "Notification", "Secure message")],
            Subject = new R4.ResourceReference($"Patient/{patientId}"),
            Sent = new R4.FhirDateTime(sentAt).Value,
            Sender = senderRole switch
            {
                "Patient" => new R4.ResourceReference($"Patient/{senderId}"),
                "Therapist" => new R4.ResourceReference($"Practitioner/{senderId}"),
                _ => new R4.ResourceReference { Display = "Clinic desk" },
            },
        };
        if (!retracted && body is not null)
        {
            communication.Payload.Add(new R4.Communication.PayloadComponent { Content = new R4.FhirString(body) });
            communication.Payload.AddRange(attachments.Select(a => new R4.Communication.PayloadComponent
            {
                Content = new R4.Attachment { Url = a.Url, Title = $"Attachment {a.Id}" },
            }));
        }

        return communication;
    }

    public static R4.Consent Consent(Guid patientId, Domain.Clinical.Consent.ConsentDecision decision, long version, DateTimeOffset? lastUpdated) => new()
    {
        Id = ConsentId(patientId, decision.Scope),
        Meta = Meta(version, lastUpdated),
        Status = decision.Given ? R4.Consent.ConsentState.Active : R4.Consent.ConsentState.Inactive,
        Scope = decision.Scope == Domain.Clinical.Consent.ConsentScope.Treatment
            ? new R4.CodeableConcept("http://terminology.hl7.org/CodeSystem/consentscope", "treatment", "Treatment")
            : new R4.CodeableConcept("http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy", "Privacy Consent"),
        Category = [new R4.CodeableConcept("https://eventsourcedclinic.example/fhir/CodeSystem/consent-scope", decision.Scope.ToString(), decision.Scope.ToString())],
        Patient = new R4.ResourceReference($"Patient/{patientId}"),
        DateTimeElement = new R4.FhirDateTime(decision.At),
        Policy = [new R4.Consent.PolicyComponent { Uri = $"https://eventsourcedclinic.example/policies/{decision.PolicyVersion}" }],
        Provision = new R4.Consent.provisionComponent { Type = decision.Given ? R4.Consent.ConsentProvisionType.Permit : R4.Consent.ConsentProvisionType.Deny },
    };

    /// <summary>
    /// A health-history entry as the FHIR resource of its kind (Condition, MedicationStatement, AllergyIntolerance), or
    /// null for kinds FHIR has no resource for here. An entry entered in error says so, as R4 requires.
    /// </summary>
    public static R4.Resource? HistoryEntry(Guid patientId, Domain.Clinical.History.HistoryEntry entry, long version, DateTimeOffset? lastUpdated)
    {
        var code = entry.SnomedCode is { } snomed
            ? new R4.CodeableConcept(Snomed, snomed) { Text = entry.Summary.Value }
            : new R4.CodeableConcept { Text = entry.Summary.Value ?? "[erased]" };
        var subject = new R4.ResourceReference($"Patient/{patientId}");
        var recorded = new R4.FhirDateTime(entry.RecordedAt).ToString();
        var note = entry.Detail?.Value is { } detail ? new List<R4.Annotation> { new() { Text = detail } } : [];
        const string Clinical = "http://terminology.hl7.org/CodeSystem/condition-clinical";
        const string Verification = "http://terminology.hl7.org/CodeSystem/condition-ver-status";
        return entry.Kind switch
        {
            Domain.Clinical.History.HistoryKind.Condition => new R4.Condition
            {
                Id = entry.EntryId.ToString(), Meta = Meta(version, lastUpdated), Subject = subject, Code = code, RecordedDate = recorded, Note = note,
                ClinicalStatus = entry.EnteredInError ? null : new R4.CodeableConcept(Clinical, "active"),
                VerificationStatus = new R4.CodeableConcept(Verification, entry.EnteredInError ? "entered-in-error" : "confirmed"),
                Recorder = new R4.ResourceReference($"Practitioner/{entry.RecordedBy}"),
            },
            Domain.Clinical.History.HistoryKind.Medication => new R4.MedicationStatement
            {
                Id = entry.EntryId.ToString(), Meta = Meta(version, lastUpdated), Subject = subject, Medication = code, Note = note,
                Status = entry.EnteredInError ? R4.MedicationStatement.MedicationStatusCodes.EnteredInError : R4.MedicationStatement.MedicationStatusCodes.Active,
                DateAssertedElement = new R4.FhirDateTime(entry.RecordedAt),
            },
            Domain.Clinical.History.HistoryKind.Allergy => new R4.AllergyIntolerance
            {
                Id = entry.EntryId.ToString(), Meta = Meta(version, lastUpdated), Patient = subject, Code = code, RecordedDate = recorded, Note = note,
                ClinicalStatus = entry.EnteredInError ? null
                    : new R4.CodeableConcept("http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "active"),
                VerificationStatus = new R4.CodeableConcept("http://terminology.hl7.org/CodeSystem/allergyintolerance-verification",
                    entry.EnteredInError ? "entered-in-error" : "confirmed"),
            },
            _ => null,
        };
    }

    private static List<string> Present(params string?[] values) => values.OfType<string>().Where(v => v.Length > 0).ToList();
}

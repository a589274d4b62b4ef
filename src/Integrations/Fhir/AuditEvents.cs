using System.Text.Json;
using EventSourcedClinic.Domain.Compliance;
using Hl7.Fhir.Serialization;
using R4 = Hl7.Fhir.Model;

namespace EventSourcedClinic.Integrations.Fhir;

/// <summary>
/// A logged access in the shape of a FHIR R4 AuditEvent following IHE Basic Audit Log Patterns (BALP, "PatientRead"):
/// a RESTful read, the user and their client as agents, the clinic as observer, the patient and each record read (with
/// the version served) as entities, and the purpose of use from HL7 v3 ActReason. The FHIR adapter serves these.
/// </summary>
public static class AuditEvents
{
    public const string ContentType = "application/fhir+json";
    public const string BalpPatientRead = "https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.PatientRead";
    public const string StreamSystem = "https://eventsourcedclinic.example/fhir/sid/stream";
    public const string UserSystem = "https://eventsourcedclinic.example/fhir/sid/user";
    public const string ClientSystem = "https://eventsourcedclinic.example/fhir/sid/oauth-client";

    private const string ActReason = "http://terminology.hl7.org/CodeSystem/v3-ActReason";
    private const string Dicom = "http://dicom.nema.org/resources/ontology/DCM";

    public static readonly JsonSerializerOptions Json = new JsonSerializerOptions().ForFhir();

    public static R4.AuditEvent From(RecordAccessed access, string clinicName = "EventSourcedClinic")
    {
        var purposes = Purposes(access.Purpose);
        var audit = new R4.AuditEvent
        {
            Id = access.AccessId.ToString(),
            Meta = new R4.Meta { Profile = [BalpPatientRead] },
            Type = new R4.Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "Restful Operation"),
            Subtype = [new R4.Coding("http://hl7.org/fhir/restful-interaction", "read", "read")],
            Action = R4.AuditEvent.AuditEventAction.R,
            Recorded = access.AccessedAt,
            Outcome = R4.AuditEvent.AuditEventOutcome.N0,
            PurposeOfEvent = [new R4.CodeableConcept { Coding = purposes, Text = access.Reason?.Value }],
            Agent =
            [
                new R4.AuditEvent.AgentComponent
                {
                    Type = new R4.CodeableConcept("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "IRCP", "information recipient"),
                    Role = [new R4.CodeableConcept { Text = access.Role }],
                    Who = new R4.ResourceReference
                    {
                        Reference = access.Role switch
                        {
                            "therapist" => $"Practitioner/{access.AccessorId}",
                            "patient" => $"Patient/{access.AccessorId}",
                            _ => null,
                        },
                        Identifier = new R4.Identifier(UserSystem, access.AccessorId),
                    },
                    Requestor = true,
                    PurposeOfUse = [new R4.CodeableConcept { Coding = purposes }],
                },
                .. access.ClientId is { } client
                    ? new[]
                    {
                        new R4.AuditEvent.AgentComponent
                        {
                            Type = new R4.CodeableConcept(Dicom, "110153", "Source Role ID"),
                            Who = new R4.ResourceReference { Identifier = new R4.Identifier(ClientSystem, client) },
                            Requestor = false,
                        },
                    }
                    : [],
                new R4.AuditEvent.AgentComponent
                {
                    Type = new R4.CodeableConcept(Dicom, "110152", "Destination Role ID"),
                    Who = new R4.ResourceReference { Display = clinicName },
                    Requestor = false,
                    Network = new R4.AuditEvent.NetworkComponent { Address = access.Request, Type = R4.AuditEvent.AuditEventAgentNetworkType.N5 },
                },
            ],
            Source = new R4.AuditEvent.SourceComponent
            {
                Observer = new R4.ResourceReference { Display = clinicName },
                Type = [new R4.Coding("http://terminology.hl7.org/CodeSystem/security-source-type", "4", "Application Server")],
            },
            Entity =
            [
                new R4.AuditEvent.EntityComponent
                {
                    What = new R4.ResourceReference($"Patient/{access.PatientId}"),
                    Role = new R4.Coding("http://terminology.hl7.org/CodeSystem/object-role", "1", "Patient"),
                },
                .. access.Resources.Select(resource => new R4.AuditEvent.EntityComponent
                {
                    What = new R4.ResourceReference
                    {
                        Identifier = new R4.Identifier(StreamSystem, resource.Id.ToString()),
                        Display = $"{resource.Type} at version {resource.Version}",
                    },
                    Role = new R4.Coding("http://terminology.hl7.org/CodeSystem/object-role", "4", "Domain Resource"),
                    Name = resource.Type,
                    Detail = [new R4.AuditEvent.DetailComponent { Type = "version", Value = new R4.FhirString(resource.Version.ToString()) }],
                }),
            ],
        };
        return audit;
    }

    /// <summary>HL7 v3 ActReason codes for each purpose; a break-glass read is emergency treatment and "break the glass".</summary>
    public static List<R4.Coding> Purposes(AccessPurpose purpose) => purpose switch
    {
        AccessPurpose.DirectCare => [new(ActReason, "TREAT", "treatment")],
        AccessPurpose.PatientAccess => [new(ActReason, "PATRQT", "patient requested")],
        AccessPurpose.BreakGlass => [new(ActReason, "ETREAT", "Emergency Treatment"), new(ActReason, "BTG", "break the glass")],
        AccessPurpose.Administration => [new(ActReason, "HOPERAT", "healthcare operations")],
        AccessPurpose.Export => [new(ActReason, "PATRQT", "patient requested")],
        AccessPurpose.NhsExchange => [new(ActReason, "TREAT", "treatment")],
        _ => throw new ArgumentOutOfRangeException(nameof(purpose), purpose, null),
    };
}

using EventSourcedClinic.Api.Clinical;
using EventSourcedClinic.Domain.Clinical.Consent;
using EventSourcedClinic.Domain.Compliance;

namespace EventSourcedClinic.Api.Fhir;

/// <summary>
/// Who is calling the FHIR API and what they may see (ADR 0011). An NHS system client reads a resource type only with a
/// <c>system/{Type}.read</c> (or <c>system/*.read</c>) scope, and sees only patients whose consent to share with NHS
/// Talking Therapies is in force at the moment of the request; a patient sees themself; a therapist their care team.
/// Everything else is "not found". Every patient whose data is returned is written to their access log first.
/// </summary>
public sealed class FhirCaller(IHttpContextAccessor accessor, IQuerySession session, AccessLog accessLog, TimeProvider time)
{
    private readonly HttpContext http = accessor.HttpContext ?? throw new InvalidOperationException("FhirCaller serves HTTP requests only.");

    public Actor Actor => Actor.From(http.User);

    public bool IsSystem => Actor.Is(ClinicRoles.System);

    private IReadOnlySet<string> Scopes => http.User.FindAll(ClinicClaims.Scope)
        .SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToHashSet();

    public bool MayRead(string type) => IsSystem
        ? Scopes.Contains("system/*.read") || Scopes.Contains($"system/{type}.read") || Scopes.Contains("system/*.rs") || Scopes.Contains($"system/{type}.rs")
        : Actor.Is(ClinicRoles.Patient) || Actor.Is(ClinicRoles.Therapist);

    public bool MayWrite(string type) => IsSystem
        ? Scopes.Contains("system/*.write") || Scopes.Contains($"system/{type}.write") || Scopes.Contains("system/*.cud") || Scopes.Contains($"system/{type}.c")
        : Actor.Is(ClinicRoles.Admin);

    public IResult RefuseRead(string type) =>
        FhirResponses.Forbidden($"This token does not grant reading {type}: a system client needs 'system/{type}.read' or 'system/*.read'.");

    /// <summary>Whether the caller may see this patient now: the one patient access policy, as every other surface asks it.</summary>
    public Task<bool> MaySeeAsync(Guid patientId, CancellationToken cancellation) =>
        PatientAccess.MaySeeAsync(Actor, patientId, session, time.GetUtcNow(), cancellation);

    /// <summary>The patients among these the caller may see, decided in one or two queries whatever their number.</summary>
    public Task<HashSet<Guid>> VisibleAsync(IEnumerable<Guid> patientIds, CancellationToken cancellation) =>
        PatientAccess.VisibleAsync(Actor, patientIds, session, time.GetUtcNow(), cancellation);

    public AccessPurpose Purpose => IsSystem ? AccessPurpose.NhsExchange
        : Actor.Is(ClinicRoles.Patient) ? AccessPurpose.PatientAccess
        : Actor.Is(ClinicRoles.Compliance) ? AccessPurpose.Administration
        : AccessPurpose.DirectCare;

    /// <summary>
    /// What an inbound create may answer with: the resource, logged, when the caller may see its patient; otherwise only
    /// an OperationOutcome saying it was accepted (a system learns nothing of a patient who does not consent to sharing).
    /// </summary>
    public async Task<Hl7.Fhir.Model.Resource> DiscloseAsync(Hl7.Fhir.Model.Resource resource, CancellationToken cancellation)
    {
        var (subject, recordType) = resource switch
        {
            Hl7.Fhir.Model.ServiceRequest r => (r.Subject?.Reference, RecordTypes.CareEpisode),
            Hl7.Fhir.Model.QuestionnaireResponse q => (q.Subject?.Reference, RecordTypes.Outcomes),
            _ => (null, ""),
        };
        if (subject is null || !subject.StartsWith("Patient/", StringComparison.Ordinal) || !Guid.TryParse(subject[8..], out var patientId))
        {
            return resource;
        }

        if (!await MaySeeAsync(patientId, cancellation))
        {
            return new Hl7.Fhir.Model.OperationOutcome
            {
                Issue =
                [
                    new Hl7.Fhir.Model.OperationOutcome.IssueComponent
                    {
                        Severity = Hl7.Fhir.Model.OperationOutcome.IssueSeverity.Information,
                        Code = Hl7.Fhir.Model.OperationOutcome.IssueType.Informational,
                        Diagnostics = $"The {resource.TypeName} was accepted. It is not shown: the patient has not consented to sharing with NHS Talking Therapies.",
                    },
                ],
            };
        }

        var streamId = resource is Hl7.Fhir.Model.QuestionnaireResponse
            ? Domain.Clinical.Outcomes.RecordOutcome.StreamId(patientId)
            : Guid.Parse(resource.Id!);
        await LogAsync([(patientId, recordType, streamId)], cancellation);
        return resource;
    }

    /// <summary>Logs what is about to be returned, one access per patient, with each stream served.</summary>
    public Task LogAsync(IEnumerable<(Guid PatientId, string Type, Guid StreamId)> served, CancellationToken cancellation) =>
        accessLog.RecordAsync(http, served.GroupBy(s => s.PatientId)
            .Select(g => new PatientRead(g.Key, Purpose, null, g.Select(s => (s.Type, s.StreamId)).Distinct().ToArray()))
            .ToArray(), cancellation);
}

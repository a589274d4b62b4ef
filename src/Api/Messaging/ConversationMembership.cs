using EventSourcedClinic.Domain.Compliance;
using EventSourcedClinic.Domain.Messaging;

namespace EventSourcedClinic.Api.Messaging;

/// <summary>
/// Who is in a patient's conversation, checked on every join, read and send: the patient, the therapists of their care
/// team (a therapist who leaves it loses the conversation), and the clinic's desk (admins). Anyone else is refused and
/// the attempt logged; another patient is told it does not exist.
/// </summary>
public sealed class ConversationMembership(ILogger<ConversationMembership> logger)
{
    public async Task<(SenderRole Role, AccessPurpose Purpose, ProblemDetails? Refused)> CheckAsync(
        Actor actor, Guid patientId, IQuerySession session, CancellationToken cancellation)
    {
        if (actor.Is(ClinicRoles.Patient))
        {
            return actor.UserId == patientId
                ? (SenderRole.Patient, AccessPurpose.PatientAccess, null)
                : Refuse(actor, patientId, Problems.NotFound("conversation"));
        }

        if (actor.Is(ClinicRoles.Admin))
        {
            // The desk writes to any patient, but only to a patient: no conversation is started for an id that is no one's.
            return await session.Events.AggregateStreamAsync<Domain.Patients.Patient>(patientId, token: cancellation) is null
                ? (SenderRole.Desk, AccessPurpose.Administration, Problems.NotFound("patient"))
                : (SenderRole.Desk, AccessPurpose.Administration, null);
        }

        if (actor.Is(ClinicRoles.Therapist) && actor.UserId is { } therapistId && await PatientAccess.InCareAsync(session, therapistId, patientId, cancellation))
        {
            return (SenderRole.Therapist, AccessPurpose.DirectCare, null);
        }

        return Refuse(actor, patientId, Problems.Forbidden("Only the patient, their care team and the clinic's desk take part in this conversation."));
    }

    /// <summary>The same, with a query session of its own (for a route that writes through its own session).</summary>
    public async Task<(SenderRole Role, ProblemDetails? Refused)> CheckAsync(Actor actor, Guid patientId, IDocumentStore store, CancellationToken cancellation)
    {
        await using var session = store.QuerySession();
        var (role, _, refused) = await CheckAsync(actor, patientId, session, cancellation);
        return (role, refused);
    }

    private (SenderRole, AccessPurpose, ProblemDetails) Refuse(Actor actor, Guid patientId, ProblemDetails problem)
    {
        logger.LogWarning("Refused a conversation: {Role} {ActorId} is not a member of patient {PatientId}'s conversation", actor.Role, actor.Id, patientId);
        return (SenderRole.Patient, AccessPurpose.DirectCare, problem);
    }

    public static string Group(Guid patientId) => $"conversation:{patientId}";
}

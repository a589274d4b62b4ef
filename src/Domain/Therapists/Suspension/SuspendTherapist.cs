namespace EventSourcedClinic.Domain.Therapists.Suspension;

/// <summary>An admin takes a therapist out of the directory and out of booking, with a reason.</summary>
public sealed record SuspendTherapist(long ExpectedVersion, string Reason) : IExpectVersion
{
    public static Decision Decide(Therapist therapist, SuspendTherapist command, DateTimeOffset now)
    {
        if (therapist.IsSuspended)
        {
            return Rejection.Conflict("already-suspended", "This therapist is already suspended.");
        }

        return Decision.Accept(new TherapistSuspended(therapist.Id, command.Reason.Trim(), now));
    }
}

public sealed record TherapistSuspended(Guid TherapistId, string Reason, DateTimeOffset SuspendedAt);

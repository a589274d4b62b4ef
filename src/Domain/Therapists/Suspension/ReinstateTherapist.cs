namespace EventSourcedClinic.Domain.Therapists.Suspension;

/// <summary>An admin lifts a suspension.</summary>
public sealed record ReinstateTherapist(long ExpectedVersion, string Reason) : IExpectVersion
{
    public static Decision Decide(Therapist therapist, ReinstateTherapist command, DateTimeOffset now)
    {
        if (!therapist.IsSuspended)
        {
            return Rejection.Conflict("not-suspended", "This therapist is not suspended.");
        }

        return Decision.Accept(new TherapistReinstated(therapist.Id, command.Reason.Trim(), now));
    }
}

public sealed record TherapistReinstated(Guid TherapistId, string Reason, DateTimeOffset ReinstatedAt);

namespace EventSourcedClinic.Domain.Therapists.Verification;

/// <summary>An admin confirms the registration against the professional body's public register.</summary>
public sealed record VerifyRegistration(long ExpectedVersion, string CheckedAgainst) : IExpectVersion
{
    public static Decision Decide(Therapist therapist, VerifyRegistration command, DateTimeOffset now)
    {
        if (therapist.IsVerified)
        {
            return Rejection.Conflict("already-verified", "This therapist's registration is already verified.");
        }

        return Decision.Accept(new TherapistRegistrationVerified(therapist.Id, command.CheckedAgainst.Trim(), now));
    }
}

public sealed record TherapistRegistrationVerified(Guid TherapistId, string CheckedAgainst, DateTimeOffset VerifiedAt);

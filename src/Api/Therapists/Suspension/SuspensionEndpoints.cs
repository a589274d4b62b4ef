using EventSourcedClinic.Domain.Therapists;
using EventSourcedClinic.Domain.Therapists.Suspension;

namespace EventSourcedClinic.Api.Therapists.Suspension;

/// <summary>
/// The admin suspends a therapist (out of the directory and out of booking until reinstated) and lifts the suspension:
/// two actions of one kind, each with the version the admin read and a reason that stays on the record.
/// </summary>
public static class SuspensionEndpoints
{
    public static ProblemDetails Validate(SuspendTherapistRequest command) => Check(command.ExpectedVersion, command.Reason);

    [WolverinePost("/api/therapists/{therapistId}/suspension"), Authorize(Roles = ClinicRoles.Admin)]
    [ProducesResponseType<StreamVersion>(StatusCodes.Status200OK)]
    public static async Task<IResult> Suspend(SuspendTherapistRequest command, Guid therapistId, IDocumentSession session, TimeProvider time, CancellationToken cancellation) =>
        (await session.ChangeAsync<Therapist>(therapistId, "therapist", command.ExpectedVersion,
            t => SuspendTherapist.Decide(t, command, time.GetUtcNow()), cancellation)).Ok();

    public static ProblemDetails Check(long expectedVersion, string reason) =>
        Problems.Validate(new StandingChange(expectedVersion, reason), StandingChange.Validator.Instance);

    /// <summary>What a suspension and a reinstatement both carry.</summary>
    public sealed record StandingChange(long ExpectedVersion, string Reason)
    {
        public sealed class Validator : AbstractValidator<StandingChange>
        {
            /// <summary>Built once: building a validator compiles its rules.</summary>
            public static readonly Validator Instance = new();

            public Validator()
            {
                RuleFor(x => x.ExpectedVersion).StreamVersion();
                RuleFor(x => x.Reason).Reason();
            }
        }
    }
}

/// <summary>The admin lifts a suspension.</summary>
public static class ReinstatementEndpoint
{
    public static ProblemDetails Validate(ReinstateTherapistRequest command) => SuspensionEndpoints.Check(command.ExpectedVersion, command.Reason);

    [WolverinePost("/api/therapists/{therapistId}/reinstatement"), Authorize(Roles = ClinicRoles.Admin)]
    [ProducesResponseType<StreamVersion>(StatusCodes.Status200OK)]
    public static async Task<IResult> Reinstate(ReinstateTherapistRequest command, Guid therapistId, IDocumentSession session, TimeProvider time, CancellationToken cancellation) =>
        (await session.ChangeAsync<Therapist>(therapistId, "therapist", command.ExpectedVersion,
            t => ReinstateTherapist.Decide(t, command, time.GetUtcNow()), cancellation)).Ok();
}

/// <summary>The request body of <see cref="ReinstateTherapist"/>: the HTTP contract, converted to the command at the edge (ADR 0012).</summary>
public sealed record ReinstateTherapistRequest(long ExpectedVersion, string Reason) : IExpectVersion
{
    public static implicit operator ReinstateTherapist(ReinstateTherapistRequest request) => new(request.ExpectedVersion, request.Reason);
}

/// <summary>The request body of <see cref="SuspendTherapist"/>: the HTTP contract, converted to the command at the edge (ADR 0012).</summary>
public sealed record SuspendTherapistRequest(long ExpectedVersion, string Reason) : IExpectVersion
{
    public static implicit operator SuspendTherapist(SuspendTherapistRequest request) => new(request.ExpectedVersion, request.Reason);
}

using EventSourcedClinic.Domain.Scheduling.Availability;
using AvailabilityRules = EventSourcedClinic.Domain.Scheduling.Availability.Availability;

namespace EventSourcedClinic.Api.Scheduling.Availability;

/// <summary>A therapist takes back a period of time off.</summary>
public static class RemoveTimeOffEndpoint
{
    public static ProblemDetails Validate(RemoveTimeOffRequest command, Guid therapistId, ClaimsPrincipal user) =>
        Actor.From(user).MayActForTherapist(therapistId) ? Problems.Validate(command, Validator.Instance) : Problems.Forbidden("Therapists manage their own time off.");

    [WolverinePost("/api/therapists/{therapistId}/availability/time-off-removal"), Authorize(Roles = $"{ClinicRoles.Therapist},{ClinicRoles.Admin}")]
    [ProducesResponseType<StreamVersion>(StatusCodes.Status200OK)]
    public static async Task<IResult> Post(RemoveTimeOffRequest command, Guid therapistId, IDocumentSession session, TimeProvider time, CancellationToken cancellation)
        => (await session.ChangeAsync<AvailabilityRules>(AvailabilityRules.StreamId(therapistId), "availability", command.ExpectedVersion,
            current => RemoveTimeOff.Decide(current, command, time.GetUtcNow()), cancellation)).Ok();

    public sealed class Validator : AbstractValidator<RemoveTimeOffRequest>
    {
        /// <summary>Built once: building a validator compiles its rules.</summary>
        public static readonly Validator Instance = new();

        public Validator() => RuleFor(x => x.ExpectedVersion).GreaterThan(0);
    }
}

/// <summary>The request body of <see cref="RemoveTimeOff"/>: the HTTP contract, converted to the command at the edge (ADR 0012).</summary>
public sealed record RemoveTimeOffRequest(long ExpectedVersion, Guid TimeOffId) : IExpectVersion
{
    public static implicit operator RemoveTimeOff(RemoveTimeOffRequest request) => new(request.ExpectedVersion, request.TimeOffId);
}

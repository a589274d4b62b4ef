using EventSourcedClinic.Domain.Scheduling.Availability;
using AvailabilityRules = EventSourcedClinic.Domain.Scheduling.Availability.Availability;

namespace EventSourcedClinic.Api.Scheduling.Availability;

/// <summary>A therapist blocks London dates; sessions already booked on them stay booked.</summary>
public static class AddTimeOffEndpoint
{
    public static ProblemDetails Validate(AddTimeOffRequest command, Guid therapistId, ClaimsPrincipal user) =>
        Actor.From(user).MayActForTherapist(therapistId) ? Problems.Validate(command, Validator.Instance) : Problems.Forbidden("Therapists manage their own time off.");

    [WolverinePost("/api/therapists/{therapistId}/availability/time-off"), Authorize(Roles = $"{ClinicRoles.Therapist},{ClinicRoles.Admin}")]
    [ProducesResponseType<TimeOffAdded>(StatusCodes.Status200OK)]
    public static async Task<IResult> Post(AddTimeOffRequest command, Guid therapistId, IDocumentSession session, TimeProvider time, CancellationToken cancellation)
    {
        var timeOffId = Guid.CreateVersion7();
        var written = await session.ChangeAsync<AvailabilityRules>(AvailabilityRules.StreamId(therapistId), "availability", command.ExpectedVersion,
            current => AddTimeOff.Decide(current, command, timeOffId, time.GetUtcNow()), cancellation);
        return written.Ok(new TimeOffAdded(timeOffId, written.Version));
    }

    public sealed record TimeOffAdded(Guid TimeOffId, long Version);

    public sealed class Validator : AbstractValidator<AddTimeOffRequest>
    {
        /// <summary>Built once: building a validator compiles its rules.</summary>
        public static readonly Validator Instance = new();

        public Validator()
        {
            RuleFor(x => x.ExpectedVersion).GreaterThan(0);
            RuleFor(x => x.Reason).NotNull().MaximumLength(200);
        }
    }
}

/// <summary>The request body of <see cref="AddTimeOff"/>: the HTTP contract, converted to the command at the edge (ADR 0012).</summary>
public sealed record AddTimeOffRequest(long ExpectedVersion, DateOnly From, DateOnly To, string Reason) : IExpectVersion
{
    public static implicit operator AddTimeOff(AddTimeOffRequest request) => new(request.ExpectedVersion, request.From, request.To, request.Reason);
}

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

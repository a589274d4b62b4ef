using EventSourcedClinic.Domain.Scheduling.Availability;
using EventSourcedClinic.Projections.Therapists;
using AvailabilityRules = EventSourcedClinic.Domain.Scheduling.Availability.Availability;

namespace EventSourcedClinic.Api.Scheduling.Availability;

/// <summary>
/// A therapist (or an admin for them) states weekly hours in London time, the buffer between sessions, the minimum
/// notice and the booking horizon. The first statement (expected version 0) starts the Availability stream.
/// </summary>
public static class SetWorkingHoursEndpoint
{
    public static ProblemDetails Validate(SetWorkingHoursRequest command, Guid therapistId, ClaimsPrincipal user) =>
        Actor.From(user).MayActForTherapist(therapistId) ? Problems.Validate(command, Validator.Instance) : Problems.Forbidden("Therapists set their own hours.");

    [WolverinePut("/api/therapists/{therapistId}/availability"), Authorize(Roles = $"{ClinicRoles.Therapist},{ClinicRoles.Admin}")]
    [ProducesResponseType<StreamVersion>(StatusCodes.Status200OK)]
    public static async Task<IResult> Put(
        SetWorkingHoursRequest command, Guid therapistId, IDocumentSession session, TimeProvider time, CancellationToken cancellation)
    {
        if (await session.LoadAsync<TherapistDirectoryEntry>(therapistId, cancellation) is null)
        {
            return Results.Problem(Problems.NotFound("therapist"));
        }

        return (await session.AppendAsync<AvailabilityRules>(AvailabilityRules.StreamId(therapistId), "availability", command.ExpectedVersion,
            current => SetWorkingHours.Decide(therapistId, current, command, time.GetUtcNow()), cancellation)).Ok();
    }

    public sealed class Validator : AbstractValidator<SetWorkingHoursRequest>
    {
        /// <summary>Built once: building a validator compiles its rules.</summary>
        public static readonly Validator Instance = new();

        public Validator()
        {
            RuleFor(x => x.ExpectedVersion).GreaterThanOrEqualTo(0);
            RuleFor(x => x.Hours).NotNull().Must(h => h is null || h.Length <= 28).WithMessage("At most 28 intervals a week.");
            RuleForEach(x => x.Hours).NotNull().ChildRules(interval =>
            {
                interval.RuleFor(i => i.Day).IsInEnum();
                interval.RuleFor(i => i.End).GreaterThan(i => i.Start).WithMessage("An interval ends after it starts.");
            });
            RuleFor(x => x.BufferMinutes).InclusiveBetween(0, SetWorkingHours.MaxBufferMinutes);
            RuleFor(x => x.MinimumNoticeHours).InclusiveBetween(0, SetWorkingHours.MaxNoticeHours);
            RuleFor(x => x.HorizonWeeks).InclusiveBetween(1, SetWorkingHours.MaxHorizonWeeks);
        }
    }
}

/// <summary>The request body of <see cref="SetWorkingHours"/>: the HTTP contract, converted to the command at the edge (ADR 0012).</summary>
public sealed record SetWorkingHoursRequest(
    long ExpectedVersion,
    WeeklyIntervalBody[] Hours,
    int BufferMinutes,
    int MinimumNoticeHours = Domain.Scheduling.Availability.Availability.DefaultMinimumNoticeHours,
    int HorizonWeeks = Domain.Scheduling.Availability.Availability.DefaultHorizonWeeks) : IExpectVersion
{
    public static implicit operator SetWorkingHours(SetWorkingHoursRequest request) => new(
        request.ExpectedVersion,
        request.Hours.Select(x => (WeeklyInterval)x).ToArray(),
        request.BufferMinutes,
        request.MinimumNoticeHours,
        request.HorizonWeeks);
}

/// <summary>Weekly hours (London time) as the HTTP contract carries them.</summary>
public sealed record WeeklyIntervalBody(DayOfWeek Day, TimeOnly Start, TimeOnly End)
{
    public static explicit operator WeeklyInterval(WeeklyIntervalBody body) => new(body.Day, body.Start, body.End);
}

using EventSourcedClinic.Domain.Scheduling.Booking;

namespace EventSourcedClinic.Api.Scheduling.Booking;

/// <summary>The session's therapist (or the clinic) records how a session that took place was held.</summary>
public static class RecordConsultationMediumEndpoint
{
    public static ProblemDetails Validate(RecordConsultationMediumRequest command) => Problems.Validate(command, Validator.Instance);

    [WolverinePost("/api/appointments/{appointmentId}/medium"), Authorize(Roles = $"{ClinicRoles.Therapist},{ClinicRoles.Admin}")]
    [ProducesResponseType<StreamVersion>(StatusCodes.Status200OK)]
    public static async Task<IResult> Post(
        RecordConsultationMediumRequest command, Guid appointmentId, ClaimsPrincipal user, IDocumentSession session, TimeProvider time,
        CancellationToken cancellation) =>
        (await AppointmentCommands.ChangeAsync(session, appointmentId, command.ExpectedVersion, Actor.From(user),
            a => RecordConsultationMedium.Decide(a, command, time.GetUtcNow()), cancellation)).Ok();

    public sealed class Validator : AbstractValidator<RecordConsultationMediumRequest>
    {
        /// <summary>Built once: building a validator compiles its rules.</summary>
        public static readonly Validator Instance = new();

        public Validator()
        {
            RuleFor(x => x.ExpectedVersion).ExpectedVersion();
            RuleFor(x => x.Medium).IsInEnum();
        }
    }
}

/// <summary>The request body of <see cref="RecordConsultationMedium"/>: the HTTP contract, converted to the command at the edge (ADR 0012).</summary>
public sealed record RecordConsultationMediumRequest(long ExpectedVersion, ConsultationMedium Medium) : IExpectVersion
{
    public static implicit operator RecordConsultationMedium(RecordConsultationMediumRequest request) => new(request.ExpectedVersion, request.Medium);
}

using EventSourcedClinic.Domain.Scheduling.Booking;
using Microsoft.Extensions.Options;
using Wolverine;

namespace EventSourcedClinic.Api.Scheduling.Booking;

/// <summary>
/// Moves an appointment to another time of the same therapist, atomically: one transaction appends the move and
/// updates the claim, so the old time is released only if the new one is taken (a clash is a 409 and nothing moves).
/// </summary>
public static class RescheduleAppointmentEndpoint
{
    public static ProblemDetails Validate(RescheduleAppointmentRequest command) => Problems.Validate(command, Validator.Instance);

    [WolverinePost("/api/appointments/{appointmentId}/reschedule"),
     Authorize(Roles = $"{ClinicRoles.Patient},{ClinicRoles.Therapist},{ClinicRoles.Admin}")]
    [ProducesResponseType<StreamVersion>(StatusCodes.Status200OK)]
    public static async Task<IResult> Post(
        RescheduleAppointmentRequest command, Guid appointmentId, ClaimsPrincipal user, IDocumentSession session, IMessageContext bus, TimeProvider time,
        IOptions<BookingSettings> settings, CancellationToken cancellation)
    {
        var actor = Actor.From(user);
        var now = time.GetUtcNow();
        var written = await AppointmentCommands.ChangeAsync(session, appointmentId, command.ExpectedVersion, actor, (a, therapist) => therapist.Terms is null
            ? Rejection.Unprocessable("therapist-not-bookable", "The therapist is no longer in the clinic.")
            : RescheduleAppointment.Decide(a, command, actor.Party(), therapist.Terms, therapist.Availability, CancelAppointmentEndpoint.Policy(settings), now),
            cancellation);
        await BookingContext.ScheduleFollowUpsAsync(bus, written, now, settings.Value);
        return written.Ok();
    }

    public sealed class Validator : AbstractValidator<RescheduleAppointmentRequest>
    {
        /// <summary>Built once: building a validator compiles its rules.</summary>
        public static readonly Validator Instance = new();

        public Validator()
        {
            RuleFor(x => x.ExpectedVersion).ExpectedVersion();
            RuleFor(x => x.NewStart).NotEqual(default(DateTimeOffset)).WithMessage("'newStart' is required (ISO 8601 with an offset).");
        }
    }
}

/// <summary>The request body of <see cref="RescheduleAppointment"/>: the HTTP contract, converted to the command at the edge (ADR 0012).</summary>
public sealed record RescheduleAppointmentRequest(long ExpectedVersion, DateTimeOffset NewStart) : IExpectVersion
{
    public static implicit operator RescheduleAppointment(RescheduleAppointmentRequest request) => new(request.ExpectedVersion, request.NewStart);
}

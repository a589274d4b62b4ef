using EventSourcedClinic.Domain.Scheduling.Booking;
using Microsoft.Extensions.Options;
using Wolverine;

namespace EventSourcedClinic.Api.Scheduling.Booking;

/// <summary>
/// Confirms a held self-pay session once it is paid: the seam the payment flow will send through, and what an admin
/// sends by hand until then. Schedules the session's reminders.
/// </summary>
public static class ConfirmAppointmentEndpoint
{
    public static ProblemDetails Validate(ConfirmAppointmentRequest command) => Problems.Validate(command, Validator.Instance);

    [WolverinePost("/api/appointments/{appointmentId}/confirmation"), Authorize(Roles = ClinicRoles.Admin)]
    [ProducesResponseType<StreamVersion>(StatusCodes.Status200OK)]
    public static async Task<IResult> Post(
        ConfirmAppointmentRequest command, Guid appointmentId, ClaimsPrincipal user, IDocumentSession session, IMessageContext bus, TimeProvider time,
        IOptions<BookingSettings> settings, CancellationToken cancellation)
    {
        var now = time.GetUtcNow();
        var written = await AppointmentCommands.ChangeAsync(session, appointmentId, command.ExpectedVersion, Actor.From(user),
            a => ConfirmAppointment.Decide(a, command, now), cancellation);
        await BookingContext.ScheduleFollowUpsAsync(bus, written, now, settings.Value);
        return written.Ok();
    }

    public sealed class Validator : AbstractValidator<ConfirmAppointmentRequest>
    {
        /// <summary>Built once: building a validator compiles its rules.</summary>
        public static readonly Validator Instance = new();

        public Validator()
        {
            RuleFor(x => x.ExpectedVersion).ExpectedVersion();
            RuleFor(x => x.Reference).NotEmpty().MaximumLength(200);
        }
    }
}

/// <summary>The request body of <see cref="ConfirmAppointment"/>: the HTTP contract, converted to the command at the edge (ADR 0012).</summary>
public sealed record ConfirmAppointmentRequest(long ExpectedVersion, string Reference) : IExpectVersion
{
    public static implicit operator ConfirmAppointment(ConfirmAppointmentRequest request) => new(request.ExpectedVersion, request.Reference);
}

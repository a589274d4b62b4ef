using EventSourcedClinic.Domain.Scheduling.Booking;
using JasperFx.Events;

namespace EventSourcedClinic.Api.Scheduling.Booking;

/// <summary>Checks shared by the endpoints that act on an existing appointment.</summary>
public static class AppointmentCommands
{
    /// <summary>
    /// Someone else's appointment is not found, whoever asks; then the usual order: shape, existence, version, decision.
    /// </summary>
    public static ProblemDetails Check<TCommand>(
        TCommand command, IValidator<TCommand> validator, IEventStream<Appointment> appointment, Actor actor, Func<Appointment, Decision> decide)
        where TCommand : IExpectVersion
    {
        if (appointment.Aggregate is { } existing && !actor.MaySee(existing.TherapistId, existing.PatientId))
        {
            return Problems.NotFound("appointment");
        }

        return Decisions.Check(command, validator, appointment, "appointment", decide);
    }

    public static IRuleBuilderOptions<T, long> ExpectedVersion<T>(this IRuleBuilder<T, long> rule) =>
        rule.GreaterThan(0).WithMessage("'expectedVersion' is the version of the appointment you read (1 or more).");
}

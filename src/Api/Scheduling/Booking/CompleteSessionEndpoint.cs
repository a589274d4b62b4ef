using EventSourcedClinic.Domain.Scheduling.Booking;
using JasperFx.Events;
using Wolverine.Marten;

namespace EventSourcedClinic.Api.Scheduling.Booking;

/// <summary>The therapist closes a session that took place.</summary>
public static class CompleteSessionEndpoint
{
    public static ProblemDetails Validate(CompleteSession command, IEventStream<Appointment> appointment, ClaimsPrincipal user, TimeProvider time) =>
        AppointmentCommands.Check(command, ExpectedVersionValidator<CompleteSession>.Instance, appointment, Actor.From(user),
            a => CompleteSession.Decide(a, command, time.GetUtcNow()));

    [WolverinePost("/api/appointments/{appointmentId}/completion"), Authorize(Roles = $"{ClinicRoles.Therapist},{ClinicRoles.Admin}")]
    public static StreamVersion Post(CompleteSession command, [WriteAggregate] IEventStream<Appointment> appointment, TimeProvider time) =>
        appointment.Append(CompleteSession.Decide(appointment.Aggregate!, command, time.GetUtcNow()));
}

using EventSourcedClinic.Domain.Scheduling.Booking;
using JasperFx.Events;
using Wolverine.Marten;

namespace EventSourcedClinic.Api.Scheduling.Booking;

/// <summary>The therapist opens the session, from 15 minutes before its start.</summary>
public static class StartSessionEndpoint
{
    public static ProblemDetails Validate(StartSession command, IEventStream<Appointment> appointment, ClaimsPrincipal user, TimeProvider time) =>
        AppointmentCommands.Check(command, ExpectedVersionValidator<StartSession>.Instance, appointment, Actor.From(user),
            a => StartSession.Decide(a, command, time.GetUtcNow()));

    [WolverinePost("/api/appointments/{appointmentId}/start"), Authorize(Roles = $"{ClinicRoles.Therapist},{ClinicRoles.Admin}")]
    public static StreamVersion Post(StartSession command, [WriteAggregate] IEventStream<Appointment> appointment, TimeProvider time) =>
        appointment.Append(StartSession.Decide(appointment.Aggregate!, command, time.GetUtcNow()));
}

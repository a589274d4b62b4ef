using EventSourcedClinic.Domain.Scheduling.Booking;
using JasperFx.Events;
using Wolverine.Marten;

namespace EventSourcedClinic.Api.Scheduling.Booking;

/// <summary>The therapist records that the patient did not come.</summary>
public static class RecordNonAttendanceEndpoint
{
    public static ProblemDetails Validate(RecordNonAttendance command, IEventStream<Appointment> appointment, ClaimsPrincipal user, TimeProvider time) =>
        AppointmentCommands.Check(command, ExpectedVersionValidator<RecordNonAttendance>.Instance, appointment, Actor.From(user),
            a => RecordNonAttendance.Decide(a, command, time.GetUtcNow()));

    [WolverinePost("/api/appointments/{appointmentId}/non-attendance"), Authorize(Roles = $"{ClinicRoles.Therapist},{ClinicRoles.Admin}")]
    public static StreamVersion Post(RecordNonAttendance command, [WriteAggregate] IEventStream<Appointment> appointment, TimeProvider time) =>
        appointment.Append(RecordNonAttendance.Decide(appointment.Aggregate!, command, time.GetUtcNow()));
}

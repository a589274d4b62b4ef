using System.Security.Claims;
using EventSourcedClinic.Api.Hosting;
using EventSourcedClinic.Api.Identity;
using EventSourcedClinic.Domain.Scheduling.Booking;
using FluentValidation;
using JasperFx.Events;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;
using Wolverine.Marten;

namespace EventSourcedClinic.Api.Scheduling.Booking;

/// <summary>The therapist records that the patient did not come.</summary>
public static class RecordNonAttendanceEndpoint
{
    public static ProblemDetails Validate(RecordNonAttendance command, IEventStream<Appointment> appointment, ClaimsPrincipal user, TimeProvider time)
    {
        var actor = Actor.From(user);
        return actor.Is(ClinicRoles.Patient)
            ? Problems.Forbidden("The therapist records how a session went.")
            : AppointmentCommands.Check(command, Validator.Instance, appointment, actor, a => RecordNonAttendance.Decide(a, command, time.GetUtcNow()));
    }

    [WolverinePost("/api/appointments/{appointmentId}/non-attendance"), Authorize(Roles = $"{ClinicRoles.Therapist},{ClinicRoles.Admin}")]
    public static StreamVersion Post(RecordNonAttendance command, [WriteAggregate] IEventStream<Appointment> appointment, TimeProvider time) =>
        appointment.Append(RecordNonAttendance.Decide(appointment.Aggregate!, command, time.GetUtcNow()));

    public sealed class Validator : AbstractValidator<RecordNonAttendance>
    {
        /// <summary>Built once: building a validator compiles its rules.</summary>
        public static readonly Validator Instance = new();

        public Validator() => RuleFor(x => x.ExpectedVersion).ExpectedVersion();
    }
}

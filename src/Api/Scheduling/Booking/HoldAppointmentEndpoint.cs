using EventSourcedClinic.Domain.Compliance;
using EventSourcedClinic.Domain.Scheduling.Booking;
using Microsoft.Extensions.Options;
using Wolverine;

namespace EventSourcedClinic.Api.Scheduling.Booking;

/// <summary>
/// A patient asks for a slot: the Appointment stream starts with a hold, and the claim on the therapist's and the
/// patient's time is written in the same transaction, so two requests for one time cannot both succeed (ADR 0006).
/// An admin may book for a patient, and only an admin may book an NHS-funded session.
/// </summary>
public static class HoldAppointmentEndpoint
{
    public static ProblemDetails Validate(BookAppointment request, ClaimsPrincipal user)
    {
        var actor = Actor.From(user);
        if (!actor.Is(ClinicRoles.Admin) && (request.PatientId is { } other && other != actor.UserId || request.Funding != Funding.SelfPay))
        {
            return Problems.Forbidden("A patient books self-pay sessions for themself; the clinic books NHS-funded ones.");
        }

        if (actor.Is(ClinicRoles.Admin) && request is { PatientId: null })
        {
            return Problems.Validate(request, new InlineValidator<BookAppointment> { v => v.RuleFor(x => x.PatientId).NotNull().WithMessage("The clinic books for a named patient.") });
        }

        return Problems.Validate(request, Validator.Instance);
    }

    [WolverinePost("/api/appointments"), Authorize(Roles = $"{ClinicRoles.Patient},{ClinicRoles.Admin}")]
    [ProducesResponseType<BookedAppointment>(StatusCodes.Status201Created)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity)]
    public static async Task<IResult> Post(
        BookAppointment request, ClaimsPrincipal user, IDocumentSession session, IMessageContext bus, TimeProvider time,
        IOptions<BookingSettings> settings, CancellationToken cancellation)
    {
        var actor = Actor.From(user);
        var patientId = actor.Is(ClinicRoles.Admin) ? request.PatientId!.Value : actor.UserId!.Value;
        if (actor.Is(ClinicRoles.Admin) && !await PatientStreams.IsPatientAsync(session, patientId, cancellation))
        {
            return Results.Problem(Problems.NotFound("patient"));
        }

        if (await session.LoadAsync<RecordsStatus>(RecordsStatus.StreamId(patientId), cancellation) is { } records)
        {
            return Results.Problem(Problems.From(Domain.Rejection.Unprocessable("processing-restricted", records.IsErased
                ? "This patient's personal data was erased; nothing new is booked for them."
                : "Processing of this patient's record is restricted; no new sessions are booked while the restriction stands.")));
        }

        var (terms, availability) = await BookingContext.LoadAsync(session, request.TherapistId, cancellation);
        if (terms is null)
        {
            return Results.Problem(Problems.NotFound("therapist"));
        }

        var now = time.GetUtcNow();
        var appointmentId = Guid.CreateVersion7();
        var written = session.Start<Appointment>(appointmentId, HoldAppointment.Decide(appointmentId, patientId,
            new HoldAppointment(request.TherapistId, request.Start, request.Funding), terms, availability, TimeSpan.FromMinutes(settings.Value.HoldMinutes), now));
        if (written.Refused is not null)
        {
            return written.Ok();
        }

        await BookingContext.ScheduleFollowUpsAsync(bus, written, now, settings.Value);
        var held = (AppointmentHeld)written.Events[0];
        var confirmed = written.Events.Count > 1;
        return written.Created($"/api/appointments/{appointmentId}", new BookedAppointment(
            appointmentId, written.Version, confirmed ? AppointmentStatus.Confirmed : AppointmentStatus.Held, held.Start, held.End,
            held.FeePence, held.Funding, confirmed ? null : held.HoldExpiresAt));
    }

    public sealed class Validator : AbstractValidator<BookAppointment>
    {
        /// <summary>Built once: building a validator compiles its rules.</summary>
        public static readonly Validator Instance = new();

        public Validator()
        {
            RuleFor(x => x.TherapistId).NotEmpty();
            RuleFor(x => x.Start).NotEqual(default(DateTimeOffset)).WithMessage("'start' is required (ISO 8601 with an offset).");
            RuleFor(x => x.Funding).IsInEnum();
            RuleFor(x => x.PatientId).NotEmpty().When(x => x.PatientId is not null);
        }
    }
}

/// <summary>The request to book: the therapist, the slot's start (ISO 8601 with an offset) and, for the clinic, the patient and funding.</summary>
public sealed record BookAppointment(Guid TherapistId, DateTimeOffset Start, Guid? PatientId = null, Funding Funding = Funding.SelfPay);

public sealed record BookedAppointment(
    Guid AppointmentId, long Version, AppointmentStatus Status, DateTimeOffset Start, DateTimeOffset End, int FeePence, Funding Funding,
    DateTimeOffset? HoldExpiresAt);

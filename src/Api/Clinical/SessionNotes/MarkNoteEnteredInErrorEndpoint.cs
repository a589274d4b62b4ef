using EventSourcedClinic.Domain.Clinical.SessionNotes;
using EventSourcedClinic.Domain.Scheduling.Booking;

namespace EventSourcedClinic.Api.Clinical.SessionNotes;

/// <summary>A therapist in the care team marks a note entered in error, with a reason; its text stays for auditors.</summary>
public static class MarkNoteEnteredInErrorEndpoint
{
    public static ProblemDetails Validate(MarkNoteEnteredInError command) => Problems.Validate(command, Validator.Instance);

    [WolverinePost("/api/appointments/{appointmentId}/note/entered-in-error"), Authorize(Roles = ClinicRoles.Therapist)]
    public static Task<IResult> Post(MarkNoteEnteredInError command, Guid appointmentId, ClaimsPrincipal user, IDocumentSession session,
        PatientAccess access, TimeProvider time, CancellationToken cancellation) =>
        SessionNoteStream.ChangeAsync(appointmentId, command.ExpectedVersion, user, session, access,
            (note, by) => MarkNoteEnteredInError.Decide(note, by, command, time.GetUtcNow()), cancellation);

    public sealed class Validator : AbstractValidator<MarkNoteEnteredInError>
    {
        /// <summary>Built once: building a validator compiles its rules.</summary>
        public static readonly Validator Instance = new();

        public Validator() => RuleFor(x => x.Reason).NotEmpty().MaximumLength(1_000);
    }
}

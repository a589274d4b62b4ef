using EventSourcedClinic.Domain.Clinical.SessionNotes;
using EventSourcedClinic.Domain.Scheduling.Booking;

namespace EventSourcedClinic.Api.Clinical.SessionNotes;

/// <summary>A therapist in the care team marks a note entered in error, with a reason; its text stays for auditors.</summary>
public static class MarkNoteEnteredInErrorEndpoint
{
    public static ProblemDetails Validate(MarkNoteEnteredInErrorRequest command) => Problems.Validate(command, Validator.Instance);

    [WolverinePost("/api/appointments/{appointmentId}/note/entered-in-error"), Authorize(Roles = ClinicRoles.Therapist)]
    [ProducesResponseType<StreamVersion>(StatusCodes.Status200OK)]
    public static Task<IResult> Post(MarkNoteEnteredInErrorRequest command, Guid appointmentId, ClaimsPrincipal user, IDocumentSession session,
        PatientAccess access, TimeProvider time, CancellationToken cancellation) =>
        SessionNoteStream.ChangeAsync(appointmentId, command.ExpectedVersion, user, session, access,
            (note, by) => MarkNoteEnteredInError.Decide(note, by, command, time.GetUtcNow()), cancellation);

    public sealed class Validator : AbstractValidator<MarkNoteEnteredInErrorRequest>
    {
        /// <summary>Built once: building a validator compiles its rules.</summary>
        public static readonly Validator Instance = new();

        public Validator() => RuleFor(x => x.Reason).NotEmpty().MaximumLength(1_000);
    }
}

/// <summary>The request body of <see cref="MarkNoteEnteredInError"/>: the HTTP contract, converted to the command at the edge (ADR 0012).</summary>
public sealed record MarkNoteEnteredInErrorRequest(long ExpectedVersion, string Reason) : IExpectVersion
{
    public static implicit operator MarkNoteEnteredInError(MarkNoteEnteredInErrorRequest request) => new(request.ExpectedVersion, request.Reason);
}

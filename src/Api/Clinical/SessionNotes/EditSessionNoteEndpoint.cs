using EventSourcedClinic.Domain.Clinical.SessionNotes;
using EventSourcedClinic.Domain.Scheduling.Booking;

namespace EventSourcedClinic.Api.Clinical.SessionNotes;

/// <summary>The author edits a draft.</summary>
public static class EditSessionNoteEndpoint
{
    public static ProblemDetails Validate(EditSessionNoteRequest command) => Problems.Validate(command, Validator.Instance);

    [WolverinePut("/api/appointments/{appointmentId}/note"), Authorize(Roles = ClinicRoles.Therapist)]
    [ProducesResponseType<StreamVersion>(StatusCodes.Status200OK)]
    public static Task<IResult> Put(EditSessionNoteRequest command, Guid appointmentId, ClaimsPrincipal user, IDocumentSession session, PatientAccess access,
        TimeProvider time, CancellationToken cancellation) =>
        SessionNoteStream.ChangeAsync(appointmentId, command.ExpectedVersion, user, session, access,
            (note, by) => EditSessionNote.Decide(note, by, command, time.GetUtcNow()), cancellation);

    public sealed class Validator : AbstractValidator<EditSessionNoteRequest>
    {
        /// <summary>Built once: building a validator compiles its rules.</summary>
        public static readonly Validator Instance = new();

        public Validator()
        {
            RuleFor(x => x.ExpectedVersion).GreaterThan(0);
            RuleFor(x => x.Text).NoteText();
        }
    }
}

/// <summary>The request body of <see cref="EditSessionNote"/>: the HTTP contract, converted to the command at the edge (ADR 0012).</summary>
public sealed record EditSessionNoteRequest(long ExpectedVersion, string Text) : IExpectVersion
{
    public static implicit operator EditSessionNote(EditSessionNoteRequest request) => new(request.ExpectedVersion, request.Text);
}

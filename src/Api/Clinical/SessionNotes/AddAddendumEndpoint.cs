using EventSourcedClinic.Domain.Clinical.SessionNotes;
using EventSourcedClinic.Domain.Scheduling.Booking;

namespace EventSourcedClinic.Api.Clinical.SessionNotes;

/// <summary>A therapist in the care team adds to a signed note.</summary>
public static class AddAddendumEndpoint
{
    public static ProblemDetails Validate(AddAddendumRequest command) => Problems.Validate(command, Validator.Instance);

    [WolverinePost("/api/appointments/{appointmentId}/note/addenda"), Authorize(Roles = ClinicRoles.Therapist)]
    [ProducesResponseType<StreamVersion>(StatusCodes.Status200OK)]
    public static Task<IResult> Post(AddAddendumRequest command, Guid appointmentId, ClaimsPrincipal user, IDocumentSession session, PatientAccess access,
        TimeProvider time, CancellationToken cancellation) =>
        SessionNoteStream.ChangeAsync(appointmentId, command.ExpectedVersion, user, session, access,
            (note, by) => AddAddendum.Decide(note, by, command, Guid.CreateVersion7(), time.GetUtcNow()), cancellation);

    public sealed class Validator : AbstractValidator<AddAddendumRequest>
    {
        /// <summary>Built once: building a validator compiles its rules.</summary>
        public static readonly Validator Instance = new();

        public Validator() => RuleFor(x => x.Text).NotEmpty().MaximumLength(SessionNote.MaxLength);
    }
}

/// <summary>The request body of <see cref="AddAddendum"/>: the HTTP contract, converted to the command at the edge (ADR 0012).</summary>
public sealed record AddAddendumRequest(long ExpectedVersion, string Text) : IExpectVersion
{
    public static implicit operator AddAddendum(AddAddendumRequest request) => new(request.ExpectedVersion, request.Text);
}

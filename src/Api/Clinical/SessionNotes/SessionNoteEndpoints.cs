using EventSourcedClinic.Domain.Clinical.SessionNotes;
using EventSourcedClinic.Domain.Scheduling.Booking;

namespace EventSourcedClinic.Api.Clinical.SessionNotes;

// A session note's life (ADR 0012): drafted by the session's therapist, edited, signed, released to the patient,
// added to or marked entered in error by the care team; each action one endpoint over the shared write path.

/// <summary>
/// What the session-note endpoints share: the caller must be a therapist in the patient's care team, then the shared
/// write path checks the note's version, decides and appends.
/// </summary>
public static class SessionNoteStream
{
    public static async Task<IResult> ChangeAsync(
        Guid appointmentId, long expectedVersion, ClaimsPrincipal user, IDocumentSession session, PatientAccess access,
        Func<SessionNote, Guid, Decision> decide, CancellationToken cancellation)
    {
        var actor = Actor.From(user);
        return (await session.ChangeAsync<SessionNote>(SessionNote.StreamId(appointmentId), "session note", expectedVersion,
            note => decide(note, actor.UserId!.Value), cancellation,
            guardAsync: note => access.CheckAsync(actor, note.PatientId, session, cancellation))).Ok();
    }

    public static IRuleBuilderOptions<T, string> NoteText<T>(this IRuleBuilder<T, string> rule) =>
        rule.NotNull().MaximumLength(SessionNote.MaxLength);
}

/// <summary>The session's therapist starts its note.</summary>
public static class DraftSessionNoteEndpoint
{
    public static ProblemDetails Validate(DraftSessionNoteRequest command) => Problems.Validate(command, Validator.Instance);

    [WolverinePost("/api/appointments/{appointmentId}/note"), Authorize(Roles = ClinicRoles.Therapist)]
    [ProducesResponseType<StreamVersion>(StatusCodes.Status201Created)]
    public static async Task<IResult> Post(
        DraftSessionNoteRequest command, Guid appointmentId, ClaimsPrincipal user, IDocumentSession session, TimeProvider time, CancellationToken cancellation)
    {
        var actor = Actor.From(user);
        var appointment = await session.Events.AggregateStreamAsync<Appointment>(appointmentId, token: cancellation);
        if (appointment is null || appointment.TherapistId != actor.UserId)
        {
            return Results.Problem(Problems.NotFound("appointment"));
        }

        var noteId = SessionNote.StreamId(appointmentId);
        if (await session.Events.FetchStreamStateAsync(noteId, cancellation) is not null)
        {
            return Results.Problem(Problems.Conflict("note-exists", "This session already has a note; edit the draft or add an addendum."));
        }

        return session.Start<SessionNote>(noteId, DraftSessionNote.Decide(appointment, actor.UserId!.Value, command, time.GetUtcNow()))
            .Created($"/api/appointments/{appointmentId}/note");
    }

    public sealed class Validator : AbstractValidator<DraftSessionNoteRequest>
    {
        /// <summary>Built once: building a validator compiles its rules.</summary>
        public static readonly Validator Instance = new();

        public Validator() => RuleFor(x => x.Text).NoteText();
    }
}

/// <summary>The request body of <see cref="DraftSessionNote"/>: the HTTP contract, converted to the command at the edge (ADR 0012).</summary>
public sealed record DraftSessionNoteRequest(string Text)
{
    public static implicit operator DraftSessionNote(DraftSessionNoteRequest request) => new(request.Text);
}

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

/// <summary>The author signs the note, which locks it.</summary>
public static class SignSessionNoteEndpoint
{
    [WolverinePost("/api/appointments/{appointmentId}/note/signature"), Authorize(Roles = ClinicRoles.Therapist)]
    [ProducesResponseType<StreamVersion>(StatusCodes.Status200OK)]
    public static Task<IResult> Post(VersionedRequest command, Guid appointmentId, ClaimsPrincipal user, IDocumentSession session, PatientAccess access,
        TimeProvider time, CancellationToken cancellation) =>
        SessionNoteStream.ChangeAsync(appointmentId, command.ExpectedVersion, user, session, access,
            (note, by) => SignSessionNote.Decide(note, by, new SignSessionNote(command.ExpectedVersion), time.GetUtcNow()), cancellation);
}

/// <summary>Releasing a signed note to the patient is a deliberate act of the care team.</summary>
public static class ReleaseNoteEndpoint
{
    [WolverinePost("/api/appointments/{appointmentId}/note/release"), Authorize(Roles = ClinicRoles.Therapist)]
    [ProducesResponseType<StreamVersion>(StatusCodes.Status200OK)]
    public static Task<IResult> Post(VersionedRequest command, Guid appointmentId, ClaimsPrincipal user, IDocumentSession session,
        PatientAccess access, TimeProvider time, CancellationToken cancellation) =>
        SessionNoteStream.ChangeAsync(appointmentId, command.ExpectedVersion, user, session, access,
            (note, by) => ReleaseNoteToPatient.Decide(note, by, new ReleaseNoteToPatient(command.ExpectedVersion), time.GetUtcNow()), cancellation);
}

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

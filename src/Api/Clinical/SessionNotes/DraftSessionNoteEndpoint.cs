using EventSourcedClinic.Domain.Clinical.SessionNotes;
using EventSourcedClinic.Domain.Scheduling.Booking;

namespace EventSourcedClinic.Api.Clinical.SessionNotes;

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

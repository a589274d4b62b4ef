using EventSourcedClinic.Domain.Clinical.SessionNotes;
using EventSourcedClinic.Domain.Scheduling.Booking;

namespace EventSourcedClinic.Api.Clinical.SessionNotes;

/// <summary>Reading notes: the care team sees every note; the patient sees signed notes released to them.</summary>
public static class SessionNoteViews
{
    [WolverineGet("/api/appointments/{appointmentId}/note"), Authorize(Roles = $"{ClinicRoles.Patient},{ClinicRoles.Therapist}")]
    [ProducesResponseType<SessionNoteView>(StatusCodes.Status200OK)]
    public static async Task<IResult> GetOne(HttpContext http, Guid appointmentId, IQuerySession session, PatientAccess access, CancellationToken cancellation)
    {
        var note = await session.LoadAsync<SessionNote>(SessionNote.StreamId(appointmentId), cancellation);
        if (note is null)
        {
            return Results.Problem(Problems.NotFound("session note"));
        }

        var read = await access.ForReadAsync(http, note.PatientId, session, cancellation);
        if (read.Refused is { } refused)
        {
            return Results.Problem(refused);
        }

        if (read.ByPatient && !PatientMaySee(note))
        {
            return Results.Problem(Problems.NotFound("session note"));
        }

        await read.LogAsync(cancellation, (RecordTypes.SessionNote, note.Id));
        return Results.Ok(SessionNoteView.From(note));
    }

    [WolverineGet("/api/patients/{patientId}/notes"), Authorize(Roles = $"{ClinicRoles.Patient},{ClinicRoles.Therapist}")]
    [ProducesResponseType<SessionNoteView[]>(StatusCodes.Status200OK)]
    public static async Task<IResult> GetForPatient(HttpContext http, Guid patientId, IQuerySession session, PatientAccess access, CancellationToken cancellation)
    {
        var read = await access.ForReadAsync(http, patientId, session, cancellation);
        if (read.Refused is { } refused)
        {
            return Results.Problem(refused);
        }

        var notes = (await session.Query<SessionNote>().Where(n => n.PatientId == patientId).ToListAsync(cancellation))
            .Where(n => !read.ByPatient || PatientMaySee(n)).ToArray();
        await read.LogAsync(cancellation, notes.Select(n => (RecordTypes.SessionNote, n.Id)).ToArray());
        return Results.Ok(notes.Select(SessionNoteView.From).ToArray());
    }

    /// <summary>A patient sees a note of theirs once it is signed and released to them.</summary>
    public static bool PatientMaySee(SessionNote note) => note.ReleasedToPatient && note.Status == NoteStatus.Signed;
}

using System.Security.Claims;
using EventSourcedClinic.Api.Hosting;
using EventSourcedClinic.Api.Identity;
using EventSourcedClinic.Domain;
using EventSourcedClinic.Domain.Clinical.SessionNotes;
using EventSourcedClinic.Domain.Scheduling.Booking;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace EventSourcedClinic.Api.Clinical.SessionNotes;

/// <summary>Reading notes: the care team sees every note; the patient sees signed notes released to them.</summary>
public static class SessionNoteViews
{
    [WolverineGet("/api/appointments/{appointmentId}/note"), Authorize(Roles = $"{ClinicRoles.Patient},{ClinicRoles.Therapist}")]
    public static async Task<IResult> GetOne(HttpContext http, Guid appointmentId, ClaimsPrincipal user, IQuerySession session, ClinicalAccess access, CancellationToken cancellation)
    {
        var note = await session.LoadAsync<SessionNote>(SessionNote.StreamId(appointmentId), cancellation);
        if (note is null)
        {
            return Results.Problem(Problems.NotFound("session note"));
        }

        var actor = Actor.From(user);
        if (await access.CheckAsync(actor, note.PatientId, session, cancellation, http) is { } refused)
        {
            return Results.Problem(refused);
        }

        return actor.Is(ClinicRoles.Patient) && !(note.ReleasedToPatient && note.Status == NoteStatus.Signed)
            ? Results.Problem(Problems.NotFound("session note"))
            : Results.Ok(note);
    }

    [WolverineGet("/api/patients/{patientId}/notes"), Authorize(Roles = $"{ClinicRoles.Patient},{ClinicRoles.Therapist}")]
    public static async Task<IResult> GetForPatient(HttpContext http, Guid patientId, ClaimsPrincipal user, IQuerySession session, ClinicalAccess access, CancellationToken cancellation)
    {
        var actor = Actor.From(user);
        if (await access.CheckAsync(actor, patientId, session, cancellation, http) is { } refused)
        {
            return Results.Problem(refused);
        }

        var notes = await session.Query<SessionNote>().Where(n => n.PatientId == patientId).ToListAsync(cancellation);
        return Results.Ok(actor.Is(ClinicRoles.Patient) ? notes.Where(n => n.ReleasedToPatient && n.Status == NoteStatus.Signed).ToArray() : notes.ToArray());
    }
}

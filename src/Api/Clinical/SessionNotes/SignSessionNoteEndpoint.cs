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

/// <summary>The author signs the note, which locks it.</summary>
public static class SignSessionNoteEndpoint
{
    [WolverinePost("/api/appointments/{appointmentId}/note/signature"), Authorize(Roles = ClinicRoles.Therapist)]
    public static Task<IResult> Post(SignSessionNote command, Guid appointmentId, ClaimsPrincipal user, IDocumentSession session, ClinicalAccess access,
        TimeProvider time, CancellationToken cancellation) =>
        SessionNoteStream.ChangeAsync(appointmentId, command.ExpectedVersion, user, session, access,
            (note, by) => SignSessionNote.Decide(note, by, command, time.GetUtcNow()), cancellation);
}

using System.Security.Claims;
using EventSourcedClinic.Api.Hosting;
using EventSourcedClinic.Api.Identity;
using EventSourcedClinic.Domain.Clinical.Episodes;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace EventSourcedClinic.Api.Clinical.Episodes;

/// <summary>A patient's care episodes, for the patient and their care team.</summary>
public static class EpisodeViews
{
    [WolverineGet("/api/patients/{patientId}/episodes"), Authorize(Roles = $"{ClinicRoles.Patient},{ClinicRoles.Therapist}")]
    public static async Task<IResult> Get(
        HttpContext http, Guid patientId, ClaimsPrincipal user, IQuerySession session, ClinicalAccess access, CancellationToken cancellation)
    {
        if (await access.CheckAsync(Actor.From(user), patientId, session, cancellation, http) is { } refused)
        {
            return Results.Problem(refused);
        }

        var episodes = await session.Query<CareEpisode>().Where(e => e.PatientId == patientId).OrderBy(e => e.ReferredAt).ToListAsync(cancellation);
        return Results.Ok(episodes.ToArray());
    }
}

using System.Security.Claims;
using EventSourcedClinic.Api.Hosting;
using EventSourcedClinic.Api.Identity;
using EventSourcedClinic.Domain.Patients;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace EventSourcedClinic.Api.Patients;

public static class PatientRecordEndpoints
{
    /// <summary>The signed-in patient's own registration details.</summary>
    [WolverineGet("/api/patients/me"), Authorize(Roles = ClinicRoles.Patient)]
    public static async Task<IResult> GetMine(ClaimsPrincipal user, IQuerySession session, CancellationToken cancellation)
    {
        var id = Actor.From(user).UserId;
        var patient = id is { } patientId ? await session.Events.AggregateStreamAsync<Patient>(patientId, token: cancellation) : null;
        return patient is null ? Results.Problem(Problems.NotFound("patient")) : Results.Ok(patient);
    }
}

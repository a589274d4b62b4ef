using EventSourcedClinic.Domain.Compliance;
using EventSourcedClinic.Domain.Patients;

namespace EventSourcedClinic.Api.Patients;

public static class PatientRecordEndpoints
{
    /// <summary>The signed-in patient's own registration details.</summary>
    [WolverineGet("/api/patients/me"), Authorize(Roles = ClinicRoles.Patient)]
    [ProducesResponseType<PatientView>(StatusCodes.Status200OK)]
    public static async Task<IResult> GetMine(HttpContext http, IQuerySession session, AccessLog accessLog, CancellationToken cancellation)
    {
        var id = Actor.From(http.User).UserId;
        var patient = id is { } patientId ? await session.Events.AggregateStreamAsync<Patient>(patientId, token: cancellation) : null;
        if (patient is null)
        {
            return Results.Problem(Problems.NotFound("patient"));
        }

        await accessLog.RecordAsync(http, new PatientRead(patient.Id, AccessPurpose.PatientAccess, null, [(RecordTypes.Patient, patient.Id)]), cancellation);
        return Results.Ok(PatientView.From(patient));
    }
}

namespace EventSourcedClinic.Api.Access;

/// <summary>Questions about a patient's streams that every area asks; which streams a patient has is the <see cref="PatientStreamRegistry"/>'s.</summary>
public static class PatientStreams
{
    /// <summary>Whether the id names a patient's own stream (registration), rather than nothing or something else.</summary>
    public static async Task<bool> IsPatientAsync(IQuerySession session, Guid id, CancellationToken cancellation) =>
        (await session.Events.FetchStreamStateAsync(id, cancellation))?.AggregateType == typeof(Domain.Patients.Patient);
}

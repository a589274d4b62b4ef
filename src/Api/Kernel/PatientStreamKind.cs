namespace EventSourcedClinic.Api.Kernel;

/// <summary>
/// A kind of stream that holds something about one patient, declared by the area that keeps it: either named from the
/// patient's id (<see cref="FromPatient"/>) or found through a read model (<see cref="FindAsync"/>). The registry of all
/// of them is what a subject-access export, an erasure, the audit trail and a record view walk (ADR 0012).
/// </summary>
/// <param name="Clinical">Whether an entry in it is contact with the service, from which the retention period runs.</param>
public sealed record PatientStreamKind(
    string RecordType,
    bool Clinical,
    Func<Guid, Guid>? FromPatient = null,
    Func<IQuerySession, Guid, CancellationToken, Task<IReadOnlyList<Guid>>>? Find = null)
{
    public static PatientStreamKind Named(string recordType, Func<Guid, Guid> fromPatient, bool clinical = false) =>
        new(recordType, clinical, FromPatient: fromPatient);

    public static PatientStreamKind Found(
        string recordType, Func<IQuerySession, Guid, CancellationToken, Task<IReadOnlyList<Guid>>> find, bool clinical = false) =>
        new(recordType, clinical, Find: find);

    public async Task<IReadOnlyList<Guid>> FindAsync(IQuerySession session, Guid patientId, CancellationToken cancellation) =>
        FromPatient is { } named ? [named(patientId)]
        : Find is { } find ? await find(session, patientId, cancellation)
        : [];
}

/// <summary>Every kind of patient stream the registered areas declare, in the order the host lists the areas.</summary>
public sealed class PatientStreamRegistry(IEnumerable<ClinicArea> areas)
{
    public IReadOnlyList<PatientStreamKind> Kinds { get; } = areas.SelectMany(a => a.PatientStreams).ToArray();

    /// <summary>The streams that exist for one patient, each with its record type.</summary>
    public async Task<(string Type, Guid StreamId)[]> FindAsync(IQuerySession session, Guid patientId, CancellationToken cancellation)
    {
        var candidates = new List<(string Type, Guid StreamId)>();
        foreach (var kind in Kinds)
        {
            candidates.AddRange((await kind.FindAsync(session, patientId, cancellation)).Select(id => (kind.RecordType, id)));
        }

        var ids = candidates.Select(c => c.StreamId).ToArray();
        var existing = (await session.Events.QueryAllRawEvents().Where(e => e.StreamId.IsOneOf(ids) && e.Version == 1)
            .Select(e => e.StreamId).ToListAsync(cancellation)).ToHashSet();
        return candidates.Where(c => existing.Contains(c.StreamId)).ToArray();
    }
}

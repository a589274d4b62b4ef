using EventSourcedClinic.Domain.Compliance;
using EventSourcedClinic.Projections.Compliance;
using EventSourcedClinic.Projections;
using JasperFx.Events.Projections;

namespace EventSourcedClinic.Api.Compliance;

/// <summary>
/// Compliance: the access log, the records-management stream (restriction, erasure), the event chain, replay and
/// subject-access export.
/// </summary>
public sealed class ComplianceArea : ClinicArea
{
    public override void AddServices(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddSingleton<EventChain>();
        services.AddSingleton<ReplayVerification>();
    }

    public override void ConfigureStore(StoreOptions options)
    {
        options.Projections.Add<AccessLogProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add(new StreamFold<RecordsStatus>(), ProjectionLifecycle.Inline);
        options.Schema.For<RecordsStatus>().Index(x => x.PatientId);
        options.Schema.For<AccessLogEntry>()
            .Index(x => x.Access.PatientId)
            .Index(x => x.Access.AccessorId)
            .Index(x => x.Access.AccessedAt);

        // A replay's scratch schema takes no chain: its events are copies of chained ones.
        if (options.DatabaseSchemaName == ClinicSchema.Name)
        {
            AreaDatabaseObjects.Add(options, EventChain.DatabaseObject);
        }
    }

    public override IEnumerable<PatientStreamKind> PatientStreams =>
    [
        PatientStreamKind.Named(RecordTypes.AccessLog, RecordAccessed.AccessLogStreamId),
        PatientStreamKind.Named(RecordTypes.RecordsManagement, RecordsStatus.StreamId),
    ];
}

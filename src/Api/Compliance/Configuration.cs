using EventSourcedClinic.Projections.Compliance;
using JasperFx.Events.Projections;
using Marten;

namespace EventSourcedClinic.Api.Compliance;

public static class Configuration
{
    public static StoreOptions ConfigureCompliance(this StoreOptions options)
    {
        options.Projections.Add<AccessLogProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add<RecordsStatusAggregation>(ProjectionLifecycle.Inline);
        options.Schema.For<Domain.Compliance.RecordsStatus>().Index(x => x.PatientId);
        options.Schema.For<AccessLogEntry>()
            .Index(x => x.Access.PatientId)
            .Index(x => x.Access.AccessorId)
            .Index(x => x.Access.AccessedAt);
        return options;
    }
}

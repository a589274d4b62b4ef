using EventSourcedClinic.Projections.Therapists;
using JasperFx.Events.Projections;
using Marten;

namespace EventSourcedClinic.Api.Therapists;

public static class Configuration
{
    public static StoreOptions ConfigureTherapists(this StoreOptions options)
    {
        options.Projections.Add<TherapistAggregation>(ProjectionLifecycle.Live);
        options.Projections.Add<TherapistDirectoryProjection>(ProjectionLifecycle.Inline);
        options.Schema.For<TherapistDirectoryEntry>()
            .UniqueIndex("ux_therapist_registration", x => x.ProfessionalBody, x => x.RegistrationNumber)
            .Index(x => x.IsListed)
            .GinIndexJsonData();
        return options;
    }
}

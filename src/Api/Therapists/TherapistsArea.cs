using EventSourcedClinic.Projections.Therapists;
using JasperFx.Events.Projections;

namespace EventSourcedClinic.Api.Therapists;

/// <summary>Therapists: onboarding, verification, profiles, suspension, and the directory patients search.</summary>
public sealed class TherapistsArea : ClinicArea
{
    public override void ConfigureStore(StoreOptions options)
    {
        options.Projections.Add<TherapistAggregation>(ProjectionLifecycle.Live);
        options.Projections.Add<TherapistDirectoryProjection>(ProjectionLifecycle.Inline);
        options.Schema.For<TherapistDirectoryEntry>()
            .UniqueIndex("ux_therapist_registration", x => x.ProfessionalBody, x => x.RegistrationNumber)
            .Index(x => x.IsListed)
            .GinIndexJsonData();
    }
}

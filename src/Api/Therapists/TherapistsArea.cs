using EventSourcedClinic.Projections.Therapists;
using EventSourcedClinic.Projections;
using JasperFx.Events.Projections;

namespace EventSourcedClinic.Api.Therapists;

/// <summary>Therapists: onboarding, verification, profiles, suspension, and the directory patients search.</summary>
public sealed class TherapistsArea : ClinicArea
{
    public override void ConfigureStore(StoreOptions options)
    {
        options.Projections.Add(new StreamFold<Domain.Therapists.Therapist>(), ProjectionLifecycle.Live);
        options.Projections.Add<TherapistDirectoryProjection>(ProjectionLifecycle.Inline);
        options.Schema.For<TherapistDirectoryEntry>()
            .UniqueIndex("ux_therapist_registration", x => x.ProfessionalBody, x => x.RegistrationNumber)
            .Index(x => x.IsListed)
            .GinIndexJsonData();
    }
}

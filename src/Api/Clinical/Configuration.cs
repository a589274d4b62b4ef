using EventSourcedClinic.Projections.Clinical;
using JasperFx.Events.Projections;
using Marten;

namespace EventSourcedClinic.Api.Clinical;

public static class Configuration
{
    public static StoreOptions ConfigureClinical(this StoreOptions options)
    {
        options.Projections.Add<OutcomeHistoryProjection>(ProjectionLifecycle.Inline);
        options.Schema.For<OutcomeHistory>().Index(x => x.PatientId);
        options.Projections.Add<SessionNoteAggregation>(ProjectionLifecycle.Inline);
        options.Projections.Add<ConsentAggregation>(ProjectionLifecycle.Inline);
        options.Projections.Add<ClinicalHistoryAggregation>(ProjectionLifecycle.Inline);
        options.Projections.Add<CareEpisodeAggregation>(ProjectionLifecycle.Inline);
        options.Schema.For<Domain.Clinical.Episodes.CareEpisode>().Index(x => x.PatientId).Index(x => x.TherapistId!);
        options.Schema.For<Domain.Clinical.Consent.ConsentRecord>().Index(x => x.PatientId);
        options.Schema.For<Domain.Clinical.SessionNotes.SessionNote>().Index(x => x.PatientId);
        return options;
    }
}

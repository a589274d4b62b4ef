using EventSourcedClinic.Projections.Patients;
using JasperFx.Events.Projections;
using Marten;

namespace EventSourcedClinic.Api.Patients;

public static class Configuration
{
    public static StoreOptions ConfigurePatients(this StoreOptions options)
    {
        options.Projections.Add<PatientAggregation>(ProjectionLifecycle.Live);
        return options;
    }
}

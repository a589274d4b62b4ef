using EventSourcedClinic.Projections.Patients;
using JasperFx.Events.Projections;

namespace EventSourcedClinic.Api.Patients;

/// <summary>Patients: registration (NHS number, demographics) and contact details.</summary>
public sealed class PatientsArea : ClinicArea
{
    public override void ConfigureStore(StoreOptions options) => options.Projections.Add<PatientAggregation>(ProjectionLifecycle.Live);

    public override IEnumerable<PatientStreamKind> PatientStreams => [PatientStreamKind.Named(RecordTypes.Patient, patientId => patientId)];
}

using EventSourcedClinic.Projections;
using JasperFx.Events.Projections;

namespace EventSourcedClinic.Api.Patients;

/// <summary>Patients: registration (NHS number, demographics) and contact details.</summary>
public sealed class PatientsArea : ClinicArea
{
    public override void ConfigureStore(StoreOptions options) => options.Projections.Add(new StreamFold<Domain.Patients.Patient>(), ProjectionLifecycle.Live);

    public override IEnumerable<PatientStreamKind> PatientStreams => [PatientStreamKind.Named(RecordTypes.Patient, patientId => patientId)];
}

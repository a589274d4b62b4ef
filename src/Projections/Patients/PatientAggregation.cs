using EventSourcedClinic.Domain.Patients;
using EventSourcedClinic.Domain.Patients.Registration;
using Marten.Events.Aggregation;

namespace EventSourcedClinic.Projections.Patients;

/// <summary>Folds a Patient stream into the domain's <see cref="Patient"/> (live, never stored).</summary>
public sealed class PatientAggregation : SingleStreamProjection<Patient, Guid>
{
    public static Patient Create(PatientRegistered e) => Patient.Create(e);

    public static Patient Apply(Domain.Patients.ContactDetails.PatientContactDetailsChanged e, Patient p) => p.Apply(e);
}

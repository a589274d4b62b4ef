using EventSourcedClinic.Api.Billing;
using EventSourcedClinic.Api.Clinical;
using EventSourcedClinic.Api.Compliance;
using EventSourcedClinic.Api.Fhir;
using EventSourcedClinic.Api.Messaging;
using EventSourcedClinic.Api.Notifications;
using EventSourcedClinic.Api.Patients;
using EventSourcedClinic.Api.Payments;
using EventSourcedClinic.Api.PersonalData;
using EventSourcedClinic.Api.Scheduling;
using EventSourcedClinic.Api.Therapists;
using EventSourcedClinic.Api.Video;

namespace EventSourcedClinic.Api.Hosting;

/// <summary>The clinic's areas (ADR 0012), in the order they register: a new area is its own folders and one line here.</summary>
public static class ClinicAreas
{
    public static ClinicArea[] All() =>
    [
        new PersonalDataArea(),
        new IdentityArea(),
        new NotificationsArea(),
        new TherapistsArea(),
        new PatientsArea(),
        new SchedulingArea(),
        new PaymentsArea(),
        new BillingArea(),
        new ClinicalArea(),
        new MessagingArea(),
        new VideoArea(),
        new ComplianceArea(),
        new FhirArea(),
    ];
}

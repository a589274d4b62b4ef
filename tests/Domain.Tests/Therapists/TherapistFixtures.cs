using EventSourcedClinic.Domain.Therapists;
using EventSourcedClinic.Domain.Therapists.Onboarding;

namespace EventSourcedClinic.Domain.Tests.Therapists;

internal static class TherapistFixtures
{
    public static readonly DateTimeOffset Now = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);

    public static Therapist Registered(Guid? id = null) =>
        Therapist.Create(new TherapistRegistered(
            id ?? Guid.CreateVersion7(), "Dr Anna Nowak", "anna@example.org", ProfessionalBody.Hcpc, "PYL12345", Now.AddDays(-2)));

    public static Therapist Given(Therapist therapist, params object[] events) =>
        events.Aggregate(therapist, (state, e) => e switch
        {
            Domain.Therapists.Verification.TherapistRegistrationVerified v => state.Apply(v),
            Domain.Therapists.Suspension.TherapistSuspended s => state.Apply(s),
            Domain.Therapists.Suspension.TherapistReinstated r => state.Apply(r),
            Domain.Therapists.Profile.TherapistSpecialisationsSet s => state.Apply(s),
            Domain.Therapists.Profile.TherapistMethodsSet m => state.Apply(m),
            Domain.Therapists.Profile.TherapistLanguagesSet l => state.Apply(l),
            Domain.Therapists.Profile.TherapistBiographyWritten b => state.Apply(b),
            Domain.Therapists.Profile.TherapistFeeSet f => state.Apply(f),
            _ => throw new ArgumentException($"No Apply for {e.GetType().Name}"),
        });
}

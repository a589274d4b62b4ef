using EventSourcedClinic.Domain.Therapists;
using EventSourcedClinic.Domain.Therapists.Onboarding;

namespace EventSourcedClinic.Domain.Tests.Therapists;

internal static class TherapistFixtures
{
    public static readonly DateTimeOffset Now = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);

    public static Therapist Registered(Guid? id = null) =>
        Therapist.From(new TherapistRegistered(
            id ?? Guid.CreateVersion7(), "Dr Anna Nowak", "anna@example.org", ProfessionalBody.Hcpc, "PYL12345", Now.AddDays(-2)));

    public static Therapist Given(Therapist therapist, params object[] events) => events.Aggregate(therapist, (state, e) => Fold<Therapist>.Next(state, e));
}

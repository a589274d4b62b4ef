using EventSourcedClinic.Domain.Therapists;
using EventSourcedClinic.Domain.Therapists.Onboarding;
using EventSourcedClinic.Domain.Therapists.Profile;
using EventSourcedClinic.Domain.Therapists.Suspension;
using EventSourcedClinic.Domain.Therapists.Verification;
using Marten.Events.Aggregation;

namespace EventSourcedClinic.Projections.Therapists;

/// <summary>
/// Folds a Therapist stream into the domain's <see cref="Therapist"/> for the command side (live, never stored).
/// Marten 9 generates its event dispatch at compile time in the assembly that references Marten; this class puts it
/// here so that the Domain project stays free of Marten (ADR 0001).
/// </summary>
public sealed class TherapistAggregation : SingleStreamProjection<Therapist, Guid>
{
    public static Therapist Create(TherapistRegistered e) => Therapist.Create(e);

    public static Therapist Apply(TherapistRegistrationVerified e, Therapist t) => t.Apply(e);

    public static Therapist Apply(TherapistSpecialisationsSet e, Therapist t) => t.Apply(e);

    public static Therapist Apply(TherapistMethodsSet e, Therapist t) => t.Apply(e);

    public static Therapist Apply(TherapistLanguagesSet e, Therapist t) => t.Apply(e);

    public static Therapist Apply(TherapistBiographyWritten e, Therapist t) => t.Apply(e);

    public static Therapist Apply(TherapistFeeSet e, Therapist t) => t.Apply(e);

    public static Therapist Apply(TherapistSuspended e, Therapist t) => t.Apply(e);

    public static Therapist Apply(TherapistReinstated e, Therapist t) => t.Apply(e);
}

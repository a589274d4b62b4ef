using EventSourcedClinic.Domain.Therapists.Onboarding;
using EventSourcedClinic.Domain.Therapists.Profile;
using EventSourcedClinic.Domain.Therapists.Suspension;
using EventSourcedClinic.Domain.Therapists.Verification;

namespace EventSourcedClinic.Domain.Therapists;

/// <summary>A therapist as their stream tells it: registration, verification, profile and standing.</summary>
public sealed record Therapist(
    Guid Id,
    string FullName,
    string Email,
    ProfessionalBody ProfessionalBody,
    string RegistrationNumber,
    bool IsVerified,
    bool IsSuspended,
    string[] Specialisations,
    string[] Methods,
    string[] Languages,
    string Biography,
    int? FeePence,
    int? SessionMinutes)
{
    /// <summary>Only verified, active therapists with a fee and session length can be booked.</summary>
    public bool IsBookable => IsVerified && !IsSuspended && FeePence is not null && SessionMinutes is not null;

    public static Therapist Create(TherapistRegistered e) =>
        new(e.TherapistId, e.FullName, e.Email, e.ProfessionalBody, e.RegistrationNumber,
            IsVerified: false, IsSuspended: false, [], [], [], Biography: "", FeePence: null, SessionMinutes: null);

    /// <summary>Applies any event of this stream; for code that replays a list of events (tests, the demo clinic).</summary>
    public Therapist Evolve(object e) => e switch
    {
        TherapistRegistrationVerified v => Apply(v),
        TherapistSpecialisationsSet s => Apply(s),
        TherapistMethodsSet m => Apply(m),
        TherapistLanguagesSet l => Apply(l),
        TherapistBiographyWritten b => Apply(b),
        TherapistFeeSet f => Apply(f),
        TherapistSuspended s => Apply(s),
        TherapistReinstated r => Apply(r),
        _ => throw new ArgumentException($"A Therapist stream has no event {e.GetType().Name}.", nameof(e)),
    };

    public Therapist Apply(TherapistRegistrationVerified e) => this with { IsVerified = true };

    public Therapist Apply(TherapistSpecialisationsSet e) => this with { Specialisations = e.Specialisations };

    public Therapist Apply(TherapistMethodsSet e) => this with { Methods = e.Methods };

    public Therapist Apply(TherapistLanguagesSet e) => this with { Languages = e.Languages };

    public Therapist Apply(TherapistBiographyWritten e) => this with { Biography = e.Biography };

    public Therapist Apply(TherapistFeeSet e) => this with { FeePence = e.FeePence, SessionMinutes = e.SessionMinutes };

    public Therapist Apply(TherapistSuspended e) => this with { IsSuspended = true };

    public Therapist Apply(TherapistReinstated e) => this with { IsSuspended = false };
}

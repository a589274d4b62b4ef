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

    public static Therapist From(TherapistRegistered e) =>
        new(e.TherapistId, e.FullName, e.Email, e.ProfessionalBody, e.RegistrationNumber,
            IsVerified: false, IsSuspended: false, [], [], [], Biography: "", FeePence: null, SessionMinutes: null);

    public Therapist When(TherapistRegistrationVerified e) => this with { IsVerified = true };

    public Therapist When(TherapistSpecialisationsSet e) => this with { Specialisations = e.Specialisations };

    public Therapist When(TherapistMethodsSet e) => this with { Methods = e.Methods };

    public Therapist When(TherapistLanguagesSet e) => this with { Languages = e.Languages };

    public Therapist When(TherapistBiographyWritten e) => this with { Biography = e.Biography };

    public Therapist When(TherapistFeeSet e) => this with { FeePence = e.FeePence, SessionMinutes = e.SessionMinutes };

    public Therapist When(TherapistSuspended e) => this with { IsSuspended = true };

    public Therapist When(TherapistReinstated e) => this with { IsSuspended = false };
}

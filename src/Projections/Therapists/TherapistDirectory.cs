using EventSourcedClinic.Domain.Therapists;
using EventSourcedClinic.Domain.Therapists.Onboarding;
using EventSourcedClinic.Domain.Therapists.Profile;
using EventSourcedClinic.Domain.Therapists.Suspension;
using EventSourcedClinic.Domain.Therapists.Verification;
using Marten.Events.Aggregation;

namespace EventSourcedClinic.Projections.Therapists;

/// <summary>
/// One row per therapist for the directory and for admins. The public search shows listed rows only
/// (verified, not suspended, with a fee); <see cref="SearchText"/> holds what free-text search matches.
/// </summary>
public sealed record TherapistDirectoryEntry
{
    public Guid Id { get; init; }

    public string FullName { get; init; } = "";

    public string Email { get; init; } = "";

    public ProfessionalBody ProfessionalBody { get; init; }

    public string RegistrationNumber { get; init; } = "";

    public bool IsVerified { get; init; }

    public bool IsSuspended { get; init; }

    public string? SuspensionReason { get; init; }

    public string[] Specialisations { get; init; } = [];

    public string[] Methods { get; init; } = [];

    public string[] Languages { get; init; } = [];

    public string Biography { get; init; } = "";

    public int? FeePence { get; init; }

    public int? SessionMinutes { get; init; }

    public DateTimeOffset RegisteredAt { get; init; }

    public bool IsListed { get; init; }

    public string SearchText { get; init; } = "";

    /// <summary>The Therapist stream's version this row reflects, for If-Match and expected versions.</summary>
    public long Version { get; set; }

    internal TherapistDirectoryEntry Refreshed()
    {
        var words = new[] { FullName, Biography }
            .Concat(Specialisations.Select(s => Catalogue.Specialisations.GetValueOrDefault(s, s)))
            .Concat(Methods.Select(m => Catalogue.Methods.GetValueOrDefault(m, m)))
            .Concat(Methods)
            .Concat(Languages.Select(l => Catalogue.Languages.GetValueOrDefault(l, l)));
        return this with
        {
            IsListed = IsVerified && !IsSuspended && FeePence is not null && Methods.Length > 0 && Languages.Length > 0,
            SearchText = string.Join(' ', words).ToLowerInvariant(),
        };
    }
}

/// <summary>Inline: the unique registration-number index and an admin's next command read it in the same transaction.</summary>
public sealed class TherapistDirectoryProjection : SingleStreamProjection<TherapistDirectoryEntry, Guid>
{
    public static TherapistDirectoryEntry Create(TherapistRegistered e) =>
        new TherapistDirectoryEntry
        {
            Id = e.TherapistId,
            FullName = e.FullName,
            Email = e.Email,
            ProfessionalBody = e.ProfessionalBody,
            RegistrationNumber = e.RegistrationNumber,
            RegisteredAt = e.RegisteredAt,
        }.Refreshed();

    public static TherapistDirectoryEntry Apply(TherapistRegistrationVerified e, TherapistDirectoryEntry entry) =>
        (entry with { IsVerified = true }).Refreshed();

    public static TherapistDirectoryEntry Apply(TherapistSpecialisationsSet e, TherapistDirectoryEntry entry) =>
        (entry with { Specialisations = e.Specialisations }).Refreshed();

    public static TherapistDirectoryEntry Apply(TherapistMethodsSet e, TherapistDirectoryEntry entry) =>
        (entry with { Methods = e.Methods }).Refreshed();

    public static TherapistDirectoryEntry Apply(TherapistLanguagesSet e, TherapistDirectoryEntry entry) =>
        (entry with { Languages = e.Languages }).Refreshed();

    public static TherapistDirectoryEntry Apply(TherapistBiographyWritten e, TherapistDirectoryEntry entry) =>
        (entry with { Biography = e.Biography }).Refreshed();

    public static TherapistDirectoryEntry Apply(TherapistFeeSet e, TherapistDirectoryEntry entry) =>
        (entry with { FeePence = e.FeePence, SessionMinutes = e.SessionMinutes }).Refreshed();

    public static TherapistDirectoryEntry Apply(TherapistSuspended e, TherapistDirectoryEntry entry) =>
        (entry with { IsSuspended = true, SuspensionReason = e.Reason }).Refreshed();

    public static TherapistDirectoryEntry Apply(TherapistReinstated e, TherapistDirectoryEntry entry) =>
        (entry with { IsSuspended = false, SuspensionReason = null }).Refreshed();
}

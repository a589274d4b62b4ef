using EventSourcedClinic.Domain.Therapists;
using EventSourcedClinic.Projections.Therapists;

namespace EventSourcedClinic.Api.Therapists.Directory;

public static class DirectoryProfileEndpoints
{
    /// <summary>One listed therapist's public profile; unlisted therapists are not found.</summary>
    [WolverineGet("/api/directory/therapists/{therapistId}"), AllowAnonymous]
    [ProducesResponseType<PublicTherapistProfile>(StatusCodes.Status200OK)]
    public static async Task<IResult> GetPublic(Guid therapistId, IQuerySession session, CancellationToken cancellation)
    {
        var entry = await session.LoadAsync<TherapistDirectoryEntry>(therapistId, cancellation);
        return entry is { IsListed: true }
            ? Results.Ok(PublicTherapistProfile.From(entry))
            : Results.Problem(Problems.NotFound("listed therapist"));
    }

    /// <summary>The codes a profile and a search may use.</summary>
    [WolverineGet("/api/directory/catalogue"), AllowAnonymous]
    public static DirectoryCatalogue GetCatalogue() => new(
        Catalogue.Specialisations.OrderBy(x => x.Key).Select(x => new CodeAndName(x.Key, x.Value)).ToArray(),
        Catalogue.Methods.OrderBy(x => x.Key).Select(x => new CodeAndName(x.Key, x.Value)).ToArray(),
        Catalogue.Languages.OrderBy(x => x.Key).Select(x => new CodeAndName(x.Key, x.Value)).ToArray());

    /// <summary>The whole record the clinic keeps on a therapist, with its stream version: for admins and for the therapist themself.</summary>
    [WolverineGet("/api/therapists/{therapistId}"), Authorize(Roles = $"{ClinicRoles.Therapist},{ClinicRoles.Admin}")]
    [ProducesResponseType<TherapistRecord>(StatusCodes.Status200OK)]
    public static async Task<IResult> GetRecord(Guid therapistId, ClaimsPrincipal user, IQuerySession session, CancellationToken cancellation)
    {
        if (!Actor.From(user).MayActForTherapist(therapistId))
        {
            return Results.Problem(Problems.NotFound("therapist"));
        }

        var entry = await session.LoadAsync<TherapistDirectoryEntry>(therapistId, cancellation);
        return entry is null ? Results.Problem(Problems.NotFound("therapist")) : Results.Ok(TherapistRecord.From(entry));
    }

    /// <summary>Every therapist, listed or not, for the admin's onboarding and verification work.</summary>
    [WolverineGet("/api/therapists"), Authorize(Roles = ClinicRoles.Admin)]
    [ProducesResponseType<TherapistRecords>(StatusCodes.Status200OK)]
    public static async Task<IResult> GetAll(bool? verified, bool? suspended, int? page, int? pageSize, IQuerySession session, CancellationToken cancellation)
    {
        var paging = new Paging(page ?? 1, pageSize ?? 50);
        var invalid = Problems.Validate(paging, Paging.Validator.Instance);
        if (invalid.Status >= 400)
        {
            return Results.Problem(invalid);
        }

        IQueryable<TherapistDirectoryEntry> query = session.Query<TherapistDirectoryEntry>();
        if (verified is { } v)
        {
            query = query.Where(x => x.IsVerified == v);
        }

        if (suspended is { } s)
        {
            query = query.Where(x => x.IsSuspended == s);
        }

        var entries = await query.OrderBy(x => x.FullName).ThenBy(x => x.Id).Stats(out var stats)
            .Skip((paging.Page - 1) * paging.PageSize).Take(paging.PageSize).ToListAsync(cancellation);
        return Results.Ok(new TherapistRecords(entries.Select(TherapistRecord.From).ToArray(), paging.Page, paging.PageSize, stats.TotalResults));
    }
}

public sealed record Paging(int Page, int PageSize)
{
    public sealed class Validator : AbstractValidator<Paging>
    {
        /// <summary>Built once: building a validator compiles its rules.</summary>
        public static readonly Validator Instance = new();

        public Validator()
        {
            RuleFor(x => x.Page).InclusiveBetween(1, 10_000);
            RuleFor(x => x.PageSize).InclusiveBetween(1, SearchDirectoryEndpoint.MaxPageSize);
        }
    }
}

public sealed record DirectoryCatalogue(CodeAndName[] Specialisations, CodeAndName[] Methods, CodeAndName[] Languages);

public sealed record TherapistRecords(TherapistRecord[] Items, int Page, int PageSize, long Total);

/// <summary>
/// A therapist's record as the clinic's desk (and the therapist) sees it: registration, standing and profile, with the
/// version to send back when changing it (ADR 0012).
/// </summary>
public sealed record TherapistRecord(
    Guid Id, string FullName, string Email, ProfessionalBody ProfessionalBody, string RegistrationNumber, bool IsVerified, bool IsSuspended,
    string? SuspensionReason, string[] Specialisations, string[] Methods, string[] Languages, string Biography, int? FeePence, int? SessionMinutes,
    DateTimeOffset RegisteredAt, bool IsListed, long Version)
{
    public static TherapistRecord From(TherapistDirectoryEntry e) => new(
        e.Id, e.FullName, e.Email, e.ProfessionalBody, e.RegistrationNumber, e.IsVerified, e.IsSuspended, e.SuspensionReason, e.Specialisations,
        e.Methods, e.Languages, e.Biography, e.FeePence, e.SessionMinutes, e.RegisteredAt, e.IsListed, e.Version);
}

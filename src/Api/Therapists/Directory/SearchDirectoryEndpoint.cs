using EventSourcedClinic.Domain.Therapists;
using EventSourcedClinic.Projections.Therapists;
using Marten.Linq;

namespace EventSourcedClinic.Api.Therapists.Directory;

/// <summary>
/// The public directory: anyone may search before registering. Only verified, active therapists with a fee appear,
/// and only their public profile is shown.
/// </summary>
public static class SearchDirectoryEndpoint
{
    public const int MaxPageSize = 100;
    public static readonly string[] Sorts = ["name", "fee", "fee-desc", "newest"];

    [WolverineGet("/api/directory/therapists"), AllowAnonymous]
    [ProducesResponseType<DirectoryPage>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest)]
    public static async Task<IResult> Get(
        string? language, string? method, string? specialisation, int? maxFeePence, string? q, string? sort, int? page, int? pageSize,
        IQuerySession session, CancellationToken cancellation)
    {
        var search = new DirectorySearch(
            Code(language), Code(method), Code(specialisation), maxFeePence, q?.Trim(), Code(sort) ?? "name", page ?? 1, pageSize ?? 20);
        var invalid = Problems.Validate(search, Validator.Instance);
        if (invalid.Status >= 400)
        {
            return Results.Problem(invalid);
        }

        var query = Listed(session, search.Language, search.Method, search.Specialisation, search.MaxFeePence, search.Text);
        query = search.Sort switch
        {
            "fee" => query.OrderBy(x => x.FeePence).ThenBy(x => x.FullName).ThenBy(x => x.Id),
            "fee-desc" => query.OrderByDescending(x => x.FeePence).ThenBy(x => x.FullName).ThenBy(x => x.Id),
            "newest" => query.OrderByDescending(x => x.RegisteredAt).ThenBy(x => x.Id),
            _ => query.OrderBy(x => x.FullName).ThenBy(x => x.Id),
        };

        var entries = await query.Stats(out var stats)
            .Skip((search.Page - 1) * search.PageSize).Take(search.PageSize)
            .ToListAsync(cancellation);
        return Results.Ok(new DirectoryPage(
            entries.Select(PublicTherapistProfile.From).ToArray(), search.Page, search.PageSize, stats.TotalResults));
    }

    /// <summary>Listed therapists matching the directory's filters; shared with the free-slot search.</summary>
    public static IQueryable<TherapistDirectoryEntry> Listed(
        IQuerySession session, string? language, string? method, string? specialisation, int? maxFeePence, string? text)
    {
        IQueryable<TherapistDirectoryEntry> query = session.Query<TherapistDirectoryEntry>().Where(x => x.IsListed);
        if (language is { } lang)
        {
            query = query.Where(x => x.Languages.Contains(lang));
        }

        if (method is { } m)
        {
            query = query.Where(x => x.Methods.Contains(m));
        }

        if (specialisation is { } s)
        {
            query = query.Where(x => x.Specialisations.Contains(s));
        }

        if (maxFeePence is { } fee)
        {
            query = query.Where(x => x.FeePence <= fee);
        }

        if (text is { Length: > 0 })
        {
            var term = text.ToLowerInvariant();
            query = query.Where(x => x.SearchText.Contains(term));
        }

        return query;
    }

    public static string? Code(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim().ToLowerInvariant();

    public sealed record DirectorySearch(
        string? Language, string? Method, string? Specialisation, int? MaxFeePence, string? Text, string Sort, int Page, int PageSize) : IDirectoryFilter;

    public sealed class Validator : AbstractValidator<DirectorySearch>
    {
        /// <summary>Built once: building a validator compiles its rules.</summary>
        public static readonly Validator Instance = new();

        public Validator()
        {
            Include(DirectoryFilterValidator.Instance);
            RuleFor(x => x.Text).MaximumLength(100);
            RuleFor(x => x.Sort).Must(s => Sorts.Contains(s)).WithMessage($"Sort by one of: {string.Join(", ", Sorts)}.");
            RuleFor(x => x.Page).InclusiveBetween(1, 10_000);
            RuleFor(x => x.PageSize).InclusiveBetween(1, MaxPageSize);
        }
    }
}

public sealed record DirectoryPage(PublicTherapistProfile[] Items, int Page, int PageSize, long Total);

public sealed record CodeAndName(string Code, string Name);

/// <summary>What the public sees of a therapist: never the e-mail address or the standing with the clinic.</summary>
public sealed record PublicTherapistProfile(
    Guid Id,
    string FullName,
    ProfessionalBody ProfessionalBody,
    string RegistrationNumber,
    CodeAndName[] Specialisations,
    CodeAndName[] Methods,
    CodeAndName[] Languages,
    string Biography,
    int FeePence,
    int SessionMinutes)
{
    public static PublicTherapistProfile From(TherapistDirectoryEntry entry) =>
        new(entry.Id, entry.FullName, entry.ProfessionalBody, entry.RegistrationNumber,
            Named(entry.Specialisations, Catalogue.Specialisations), Named(entry.Methods, Catalogue.Methods),
            Named(entry.Languages, Catalogue.Languages), entry.Biography, entry.FeePence ?? 0, entry.SessionMinutes ?? 0);

    private static CodeAndName[] Named(string[] codes, IReadOnlyDictionary<string, string> catalogue) =>
        codes.Select(c => new CodeAndName(c, catalogue.GetValueOrDefault(c, c))).ToArray();
}

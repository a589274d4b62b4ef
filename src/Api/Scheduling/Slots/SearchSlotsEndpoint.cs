using EventSourcedClinic.Api.Therapists;
using EventSourcedClinic.Api.Therapists.Directory;
using EventSourcedClinic.Domain.Therapists;
using AvailabilityRules = EventSourcedClinic.Domain.Scheduling.Availability.Availability;

namespace EventSourcedClinic.Api.Scheduling.Slots;

/// <summary>
/// Free slots across the directory: filter therapists by language, method, specialisation and fee, and slots by date
/// range and time of day (London), earliest first, each with the therapist's public profile. Public.
/// </summary>
public static class SearchSlotsEndpoint
{
    public const int MaxTherapists = 200;

    [WolverineGet("/api/directory/slots"), AllowAnonymous]
    [ProducesResponseType<SlotPage>(StatusCodes.Status200OK)]
    public static async Task<IResult> Get(
        string? language, string? method, string? specialisation, int? maxFeePence, DateOnly? from, DateOnly? to, string? timeOfDay,
        int? page, int? pageSize, IQuerySession session, FreeSlots freeSlots, TimeProvider time, CancellationToken cancellation)
    {
        var now = time.GetUtcNow();
        var range = FreeSlots.Range(from, to, now);
        var search = new SlotSearch(
            SearchDirectoryEndpoint.Code(language), SearchDirectoryEndpoint.Code(method), SearchDirectoryEndpoint.Code(specialisation),
            maxFeePence, SearchDirectoryEndpoint.Code(timeOfDay), page ?? 1, pageSize ?? 20);
        var invalid = SlotSearchRules.CheckRange(range, now) ?? Problems.Validate(search, Validator.Instance);
        if (invalid.Status >= 400)
        {
            return Results.Problem(invalid);
        }

        var therapists = await SearchDirectoryEndpoint.Listed(session, search.Language, search.Method, search.Specialisation, search.MaxFeePence, null)
            .OrderBy(x => x.FullName).Take(MaxTherapists).ToListAsync(cancellation);
        var availabilities = await session.LoadManyAsync<AvailabilityRules>(cancellation, therapists.Select(t => AvailabilityRules.StreamId(t.Id)).ToArray());
        var byTherapist = availabilities.ToDictionary(a => a.TherapistId);
        var withHours = therapists.Where(t => byTherapist.ContainsKey(t.Id)).ToList();
        var slots = await freeSlots.ForAsync(withHours.Select(t => (byTherapist[t.Id], t.SessionMinutes ?? 50)), range.From, range.To, now, cancellation);

        var matching = withHours
            .SelectMany(t => slots[t.Id].Select(slot => (Therapist: t, Slot: slot)))
            .Where(x => SlotSearchRules.InPartOfDay(x.Slot.Start, search.TimeOfDay))
            .OrderBy(x => x.Slot.Start).ThenBy(x => x.Therapist.FullName)
            .ToList();
        var items = matching.Skip((search.Page - 1) * search.PageSize).Take(search.PageSize)
            .Select(x => new FreeSlot(x.Slot.Start, x.Slot.End, PublicTherapistProfile.From(x.Therapist)))
            .ToArray();
        return Results.Ok(new SlotPage(items, search.Page, search.PageSize, matching.Count, range.From, range.To));
    }

    public sealed record SlotSearch(
        string? Language, string? Method, string? Specialisation, int? MaxFeePence, string? TimeOfDay, int Page, int PageSize) : IDirectoryFilter;

    public sealed class Validator : AbstractValidator<SlotSearch>
    {
        /// <summary>Built once: building a validator compiles its rules.</summary>
        public static readonly Validator Instance = new();

        public Validator()
        {
            Include(DirectoryFilterValidator.Instance);
            RuleFor(x => x.TimeOfDay).Must(t => t is null || SlotSearchRules.PartsOfDay.ContainsKey(t))
                .WithMessage($"Time of day is one of: {string.Join(", ", SlotSearchRules.PartsOfDay.Keys)}.");
            RuleFor(x => x.Page).InclusiveBetween(1, 10_000);
            RuleFor(x => x.PageSize).InclusiveBetween(1, SearchDirectoryEndpoint.MaxPageSize);
        }
    }
}

public sealed record FreeSlot(DateTimeOffset Start, DateTimeOffset End, PublicTherapistProfile Therapist);

public sealed record SlotPage(FreeSlot[] Items, int Page, int PageSize, int Total, DateOnly From, DateOnly To);

public static class SlotSearchRules
{
    /// <summary>Parts of the London day by the hour a session starts: [from, to).</summary>
    public static readonly IReadOnlyDictionary<string, (int From, int To)> PartsOfDay = new Dictionary<string, (int, int)>
    {
        ["morning"] = (0, 12),
        ["afternoon"] = (12, 17),
        ["evening"] = (17, 24),
    };

    public static bool InPartOfDay(DateTimeOffset start, string? partOfDay)
    {
        if (partOfDay is null)
        {
            return true;
        }

        var hour = TimeZoneInfo.ConvertTime(start, UkTime.London).Hour;
        var (from, to) = PartsOfDay[partOfDay];
        return hour >= from && hour < to;
    }

    public static ProblemDetails? CheckRange((DateOnly From, DateOnly To) range, DateTimeOffset now)
    {
        if (!FreeSlots.IsNearToday(range.From, now) || !FreeSlots.IsNearToday(range.To, now))
        {
            return Problems.Validate(range, new InlineValidator<(DateOnly From, DateOnly To)>
            {
                v => v.RuleFor(r => r.From).Must(_ => false).OverridePropertyName("from").WithMessage("Search dates are within about a year of today."),
            });
        }

        if (range.To < range.From)
        {
            return Problems.Validate(range, new InlineValidator<(DateOnly From, DateOnly To)>
            {
                v => v.RuleFor(r => r.To).GreaterThanOrEqualTo(r => r.From).OverridePropertyName("to").WithMessage("'to' is on or after 'from'."),
            });
        }

        return range.To.DayNumber - range.From.DayNumber >= FreeSlots.MaxDays
            ? Problems.Validate(range, new InlineValidator<(DateOnly From, DateOnly To)>
            {
                v => v.RuleFor(r => r.To).Must(_ => false).OverridePropertyName("to").WithMessage($"A search spans at most {FreeSlots.MaxDays} days."),
            })
            : null;
    }
}

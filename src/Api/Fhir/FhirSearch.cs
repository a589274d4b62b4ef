using System.Globalization;

namespace EventSourcedClinic.Api.Fhir;

/// <summary>
/// A search's parameters, checked against those a resource type supports: an unknown or malformed parameter is a 400
/// that names it, and <c>_count</c> above the maximum is refused rather than silently cut.
/// </summary>
public sealed class FhirSearch
{
    private static readonly string[] Common = ["_count", "_offset", "_sort", "_format"];

    private readonly IQueryCollection _query;

    private FhirSearch(IQueryCollection query, int count, int offset)
    {
        _query = query;
        Count = count;
        Offset = offset;
    }

    public int Count { get; }

    public int Offset { get; }

    public string? this[string name] => _query.TryGetValue(name, out var values) ? values.ToString() : null;

    public string? Sort => this["_sort"];

    public bool Includes(string include) => _query.TryGetValue("_include", out var values) && values.Contains(include);

    public static (FhirSearch? Search, string? Error) Parse(IQueryCollection query, params string[] supported)
    {
        var unknown = query.Keys.Where(k => !Common.Contains(k) && !supported.Contains(k)).ToArray();
        if (unknown.Length > 0)
        {
            return (null, $"Unknown search parameter(s): {string.Join(", ", unknown)}. Supported: {string.Join(", ", supported.Concat(Common))}.");
        }

        var count = FhirResponses.DefaultCount;
        if (query.TryGetValue("_count", out var countText) && (!int.TryParse(countText, out count) || count < 0 || count > FhirResponses.MaxCount))
        {
            return (null, $"_count must be a whole number from 0 to {FhirResponses.MaxCount}.");
        }

        var offset = 0;
        if (query.TryGetValue("_offset", out var offsetText) && (!int.TryParse(offsetText, out offset) || offset < 0))
        {
            return (null, "_offset must be a whole number of 0 or more.");
        }

        if (query.TryGetValue("_sort", out var sort) && sort.ToString() is not ("date" or "-date"))
        {
            return (null, "_sort supports 'date' and '-date'.");
        }

        return (new FhirSearch(query, count, offset), null);
    }

    /// <summary>A reference parameter (<c>patient=Patient/123</c> or <c>patient=123</c>) as a Guid.</summary>
    public (Guid? Id, string? Error) Reference(string name, string type)
    {
        if (this[name] is not { Length: > 0 } text)
        {
            return (null, null);
        }

        var id = text.StartsWith(type + "/", StringComparison.Ordinal) ? text[(type.Length + 1)..] : text;
        return Guid.TryParse(id, out var guid) ? (guid, null) : (null, $"{name} must reference a {type} by its id.");
    }

    /// <summary>
    /// A date parameter, possibly repeated, each with a FHIR prefix (eq, ge, gt, le, lt; eq by default), as a range
    /// [from, to). A date alone means that whole (UTC) day.
    /// </summary>
    public (DateTimeOffset From, DateTimeOffset To, string? Error) DateRange(string name)
    {
        var from = DateTimeOffset.MinValue;
        var to = DateTimeOffset.MaxValue;
        if (!_query.TryGetValue(name, out var values))
        {
            return (from, to, null);
        }

        foreach (var value in values.OfType<string>())
        {
            var prefixed = value.Length > 2 && char.IsLetter(value[0]) && char.IsLetter(value[1]);
            var prefix = prefixed ? value[..2] : "eq";
            var text = prefixed ? value[2..] : value;
            var dayOnly = text.Length == 10;
            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
                || at.Year is < 1800 or > 2200)
            {
                return (from, to, $"{name} must be a FHIR date or dateTime, with an optional prefix (eq, ge, gt, le, lt): '{value}' is not.");
            }

            var end = dayOnly ? at.AddDays(1) : at.AddTicks(1);
            switch (prefix)
            {
                case "eq": (from, to) = (Max(from, at), Min(to, end)); break;
                case "ge": from = Max(from, at); break;
                case "gt": from = Max(from, end); break;
                case "le": to = Min(to, end); break;
                case "lt": to = Min(to, at); break;
                default: return (from, to, $"{name} prefix '{prefix}' is not supported (eq, ge, gt, le, lt).");
            }
        }

        return (from, to, null);
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}

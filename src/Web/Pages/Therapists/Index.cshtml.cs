using EventSourcedClinic.Web.Clinic;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EventSourcedClinic.Web.Pages.Therapists;

/// <summary>Search the directory by language, type of therapy and what it helps with: a plain GET form, no JavaScript needed.</summary>
public sealed class IndexModel(ClinicApi api) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Language { get; set; }

    [BindProperty(SupportsGet = true)] public string? Method { get; set; }

    [BindProperty(SupportsGet = true)] public string? Specialisation { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;

    public const int PageSize = 10;

    public Catalogue Catalogue { get; private set; } = new([], [], []);

    public DirectoryPage? Results { get; private set; }

    public ApiProblem? Problem { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellation)
    {
        Catalogue = (await api.GetAsync<Catalogue>("/api/directory/catalogue", cancellation)).Value ?? Catalogue;
        var query = new Dictionary<string, string?>
        {
            ["language"] = Language, ["method"] = Method, ["specialisation"] = Specialisation, ["page"] = Math.Max(1, PageNumber).ToString(),
            ["pageSize"] = PageSize.ToString(),
        };
        var found = await api.GetAsync<DirectoryPage>(Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("/api/directory/therapists",
            query.Where(p => !string.IsNullOrWhiteSpace(p.Value))), cancellation);
        (Results, Problem) = (found.Value, found.Problem);
    }
}

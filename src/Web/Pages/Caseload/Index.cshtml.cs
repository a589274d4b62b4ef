using EventSourcedClinic.Web.Clinic;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EventSourcedClinic.Web.Pages.Caseload;

/// <summary>The therapist's patients: risk first, then by next session, with their latest scores and the change since the first.</summary>
public sealed class IndexModel(ClinicApi api) : PageModel
{
    public Clinic.Caseload? Caseload { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellation)
    {
        if (User.FindFirst("role")?.Value != "therapist")
        {
            return NotFound();
        }

        Caseload = (await api.GetAsync<Clinic.Caseload>("/api/caseload", cancellation)).Found();
        return Page();
    }
}

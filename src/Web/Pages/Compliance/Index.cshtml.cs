using EventSourcedClinic.Web.Clinic;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EventSourcedClinic.Web.Pages.Compliance;

/// <summary>
/// The compliance officer's desk: verify the event store's hash chain (every altered, deleted, reordered or inserted
/// event is listed), and the break-glass reads waiting for review.
/// </summary>
public sealed class IndexModel(ClinicApi api) : PageModel
{
    public ChainVerification? Verification { get; private set; }

    public BreakGlassReview? BreakGlass { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellation)
    {
        if (User.FindFirst("role")?.Value != "compliance")
        {
            return NotFound();
        }

        BreakGlass = (await api.GetAsync<BreakGlassReview>("/api/compliance/break-glass", cancellation)).Found();
        return Page();
    }

    public async Task<IActionResult> OnPostVerifyAsync(CancellationToken cancellation)
    {
        if (User.FindFirst("role")?.Value != "compliance")
        {
            return NotFound();
        }

        Verification = (await api.GetAsync<ChainVerification>("/api/compliance/chain/verify", cancellation)).Found();
        BreakGlass = (await api.GetAsync<BreakGlassReview>("/api/compliance/break-glass", cancellation)).Found();
        return Page();
    }
}

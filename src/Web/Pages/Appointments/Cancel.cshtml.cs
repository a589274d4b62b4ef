using EventSourcedClinic.Web.Clinic;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EventSourcedClinic.Web.Pages.Appointments;

/// <summary>Cancelling, with what it means for the fee shown first (the API's own decision, previewed), and a reason.</summary>
public sealed class CancelModel(ClinicApi api) : PageModel
{
    public Appointment? Appointment { get; private set; }

    public CancellationPreview? Preview { get; private set; }

    public ApiProblem? Problem { get; private set; }

    [BindProperty] public string Reason { get; set; } = "";

    [BindProperty] public long Version { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellation) =>
        await LoadAsync(id, cancellation) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellation)
    {
        var cancelled = await api.PostAsync<System.Text.Json.JsonElement>($"/api/appointments/{id}/cancellation", new { expectedVersion = Version, reason = Reason },
            cancellation);
        if (cancelled.Ok)
        {
            return Redirect($"/appointments/{id}");
        }

        Problem = cancelled.Problem;
        Response.StatusCode = cancelled.Problem!.PageStatus;
        return await LoadAsync(id, cancellation) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellation)
    {
        Appointment = (await api.GetAsync<Appointment>($"/api/appointments/{id}", cancellation)).Found();
        Preview = Appointment is null ? null : (await api.GetAsync<CancellationPreview>($"/api/appointments/{id}/cancellation", cancellation)).Found();
        return Appointment is not null && Preview is not null;
    }
}

using EventSourcedClinic.Web.Clinic;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EventSourcedClinic.Web.Pages.Appointments;

/// <summary>
/// One appointment as its patient or therapist sees it. A held one can be paid (Stripe's hosted page); back from paying,
/// the page waits for Stripe's word (the webhook) and then shows the session booked.
/// </summary>
public sealed class DetailsModel(ClinicApi api) : PageModel
{
    public Appointment? Appointment { get; private set; }

    public string TherapistName { get; private set; } = "";

    [BindProperty(SupportsGet = true)] public bool Paid { get; set; }

    public bool IsPatient => User.FindFirst("role")?.Value == "patient";

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellation)
    {
        var found = await api.GetAsync<Appointment>($"/api/appointments/{id}", cancellation);
        if (found.Value is not { } appointment)
        {
            return NotFound();
        }

        Appointment = appointment;
        TherapistName = (await api.GetAsync<TherapistProfile>($"/api/directory/therapists/{appointment.TherapistId}", cancellation)).Value?.FullName ?? "";
        if (Paid && appointment.Status == "held")
        {
            // Stripe's webhook has not reached the clinic yet: look again shortly (a meta refresh; no script needed).
            ViewData["Refresh"] = 3;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostPayAsync(Guid id, CancellationToken cancellation)
    {
        var here = $"{Request.Scheme}://{Request.Host}/appointments/{id}";
        var checkout = await api.PostAsync<CheckoutPage>($"/api/appointments/{id}/checkout", new { successUrl = here + "?paid=true", cancelUrl = here }, cancellation);
        return checkout.Value is { } page ? Redirect(page.CheckoutUrl) : checkout.Problem!.Status == 404 ? NotFound() : Redirect(here);
    }
}

using EventSourcedClinic.Web.Clinic;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EventSourcedClinic.Web.Pages.Therapists;

/// <summary>
/// A therapist's profile and their free times for the next two weeks. Choosing a time holds it (signing in first if
/// need be) and goes straight to payment on Stripe's hosted page; the API confirms the session when Stripe says paid.
/// </summary>
public sealed class ProfileModel(ClinicApi api, Text text) : PageModel
{
    public TherapistProfile? Therapist { get; private set; }

    public TherapistSlots? Slots { get; private set; }

    public ApiProblem? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellation) =>
        await LoadAsync(id, cancellation) ? Page() : NotFound();

    public async Task<IActionResult> OnPostBookAsync(Guid id, DateTimeOffset start, CancellationToken cancellation)
    {
        if (User.Identity?.IsAuthenticated != true)
        {
            return Challenge(new AuthenticationProperties { RedirectUri = $"/therapists/{id}" });
        }

        var booked = await api.PostAsync<Booked>("/api/appointments", new { therapistId = id, start }, cancellation);
        if (booked.Value is { } appointment)
        {
            var here = $"{Request.Scheme}://{Request.Host}/appointments/{appointment.AppointmentId}";
            var checkout = await api.PostAsync<CheckoutPage>($"/api/appointments/{appointment.AppointmentId}/checkout",
                new { successUrl = here + "?paid=true", cancelUrl = here }, cancellation);
            return checkout.Value is { } page ? Redirect(page.CheckoutUrl) : Redirect(here);
        }

        Problem = booked.Problem;
        Response.StatusCode = booked.Problem!.PageStatus;
        return await LoadAsync(id, cancellation) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellation)
    {
        Therapist = (await api.GetAsync<TherapistProfile>($"/api/directory/therapists/{id}", cancellation)).Found();
        if (Therapist is null)
        {
            return false;
        }

        var today = DateOnly.FromDateTime(text.InLondon(DateTimeOffset.UtcNow).DateTime);
        Slots = (await api.GetAsync<TherapistSlots>($"/api/directory/therapists/{id}/slots?from={today:yyyy-MM-dd}&to={today.AddDays(14):yyyy-MM-dd}",
            cancellation)).Value;
        return true;
    }
}

using EventSourcedClinic.Web.Clinic;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EventSourcedClinic.Web.Pages.Appointments;

/// <summary>The patient's appointments, upcoming and past, with their therapists' names. A therapist has their calendar instead.</summary>
public sealed class IndexModel(ClinicApi api) : PageModel
{
    public PatientCalendar? Calendar { get; private set; }

    public Dictionary<Guid, string> Therapists { get; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellation)
    {
        if (User.FindFirst("role")?.Value == "therapist")
        {
            return Redirect("/calendar");
        }

        Calendar = (await api.GetAsync<PatientCalendar>("/api/calendar/patient", cancellation)).Found();
        if (Calendar is null)
        {
            return NotFound();
        }

        // Each therapist's name from the public directory, asked for at once rather than one after another.
        var therapistIds = Calendar.Upcoming.Concat(Calendar.Past).Select(a => a.TherapistId).Distinct().ToArray();
        var profiles = await Task.WhenAll(therapistIds.Select(id => api.GetAsync<TherapistProfile>($"/api/directory/therapists/{id}", cancellation)));
        foreach (var (id, profile) in therapistIds.Zip(profiles))
        {
            Therapists[id] = profile.Value?.FullName ?? "";
        }

        return Page();
    }
}

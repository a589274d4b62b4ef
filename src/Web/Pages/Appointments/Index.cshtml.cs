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

        var calendar = await api.GetAsync<PatientCalendar>("/api/calendar/patient", cancellation);
        if (calendar.Problem is { Status: 403 or 404 })
        {
            return NotFound();
        }

        Calendar = calendar.Value;
        foreach (var therapistId in (Calendar?.Upcoming ?? []).Concat(Calendar?.Past ?? []).Select(a => a.TherapistId).Distinct())
        {
            Therapists[therapistId] = (await api.GetAsync<TherapistProfile>($"/api/directory/therapists/{therapistId}", cancellation)).Value?.FullName ?? "";
        }

        return Page();
    }
}

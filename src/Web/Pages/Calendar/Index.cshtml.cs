using EventSourcedClinic.Web.Clinic;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EventSourcedClinic.Web.Pages.Calendar;

/// <summary>A therapist's week (Monday to Sunday, London dates): each day's sessions in order.</summary>
public sealed class IndexModel(ClinicApi api, Text text) : PageModel
{
    [BindProperty(SupportsGet = true)] public DateOnly? Week { get; set; }

    public DateOnly Monday { get; private set; }

    public TherapistCalendar? Calendar { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellation)
    {
        if (User.FindFirst("role")?.Value != "therapist")
        {
            return NotFound();
        }

        var today = DateOnly.FromDateTime(text.InLondon(DateTimeOffset.UtcNow).DateTime);
        // A week within ten years either way: anything else is a typed-in address, and is this week.
        var day = Week is { } week && Math.Abs(week.DayNumber - today.DayNumber) < 3650 ? week : today;
        Monday = day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
        Calendar = (await api.GetAsync<TherapistCalendar>($"/api/calendar/therapist?from={Monday:yyyy-MM-dd}&to={Monday.AddDays(6):yyyy-MM-dd}", cancellation)).Found();
        return Page();
    }
}

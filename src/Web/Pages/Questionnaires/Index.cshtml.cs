using EventSourcedClinic.Web.Clinic;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EventSourcedClinic.Web.Pages.Questionnaires;

/// <summary>The patient's PHQ-9 and GAD-7 scores over time: a chart drawn on the server (SVG) and the same as a table.</summary>
public sealed class IndexModel(ClinicApi api) : PageModel
{
    public Measure[] Measures { get; private set; } = [];

    public Measure? Latest { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid? latest, CancellationToken cancellation)
    {
        if (User.FindFirst("role")?.Value != "patient" || !Guid.TryParse(User.FindFirst("sub")?.Value, out var me))
        {
            return NotFound();
        }

        Measures = (await api.GetAsync<PatientOutcomes>($"/api/patients/{me}/outcomes", cancellation)).Found()?.Measures ?? [];
        Latest = Measures.FirstOrDefault(m => m.MeasureId == latest);
        return Page();
    }
}

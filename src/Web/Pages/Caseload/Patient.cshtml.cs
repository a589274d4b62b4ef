using EventSourcedClinic.Web.Clinic;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EventSourcedClinic.Web.Pages.Caseload;

/// <summary>One patient of the caseload: their PHQ-9 and GAD-7 over time against the caseness lines (the read is access-logged by the API).</summary>
public sealed class PatientModel(ClinicApi api) : PageModel
{
    public CaseloadEntry? Entry { get; private set; }

    public Measure[] Measures { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid patientId, CancellationToken cancellation)
    {
        var caseload = (await api.GetAsync<Clinic.Caseload>("/api/caseload", cancellation)).Value;
        Entry = caseload?.Patients.FirstOrDefault(p => p.PatientId == patientId);
        var outcomes = await api.GetAsync<PatientOutcomes>($"/api/patients/{patientId}/outcomes", cancellation);
        if (Entry is null || outcomes.Value is null)
        {
            return NotFound();
        }

        Measures = outcomes.Value.Measures;
        return Page();
    }
}

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
        // Only a patient of this therapist's caseload; their scores are read (and logged) only then.
        var caseload = (await api.GetAsync<Clinic.Caseload>("/api/caseload", cancellation)).Found();
        Entry = caseload?.Patients.FirstOrDefault(p => p.PatientId == patientId);
        if (Entry is null || (await api.GetAsync<PatientOutcomes>($"/api/patients/{patientId}/outcomes", cancellation)).Found() is not { } outcomes)
        {
            return NotFound();
        }

        Measures = outcomes.Measures;
        return Page();
    }
}

using EventSourcedClinic.Web.Clinic;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EventSourcedClinic.Web.Pages.Questionnaires;

/// <summary>One questionnaire as a plain form: a radio group per question; the API scores it.</summary>
public sealed class AnswerModel(ClinicApi api) : PageModel
{
    public QuestionnaireForm Form { get; private set; } = QuestionnaireForm.Phq9;

    public int?[] Answers { get; private set; } = [];

    public bool Incomplete { get; private set; }

    public ApiProblem? Problem { get; private set; }

    public IActionResult OnGet(string code)
    {
        if (QuestionnaireForm.For(code) is not { } form || User.FindFirst("role")?.Value != "patient")
        {
            return NotFound();
        }

        (Form, Answers) = (form, new int?[form.Items.Length]);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string code, CancellationToken cancellation)
    {
        if (QuestionnaireForm.For(code) is not { } form || !Guid.TryParse(User.FindFirst("sub")?.Value, out var me))
        {
            return NotFound();
        }

        Form = form;
        Answers = [.. Enumerable.Range(0, form.Items.Length).Select(i => int.TryParse(Request.Form[$"q{i}"], out var a) && a is >= 0 and <= 3 ? a : (int?)null)];
        if (Answers.Any(a => a is null))
        {
            Incomplete = true;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var recorded = await api.PostAsync<System.Text.Json.JsonElement>($"/api/patients/{me}/outcomes",
            new { questionnaire = form.Code, answers = Answers.Select(a => a!.Value).ToArray() }, cancellation);
        if (recorded.Problem is { } problem)
        {
            Problem = problem;
            Response.StatusCode = problem.PageStatus;
            return Page();
        }

        var measureId = recorded.Value.TryGetProperty("measureId", out var id) ? id.GetString() : null;
        return Redirect($"/questionnaires?latest={measureId}#{form.Code}");
    }
}

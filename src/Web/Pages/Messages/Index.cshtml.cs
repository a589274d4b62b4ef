using EventSourcedClinic.Web.Clinic;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EventSourcedClinic.Web.Pages.Messages;

/// <summary>
/// A patient's conversation with their care team and the clinic's desk: the latest messages and a form to write one
/// (a plain form: each send carries its own id, so a double submit is one message). The emergency notice stands above.
/// </summary>
public sealed class IndexModel(ClinicApi api) : PageModel
{
    public Conversation? Conversation { get; private set; }

    public ApiProblem? Problem { get; private set; }

    [BindProperty] public string Body { get; set; } = "";

    [BindProperty] public string? ClientMessageId { get; set; }

    public string NewClientMessageId { get; } = Guid.NewGuid().ToString("N");

    public Guid Me => Guid.TryParse(User.FindFirst("sub")?.Value, out var id) ? id : Guid.Empty;

    public async Task<IActionResult> OnGetAsync(Guid? patientId, CancellationToken cancellation) =>
        await LoadAsync(patientId ?? Me, cancellation) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(Guid? patientId, CancellationToken cancellation)
    {
        var whose = patientId ?? Me;
        var sent = await api.PostAsync<System.Text.Json.JsonElement>($"/api/conversations/{whose}/messages", new { body = Body, clientMessageId = ClientMessageId },
            cancellation);
        if (sent.Ok)
        {
            return Redirect(patientId is null ? "/messages" : $"/messages/{whose}");
        }

        Problem = sent.Problem;
        Response.StatusCode = sent.Problem!.PageStatus;
        return await LoadAsync(whose, cancellation) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(Guid patientId, CancellationToken cancellation)
    {
        Conversation = (await api.GetAsync<Conversation>($"/api/conversations/{patientId}?limit=50", cancellation)).Found();
        return Conversation is not null;
    }
}

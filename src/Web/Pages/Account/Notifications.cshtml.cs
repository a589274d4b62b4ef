using EventSourcedClinic.Web.Clinic;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EventSourcedClinic.Web.Pages.Account;

/// <summary>How the clinic tells this person things: e-mail, text message and/or this browser; English or Welsh; quiet hours.</summary>
public sealed class NotificationsModel(ClinicApi api) : PageModel
{
    public NotificationPreferences Preferences { get; private set; } = new(["email"], "en", null, null);

    public ApiProblem? Problem { get; private set; }

    public bool Saved { get; private set; }

    public async Task OnGetAsync(bool saved, CancellationToken cancellation)
    {
        Preferences = (await api.GetAsync<NotificationPreferences>("/api/me/notification-preferences", cancellation)).Found() ?? Preferences;
        Saved = saved;
    }

    public async Task<IActionResult> OnPostAsync(string[] channels, string language, string? quietFrom, string? quietUntil, CancellationToken cancellation)
    {
        var quiet = (From: TimeOnly.TryParse(quietFrom, out var from) ? from : (TimeOnly?)null, Until: TimeOnly.TryParse(quietUntil, out var until) ? until : (TimeOnly?)null);
        var saved = await api.PutAsync<NotificationPreferences>("/api/me/notification-preferences",
            new { channels, language, quietFrom = quiet.From, quietUntil = quiet.Until }, cancellation);
        if (saved.Ok)
        {
            return Redirect("/account/notifications?saved=true");
        }

        (Problem, Preferences) = (saved.Problem, new NotificationPreferences(channels, language, quiet.From, quiet.Until));
        Response.StatusCode = saved.Problem!.PageStatus;
        return Page();
    }
}

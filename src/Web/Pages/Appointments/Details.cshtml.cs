using EventSourcedClinic.Web.Clinic;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EventSourcedClinic.Web.Pages.Appointments;

/// <summary>
/// One appointment as its patient or therapist sees it. A held one can be paid (Stripe's hosted page); back from paying,
/// the page waits for Stripe's word (the webhook) and then shows the session booked.
/// </summary>
public sealed class DetailsModel(ClinicApi api) : PageModel
{
    public Appointment? Appointment { get; private set; }

    public string TherapistName { get; private set; } = "";

    [BindProperty(SupportsGet = true)] public bool Paid { get; set; }

    public bool IsPatient => User.FindFirst("role")?.Value == "patient";

    public bool IsTherapist => User.FindFirst("role")?.Value == "therapist";

    /// <summary>The session's video room is open (from 10 minutes before the start to 15 after the end, as the API decides it).</summary>
    public bool RoomOpen { get; private set; }

    /// <summary>The room as the API sees it: whether the patient is waiting to be let in.</summary>
    public VideoRoom? Room { get; private set; }

    /// <summary>What the API said when it would not let the person in (the room not open yet, video unavailable).</summary>
    public ApiProblem? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellation)
    {
        if ((await api.GetAsync<Appointment>($"/api/appointments/{id}", cancellation)).Found() is not { } appointment)
        {
            return NotFound();
        }

        Appointment = appointment;
        TherapistName = (await api.GetAsync<TherapistProfile>($"/api/directory/therapists/{appointment.TherapistId}", cancellation)).Value?.FullName ?? "";
        // The API says when the room opens and closes (the join window is the clinic's to decide).
        var now = DateTimeOffset.UtcNow;
        if (appointment.Status is "confirmed" or "started" && appointment.Start - now < TimeSpan.FromDays(1) && now < appointment.End.AddHours(2))
        {
            Room = (await api.GetAsync<VideoRoom>($"/api/appointments/{id}/video-room", cancellation)).Value;
            RoomOpen = Room is { Opens: { } opens, Closes: { } closes } && now >= opens && now <= closes;
        }

        return Page();
    }

    /// <summary>
    /// What the page waits for, as JSON for its script: the payment confirmed, the patient let in, a patient arrived.
    /// Without script the page offers "Check again" instead.
    /// </summary>
    public async Task<IActionResult> OnGetStateAsync(Guid id, CancellationToken cancellation)
    {
        var appointment = (await api.GetAsync<Appointment>($"/api/appointments/{id}", cancellation)).Value;
        if (appointment is null)
        {
            return NotFound();
        }

        var room = appointment.Status is "confirmed" or "started" ? (await api.GetAsync<VideoRoom>($"/api/appointments/{id}/video-room", cancellation)).Value : null;
        return new JsonResult(new { confirmed = appointment.Status != "held", admitted = room?.PatientAdmitted == true, waiting = room?.PatientWaiting == true });
    }

    /// <summary>
    /// Join the session's room: the API gives access (the patient waits, 202, until let in), and the browser goes to the
    /// room page with what it needs in the fragment (never sent to any server).
    /// </summary>
    public async Task<IActionResult> OnPostJoinAsync(Guid id, [FromServices] Microsoft.Extensions.Options.IOptions<WebSettings> settings, CancellationToken cancellation)
    {
        var access = await api.PostAsync<VideoAccess>($"/api/appointments/{id}/video-access", null, cancellation);
        if (access.Problem is { Status: 404 })
        {
            return NotFound();
        }

        if (access.Problem is { } refused)
        {
            Problem = refused;
            Response.StatusCode = refused.PageStatus;
            return await OnGetAsync(id, cancellation);
        }

        if (access.Value is not { Token.Length: > 0 } room)
        {
            // Waiting to be let in (202): back to the appointment, which shows the waiting room.
            return Redirect($"/appointments/{id}");
        }

        var fragment = string.Join('&', new Dictionary<string, string?>
        {
            ["server"] = room.ServerUrl, ["room"] = room.Room, ["pin"] = room.Token, ["id"] = room.Identity,
            ["ice"] = System.Text.Json.JsonSerializer.Serialize(room.IceServers ?? [], ClinicApi.Json), ["name"] = User.Identity?.Name,
        }.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value ?? "")}"));
        return Redirect($"{settings.Value.ApiUrl}/video/room#{fragment}");
    }

    /// <summary>The therapist lets the waiting patient in (the patient is told).</summary>
    public async Task<IActionResult> OnPostAdmitAsync(Guid id, CancellationToken cancellation)
    {
        var admitted = await api.PostAsync<VideoRoom>($"/api/appointments/{id}/video-room/admission", null, cancellation);
        return admitted.Problem is { Status: 404 } ? NotFound() : Redirect($"/appointments/{id}");
    }

    public async Task<IActionResult> OnPostPayAsync(Guid id, CancellationToken cancellation)
    {
        var here = $"{Request.Scheme}://{Request.Host}/appointments/{id}";
        var checkout = await api.PostAsync<CheckoutPage>($"/api/appointments/{id}/checkout", new { successUrl = here + "?paid=true", cancelUrl = here }, cancellation);
        return checkout.Value is { } page ? Redirect(page.CheckoutUrl) : checkout.Problem!.Status == 404 ? NotFound() : Redirect(here);
    }
}

using EventSourcedClinic.Integrations.Sms;
using Microsoft.Extensions.Options;

namespace EventSourcedClinic.Api.Notifications;

/// <summary>
/// Twilio reports what became of a text message (sent, delivered, undelivered, failed). The X-Twilio-Signature over the
/// callback's URL and form is checked with the auth token; anything else is a 400 and changes nothing. Each report is
/// kept beside the attempt it is about.
/// </summary>
public static class SmsStatusEndpoint
{
    [WolverinePost("/webhooks/twilio/sms-status"), AllowAnonymous]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public static async Task<IResult> Post(
        HttpRequest request, TwilioSms sms, IOptions<SmsSettings> settings, IDocumentSession session, TimeProvider time, CancellationToken cancellation)
    {
        if (!request.HasFormContentType)
        {
            return Results.Problem(Refused("A status report is a form."));
        }

        var form = (await request.ReadFormAsync(cancellation)).ToDictionary(p => p.Key, p => p.Value.ToString());
        if (settings.Value.StatusCallbackUrl is not { Length: > 0 } url || !sms.IsTwilios(url, form, request.Headers["X-Twilio-Signature"].ToString()))
        {
            return Results.Problem(Refused("X-Twilio-Signature must be Twilio's, over this URL and form."));
        }

        var sid = form.GetValueOrDefault("MessageSid") ?? "";
        var status = form.GetValueOrDefault("MessageStatus") ?? "";
        if (sid.Length > 0 && status is "sent" or "delivered" or "undelivered" or "failed")
        {
            // Twilio may report before the attempt's own record is committed: the report is kept either way, by the SID.
            var sent = await session.Query<NotificationDelivery>().FirstOrDefaultAsync(d => d.Reference == sid && d.NotificationId != Guid.Empty, cancellation);
            session.Store(new NotificationDelivery(Guid.CreateVersion7(), sent?.NotificationId ?? Guid.Empty, sent?.RecipientId ?? Guid.Empty, sent?.Kind ?? "sms",
                "sms", sent?.Attempt ?? 0, status, form.GetValueOrDefault("ErrorCode"), time.GetUtcNow(), sid));
        }

        return Results.NoContent();
    }

    private static ProblemDetails Refused(string detail) => new()
    {
        Status = StatusCodes.Status400BadRequest, Type = Problems.TypeBase + "invalid-signature", Title = "The report's signature does not verify", Detail = detail,
    };
}

using EventSourcedClinic.Domain.Notifications;
using EventSourcedClinic.Integrations.Push;
using Microsoft.Extensions.Options;

namespace EventSourcedClinic.Api.Notifications;

/// <summary>The browser's PushSubscription as <c>toJSON()</c> gives it: where its push service takes messages, and its keys.</summary>
public sealed record PushSubscriptionRequest(string Endpoint, PushSubscriptionKeys Keys);

public sealed record PushSubscriptionKeys(string P256dh, string Auth);

/// <summary>A device as its owner sees it: which push service, since when (never the subscription itself).</summary>
public sealed record PushDeviceView(Guid DeviceId, string PushService, DateTimeOffset AddedAt)
{
    public static PushDeviceView From(PushDevice device) =>
        new(device.DeviceId, Uri.TryCreate(device.Endpoint.Value, UriKind.Absolute, out var uri) ? uri.Host : "", device.AddedAt);
}

/// <summary>
/// A person lets this browser be notified (Web Push): the clinic's VAPID public key for the browser's subscribe call,
/// then the subscription, kept encrypted under the person's key. Only the browsers' own push services are accepted.
/// </summary>
public static class PushDeviceEndpoints
{
    [WolverineGet("/api/push/vapid-public-key"), AllowAnonymous]
    [ProducesResponseType<VapidPublicKey>(StatusCodes.Status200OK)]
    public static IResult GetKey(IOptions<PushSettings> settings) => settings.Value.Configured
        ? Results.Ok(new VapidPublicKey(settings.Value.PublicKey))
        : Results.Problem(Unavailable);

    [WolverineGet("/api/me/push-devices"), Authorize(Roles = NotificationPreferencesEndpoints.People)]
    [ProducesResponseType<PushDeviceView[]>(StatusCodes.Status200OK)]
    public static async Task<PushDeviceView[]> Get(ClaimsPrincipal user, IQuerySession session, CancellationToken cancellation)
    {
        var preferences = await session.LoadAsync<NotificationPreferences>(NotificationPreferences.StreamId(Actor.From(user).UserId!.Value), cancellation);
        return [.. (preferences?.PushDevices ?? []).Select(PushDeviceView.From)];
    }

    [WolverinePost("/api/me/push-devices/{deviceId}/removal"), Authorize(Roles = NotificationPreferencesEndpoints.People)]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public static async Task<IResult> PostRemoval(
        Guid deviceId, ClaimsPrincipal user, HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken cancellation)
    {
        var personId = Actor.From(user).UserId!.Value;
        AuditStamp.Apply(session, http);
        var written = await session.AppendAsync<NotificationPreferences>(NotificationPreferences.StreamId(personId),
            current => PushDevices.Remove(current, personId, deviceId, "person", time.GetUtcNow()), cancellation);
        return written.Refused is { } refused ? Results.Problem(refused) : Results.NoContent();
    }

    internal static readonly ProblemDetails Unavailable = new()
    {
        Status = StatusCodes.Status404NotFound, Type = Problems.TypeBase + "push-not-offered", Title = "Notifications to the browser are not offered",
        Detail = "This clinic has no Web Push key pair configured (Notifications:Push).",
    };
}

public sealed record VapidPublicKey(string PublicKey);

public static class AddPushDeviceEndpoint
{
    public static ProblemDetails Validate(PushSubscriptionRequest command, IOptions<PushSettings> settings) =>
        Problems.Validate(command, new Validator(settings.Value));

    [WolverinePost("/api/me/push-devices"), Authorize(Roles = NotificationPreferencesEndpoints.People)]
    [ProducesResponseType<PushDeviceView>(StatusCodes.Status200OK)]
    public static async Task<IResult> Post(
        PushSubscriptionRequest command, ClaimsPrincipal user, HttpContext http, IDocumentSession session, IOptions<PushSettings> settings, TimeProvider time,
        CancellationToken cancellation)
    {
        if (!settings.Value.Configured)
        {
            return Results.Problem(PushDeviceEndpoints.Unavailable);
        }

        var personId = Actor.From(user).UserId!.Value;
        AuditStamp.Apply(session, http);
        var written = await session.AppendAsync<NotificationPreferences>(NotificationPreferences.StreamId(personId), current =>
            PushDevices.Add(current, personId, Guid.CreateVersion7(), command.Endpoint, command.Keys.P256dh, command.Keys.Auth, time.GetUtcNow()), cancellation);
        var device = Fold<NotificationPreferences>.All(written.Events, written.Before)!.PushDevices.Single(d => d.Endpoint.Value == command.Endpoint);
        return Results.Ok(PushDeviceView.From(device));
    }

    public sealed class Validator : AbstractValidator<PushSubscriptionRequest>
    {
        public Validator(PushSettings settings)
        {
            RuleFor(x => x.Endpoint).NotEmpty().MaximumLength(1_000).Must(settings.Accepts)
                .WithMessage("'endpoint' must be a browser push service's https address.");
            RuleFor(x => x.Keys).NotNull();
            // P-256 public key, uncompressed (65 bytes), and a 16-byte auth secret, both base64url.
            RuleFor(x => x.Keys.P256dh).Must(k => Decoded(k) is { Length: 65 } bytes && bytes[0] == 4).When(x => x.Keys is not null)
                .WithMessage("'keys.p256dh' must be the browser's P-256 public key (base64url).");
            RuleFor(x => x.Keys.Auth).Must(k => Decoded(k) is { Length: 16 }).When(x => x.Keys is not null)
                .WithMessage("'keys.auth' must be the browser's 16-byte auth secret (base64url).");
        }

        private static byte[]? Decoded(string? text)
        {
            if (string.IsNullOrEmpty(text) || text.Length > 200 || text.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '=')))
            {
                return null;
            }

            try
            {
                return Convert.FromBase64String(text.TrimEnd('=').Replace('-', '+').Replace('_', '/').PadRight((text.TrimEnd('=').Length + 3) / 4 * 4, '='));
            }
            catch (FormatException)
            {
                return null;
            }
        }
    }
}

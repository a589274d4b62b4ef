namespace EventSourcedClinic.Api.Payments;

/// <summary>An address Stripe sends a person back to: absolute, http or https, of a sane length.</summary>
public static class WebAddress
{
    public static bool IsValid(string? url) =>
        url is { Length: <= 2_000 } && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http";
}

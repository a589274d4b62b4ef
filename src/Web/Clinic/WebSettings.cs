namespace EventSourcedClinic.Web.Clinic;

/// <summary>The "Web" section: where the clinic's API and authorization server are, and how this app signs in to them.</summary>
public sealed class WebSettings
{
    public const string Section = "Web";

    /// <summary>The API as this server reaches it (its own calls, never the browser's).</summary>
    public string ApiUrl { get; set; } = "http://127.0.0.1:5080";

    /// <summary>The OpenID Connect authority people sign in with: the clinic's own server (the API) unless an external one is configured.</summary>
    public string? Authority { get; set; }

    /// <summary>The client this app is to the authorization server: the clinic's own (authorization code with PKCE).</summary>
    public string ClientId { get; set; } = "clinic-app";

    /// <summary>Plain http to the authority and for the session cookie: only on loopback, for the demo and the tests.</summary>
    public bool AllowHttp { get; set; }

    public string AuthorityUrl => string.IsNullOrWhiteSpace(Authority) ? ApiUrl : Authority;
}

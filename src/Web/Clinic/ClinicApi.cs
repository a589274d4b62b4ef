using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace EventSourcedClinic.Web.Clinic;

/// <summary>What the API said when it refused: its problem details, field by field where it named fields.</summary>
public sealed record ApiProblem(int Status, string Title, string? Detail, string? Rule, IReadOnlyDictionary<string, string[]> Errors)
{
    public static ApiProblem From(HttpStatusCode status, JsonElement? body)
    {
        string? Text(string name) => body is { ValueKind: JsonValueKind.Object } b && b.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var errors = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        if (body is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Object)
        {
            foreach (var field in e.EnumerateObject())
            {
                errors[field.Name] = field.Value.ValueKind == JsonValueKind.Array ? [.. field.Value.EnumerateArray().Select(x => x.ToString())] : [field.Value.ToString()];
            }
        }

        return new ApiProblem((int)status, Text("title") ?? status.ToString(), Text("detail"), Text("rule"), errors);
    }

    /// <summary>The status the page answers with when it shows this refusal: the API's own 4xx, or 503 when the API failed.</summary>
    public int PageStatus => Status is >= 400 and < 500 ? Status : 503;
}

/// <summary>An answer of the API: the value, or the problem.</summary>
public sealed record ApiResult<T>(T? Value, ApiProblem? Problem)
{
    public bool Ok => Problem is null;

    /// <summary>
    /// For a page that shows what it read: the value; nothing when the API says there is no such thing (or not for this
    /// person), for a "Page not found"; any other refusal is the service unavailable, never an empty page.
    /// </summary>
    public T? Found() => Problem switch
    {
        null => Value,
        { Status: 403 or 404 } => default,
        _ => throw new ApiUnavailableException(),
    };
}

/// <summary>The API could not answer a read a page needs: the page says the service is unavailable (503).</summary>
public sealed class ApiUnavailableException : Exception;

/// <summary>The person's sign-in has ended (or the API no longer accepts it): they sign in again and come back.</summary>
public sealed class SignInAgainException : Exception;

/// <summary>
/// The clinic's API as this server calls it, on behalf of the person signed in: their access token (kept in the
/// server-side session, renewed with the refresh token when it has expired) in the Authorization header.
/// </summary>
public sealed class ClinicApi(HttpClient client, IHttpContextAccessor context, IOptions<WebSettings> settings)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public Task<ApiResult<T>> GetAsync<T>(string path, CancellationToken cancellation = default) => SendAsync<T>(HttpMethod.Get, path, null, cancellation);

    public Task<ApiResult<T>> PostAsync<T>(string path, object? body, CancellationToken cancellation = default) => SendAsync<T>(HttpMethod.Post, path, body, cancellation);

    public Task<ApiResult<T>> PutAsync<T>(string path, object? body, CancellationToken cancellation = default) => SendAsync<T>(HttpMethod.Put, path, body, cancellation);

    private async Task<ApiResult<T>> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellation)
    {
        using var request = new HttpRequestMessage(method, new Uri(new Uri(settings.Value.ApiUrl), path));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: Json);
        }

        var signedIn = context.HttpContext?.User.Identity?.IsAuthenticated == true;
        if (signedIn && await AccessTokenAsync(cancellation) is { } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        request.Headers.AcceptLanguage.ParseAdd(context.HttpContext?.Request.Cookies[Text.Cookie] == "cy" ? "cy-GB" : "en-GB");
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, cancellation);
        }
        catch (HttpRequestException)
        {
            throw new ApiUnavailableException();
        }

        using var _ = response;
        if (response.StatusCode == HttpStatusCode.Unauthorized && signedIn)
        {
            throw new SignInAgainException();
        }

        if (!response.IsSuccessStatusCode)
        {
            JsonElement? problem = null;
            try
            {
                problem = await response.Content.ReadFromJsonAsync<JsonElement>(cancellation);
            }
            catch (JsonException)
            {
            }

            return new ApiResult<T>(default, ApiProblem.From(response.StatusCode, problem));
        }

        return response.StatusCode == HttpStatusCode.NoContent || response.Content.Headers.ContentLength == 0
            ? new ApiResult<T>(default, null)
            : new ApiResult<T>(await response.Content.ReadFromJsonAsync<T>(Json, cancellation), null);
    }

    /// <summary>The access token, renewed first with the refresh token when it has expired (or is about to).</summary>
    private async Task<string?> AccessTokenAsync(CancellationToken cancellation)
    {
        var http = context.HttpContext!;
        var result = await http.AuthenticateAsync();
        if (result.Properties is not { } properties)
        {
            return null;
        }

        var token = properties.GetTokenValue("access_token");
        if (DateTimeOffset.TryParse(properties.GetTokenValue("expires_at"), out var expires) && expires > DateTimeOffset.UtcNow.AddMinutes(1))
        {
            return token;
        }

        if (properties.GetTokenValue("refresh_token") is not { } refresh)
        {
            throw new SignInAgainException();
        }

        using var renewed = await client.PostAsync(new Uri(new Uri(settings.Value.AuthorityUrl), "/connect/token"), new FormUrlEncodedContent(
            new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = refresh, ["client_id"] = settings.Value.ClientId }), cancellation);
        if (!renewed.IsSuccessStatusCode)
        {
            throw new SignInAgainException();
        }

        var tokens = await renewed.Content.ReadFromJsonAsync<JsonElement>(cancellation);
        token = tokens.GetProperty("access_token").GetString();
        properties.UpdateTokenValue("access_token", token!);
        if (tokens.TryGetProperty("refresh_token", out var next))
        {
            properties.UpdateTokenValue("refresh_token", next.GetString()!);
        }

        var lifetime = tokens.TryGetProperty("expires_in", out var seconds) && seconds.TryGetInt32(out var s) ? s : 300;
        properties.UpdateTokenValue("expires_at", DateTimeOffset.UtcNow.AddSeconds(lifetime).ToString("o"));
        await http.SignInAsync(result.Principal!, properties);
        return token;
    }
}

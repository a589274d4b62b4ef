using System.Diagnostics;

namespace EventSourcedClinic.Api.Kernel;

/// <summary>
/// Every request carries a correlation id: the caller's X-Correlation-Id when it sends a sane one, else the trace id.
/// It is echoed back, put in every log line's scope, and stamped on every event the request appends.
/// </summary>
public static class CorrelationIds
{
    public const string Header = "X-Correlation-Id";
    private const string ItemKey = "clinic.correlation-id";

    public static string For(HttpContext http) =>
        http.Items.TryGetValue(ItemKey, out var value) && value is string id ? id : Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier;

    public static IApplicationBuilder UseCorrelationIds(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            var supplied = http.Request.Headers[Header].ToString();
            var id = supplied.Length is > 0 and <= 64 && supplied.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
                ? supplied
                : Activity.Current?.TraceId.ToString() ?? Guid.CreateVersion7().ToString("N");
            http.Items[ItemKey] = id;
            http.Response.Headers[Header] = id;
            var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("EventSourcedClinic.Requests");
            using (logger.BeginScope(new Dictionary<string, object> { ["CorrelationId"] = id }))
            {
                await next(http);
            }
        });
}

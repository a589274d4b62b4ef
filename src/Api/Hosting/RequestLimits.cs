
namespace EventSourcedClinic.Api.Hosting;

/// <summary>
/// Bodies larger than the clinic ever needs are refused before they are read: Kestrel enforces the same limit on the
/// wire (Kestrel:Limits:MaxRequestBodySize), and this answers a declared oversize with a ProblemDetails 413.
/// </summary>
public static class RequestLimits
{
    public const long MaxBodyBytes = 1024 * 1024;

    public static IApplicationBuilder UseRequestLimits(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            if (http.Request.ContentLength > MaxBodyBytes)
            {
                http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = StatusCodes.Status413PayloadTooLarge, Type = Problems.TypeBase + "body-too-large", Title = "The request body is too large",
                        Detail = $"Request bodies are limited to {MaxBodyBytes} bytes.",
                    },
                });
                return;
            }

            await next(http);
        });
}

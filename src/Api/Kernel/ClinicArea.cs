using Microsoft.Extensions.Options;

namespace EventSourcedClinic.Api.Kernel;

/// <summary>
/// One area of the clinic (Scheduling, Clinical, Payments, ...), registered by the host through this one entry point
/// (ADR 0012). The host lists the areas and knows nothing of their insides; an area adds here everything it owns.
/// </summary>
public abstract class ClinicArea
{
    /// <summary>Its services and typed options (validated when the host starts).</summary>
    public virtual void AddServices(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
    }

    /// <summary>
    /// Its part of the event and document store: projections, indexes and its own database objects (see
    /// <see cref="DatabaseObject"/>), in <paramref name="options"/>' schema, which is the clinic's or a replay's scratch schema.
    /// </summary>
    public virtual void ConfigureStore(StoreOptions options)
    {
    }

    /// <summary>The kinds of stream it keeps that hold something about one patient (export, erasure, audit trail, $everything).</summary>
    public virtual IEnumerable<PatientStreamKind> PatientStreams => [];

    /// <summary>How its messages are retried when what they call is away for a while (a card processor, a mail server).</summary>
    public virtual void ConfigureMessaging(Wolverine.WolverineOptions options)
    {
    }

    /// <summary>Its own failures that are expected outcomes, as the problem a client is shown; null when it is not one of them.</summary>
    public virtual ProblemDetails? Classify(Exception exception) => null;

    /// <summary>Middleware of its own that must run before authentication (an error format for its part of the URL space).</summary>
    public virtual void UseBeforeAuthentication(IApplicationBuilder app)
    {
    }

    /// <summary>Routes that are not Wolverine endpoints (an authorization server, the FHIR grammar), and middleware they need.</summary>
    public virtual void Map(WebApplication app)
    {
    }
}

/// <summary>Typed options bound from one configuration section and checked when the host starts, not on first use.</summary>
public static class AreaOptions
{
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services, IConfiguration configuration, string section)
        where T : class =>
        services.AddOptions<T>().Bind(configuration.GetSection(section)).ValidateDataAnnotations().ValidateOnStart();
}

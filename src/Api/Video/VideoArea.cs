using System.ComponentModel.DataAnnotations;
using EventSourcedClinic.Domain.Video;
using EventSourcedClinic.Integrations.Video;
using EventSourcedClinic.Projections;
using JasperFx.Events.Projections;
using Microsoft.Extensions.Options;
using Wolverine.ErrorHandling;

namespace EventSourcedClinic.Api.Video;

/// <summary>The "Video" section: which provider holds the rooms, and the join window.</summary>
public sealed class VideoSettings
{
    public const string Section = "Video";

    /// <summary>janus (self-hosted), twilio, or empty for none (joining answers 503).</summary>
    [RegularExpression("^(|twilio|janus)$")]
    public string Provider { get; set; } = "";

    [Range(0, 60)]
    public int JoinBeforeMinutes { get; set; } = 10;

    [Range(0, 120)]
    public int JoinAfterMinutes { get; set; } = 15;

    /// <summary>How often the clinic looks at who is in a Janus room during its window (Twilio reports by itself).</summary>
    [Range(1, 300)]
    public int PresenceCheckSeconds { get; set; } = 20;

    public TwilioVideoSettings Twilio { get; set; } = new();

    public JanusVideoSettings Janus { get; set; } = new();

    /// <summary>TURN (coturn) for the clients of a Janus room; Twilio brings its own.</summary>
    public TurnSettings Turn { get; set; } = new();

    /// <summary>Janus's JavaScript client as the system has it (Debian's libjs-janus-gateway); the room page loads it from the clinic.</summary>
    public string JanusClientScript { get; set; } = "/usr/share/javascript/janus-gateway/janus.js";

    public JoinWindow Window => new(TimeSpan.FromMinutes(JoinBeforeMinutes), TimeSpan.FromMinutes(JoinAfterMinutes));
}

/// <summary>Video: each confirmed session's room, joined by its two people inside the join window (ADR 0016).</summary>
public sealed class VideoArea : ClinicArea
{
    public override void AddServices(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddValidatedOptions<VideoSettings>(configuration, VideoSettings.Section);
        services.AddHttpClient(nameof(JanusVideoProvider), client => client.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton(sp => new VideoRooms(sp.GetRequiredService<IOptions<VideoSettings>>().Value switch
        {
            { Provider: "twilio", Twilio.Configured: true } video => new TwilioVideoProvider(video.Twilio),
            { Provider: "janus", Janus.Configured: true } video => new JanusVideoProvider(video.Janus,
                sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(JanusVideoProvider)), video.Turn),
            _ => null,
        }));
    }

    public override void ConfigureStore(StoreOptions options) => options.Projections.Add(new StreamFold<VideoSession>(), ProjectionLifecycle.Inline);

    /// <summary>The video server away: joining answers 503 with Retry-After.</summary>
    public override ProblemDetails? Classify(Exception exception) => exception is VideoUnavailableException away
        ? new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable, Type = Problems.TypeBase + "video-unavailable", Title = "Video is unavailable for a moment",
            Detail = away.Message,
        }
        : null;

    /// <summary>Closing a room is retried while the video server is away.</summary>
    public override void ConfigureMessaging(Wolverine.WolverineOptions options) =>
        options.Policies.OnException<VideoUnavailableException>().RetryWithCooldown(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30))
            .Then.ScheduleRetry(TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30));

    /// <summary>The room page (a Janus client for the demo until the web app has its own) and Janus's script, for anyone: they hold no data.</summary>
    public override void Map(WebApplication app)
    {
        app.MapGet("/video/room", () => Results.Stream(typeof(VideoArea).Assembly.GetManifestResourceStream("EventSourcedClinic.Api.Video.room.html")!,
            "text/html; charset=utf-8")).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/video/janus.js", (IOptions<VideoSettings> settings) => File.Exists(settings.Value.JanusClientScript)
            ? Results.File(settings.Value.JanusClientScript, "text/javascript; charset=utf-8")
            : Results.NotFound()).AllowAnonymous().ExcludeFromDescription();
    }
}

/// <summary>The configured provider, or none (joining then answers 503).</summary>
public sealed record VideoRooms(IVideoProvider? Provider);

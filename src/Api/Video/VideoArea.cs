using System.ComponentModel.DataAnnotations;
using EventSourcedClinic.Domain.Video;
using EventSourcedClinic.Integrations.Video;
using EventSourcedClinic.Projections;
using JasperFx.Events.Projections;
using Microsoft.Extensions.Options;

namespace EventSourcedClinic.Api.Video;

/// <summary>The "Video" section: which provider holds the rooms, and the join window.</summary>
public sealed class VideoSettings
{
    public const string Section = "Video";

    /// <summary>twilio, or empty for none (joining answers 503). Janus (self-hosted) follows.</summary>
    [RegularExpression("^(|twilio)$")]
    public string Provider { get; set; } = "";

    [Range(0, 60)]
    public int JoinBeforeMinutes { get; set; } = 10;

    [Range(0, 120)]
    public int JoinAfterMinutes { get; set; } = 15;

    public TwilioVideoSettings Twilio { get; set; } = new();

    public JoinWindow Window => new(TimeSpan.FromMinutes(JoinBeforeMinutes), TimeSpan.FromMinutes(JoinAfterMinutes));
}

/// <summary>Video: each confirmed session's room, joined by its two people inside the join window (ADR 0016).</summary>
public sealed class VideoArea : ClinicArea
{
    public override void AddServices(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddValidatedOptions<VideoSettings>(configuration, VideoSettings.Section);
        services.AddSingleton(sp => new VideoRooms(sp.GetRequiredService<IOptions<VideoSettings>>().Value switch
        {
            { Provider: "twilio", Twilio.Configured: true } video => new TwilioVideoProvider(video.Twilio),
            _ => null,
        }));
    }

    public override void ConfigureStore(StoreOptions options) => options.Projections.Add(new StreamFold<VideoSession>(), ProjectionLifecycle.Inline);
}

/// <summary>The configured provider, or none (joining then answers 503).</summary>
public sealed record VideoRooms(IVideoProvider? Provider);

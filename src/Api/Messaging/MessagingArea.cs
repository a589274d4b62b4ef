using EventSourcedClinic.Domain.Messaging;
using EventSourcedClinic.Projections;
using JasperFx.Events.Projections;

namespace EventSourcedClinic.Api.Messaging;

/// <summary>
/// Messaging: a conversation per patient with their care team and the clinic's desk, over REST and a SignalR hub, its
/// messages encrypted under the patient's key and part of their record (ADR 0015). With <c>Messaging:Redis</c> set, the
/// hub's nodes deliver to each other's clients through Redis.
/// </summary>
public sealed class MessagingArea : ClinicArea
{
    public override void AddServices(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddSingleton<ConversationMembership>();
        services.AddSingleton<ConversationPresence>();
        var signalR = services.AddSignalR(hub => hub.MaximumReceiveMessageSize = 32 * 1024)
            .AddJsonProtocol(json => ClinicJson.Configure(json.PayloadSerializerOptions));
        if (configuration["Messaging:Redis"] is { Length: > 0 } redis)
        {
            signalR.AddStackExchangeRedis(redis, options => options.Configuration.ChannelPrefix = StackExchange.Redis.RedisChannel.Literal("clinic"));
        }
    }

    public override void ConfigureStore(StoreOptions options)
    {
        options.Projections.Add(new StreamFold<Conversation>(), ProjectionLifecycle.Live);
        options.Schema.For<ConversationAttachment>().Index(x => x.PatientId);
    }

    public override IEnumerable<PatientStreamKind> PatientStreams => [PatientStreamKind.Named(RecordTypes.Conversation, Conversation.StreamId, clinical: true)];

    public override void Map(WebApplication app) => app.MapHub<ConversationHub>(ConversationHub.Path);
}

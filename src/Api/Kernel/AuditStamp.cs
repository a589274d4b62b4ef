
namespace EventSourcedClinic.Api.Kernel;

/// <summary>
/// Stamps every event a request appends with who acted (user id, role, client id, on whose behalf),
/// the correlation id and the causation id (the request that caused it). Wolverine runs it before each
/// writing endpoint; code that opens its own session calls <see cref="Apply"/>.
/// </summary>
public static class AuditStamp
{
    public const string UserId = "user-id";
    public const string Role = "role";
    public const string ClientId = "client-id";
    public const string OnBehalfOf = "on-behalf-of";

    public static void Before(HttpContext http, IDocumentSession session, Wolverine.IMessageContext bus)
    {
        Apply(session, http);

        // Messages this request sends or schedules carry its correlation id, and so do the events they cause.
        bus.CorrelationId = CorrelationIds.For(http);
    }

    public static void Apply(IDocumentSession session, HttpContext http) => Apply(session, http, Actor.From(http.User));

    /// <summary>For a request whose actor is not (yet) in the token, such as a person registering themselves.</summary>
    public static void Apply(IDocumentSession session, HttpContext http, Actor actor) =>
        Apply(session, actor, CorrelationIds.For(http), $"{http.Request.Method} {http.Request.Path}#{http.TraceIdentifier}");

    /// <summary>For work the operator starts from the command line (seeding, imports): the process is the actor.</summary>
    public static void ApplyOperator(IDocumentSession session, string command, string correlationId) =>
        Apply(session, new Actor($"operator:{command}", "operator", null, null), correlationId, $"command {command}");

    /// <summary>For work the clinic does by itself (a hold lapsing, a reminder falling due): the clinic is the actor.</summary>
    public static void ApplyClinic(IDocumentSession session, Wolverine.IMessageContext context, string work) =>
        Apply(session, new Actor($"clinic:{work}", "system", null, null),
            context.CorrelationId ?? context.Envelope?.Id.ToString() ?? Guid.CreateVersion7().ToString(),
            $"message {context.Envelope?.MessageType ?? work}#{context.Envelope?.Id}");

    public static void Apply(IDocumentSession session, Actor actor, string correlationId, string causationId)
    {
        session.CorrelationId = correlationId;
        session.CausationId = causationId;
        session.LastModifiedBy = actor.Id;
        session.SetHeader(UserId, actor.Id);
        session.SetHeader(Role, actor.Role);
        if (actor.ClientId is not null)
        {
            session.SetHeader(ClientId, actor.ClientId);
        }

        if (actor.OnBehalfOf is not null)
        {
            session.SetHeader(OnBehalfOf, actor.OnBehalfOf);
        }
    }
}

using EventSourcedClinic.Domain.Messaging;
using Microsoft.AspNetCore.SignalR;
using Wolverine;

namespace EventSourcedClinic.Api.Messaging;

/// <summary>
/// A patient's conversation over REST: page its history (newest last; a clinician's read is written to the patient's
/// access log first), mark it read, retract one's own message. Every answer carries the emergency notice.
/// </summary>
public static class ConversationEndpoints
{
    public const int MaximumPage = 100;

    [WolverineGet("/api/conversations/{patientId}"), Authorize(Roles = $"{ClinicRoles.Patient},{ClinicRoles.Therapist},{ClinicRoles.Admin}")]
    [ProducesResponseType<ConversationView>(StatusCodes.Status200OK)]
    public static async Task<IResult> Get(
        Guid patientId, int? before, int? limit, HttpContext http, IQuerySession session, ConversationMembership membership, AccessLog accessLog,
        CancellationToken cancellation)
    {
        var (_, purpose, refused) = await membership.CheckAsync(Actor.From(http.User), patientId, session, cancellation);
        if (refused is not null)
        {
            return Results.Problem(refused);
        }

        if (limit is < 1 or > MaximumPage || before is < 1)
        {
            return Results.Problem(Problems.BadQuery($"'limit' is 1 to {MaximumPage}; 'before' is a message's sequence number."));
        }

        var streamId = Conversation.StreamId(patientId);
        await accessLog.RecordAsync(http, new PatientRead(patientId, purpose, null, [(RecordTypes.Conversation, streamId)]), cancellation);
        var events = await session.Events.FetchStreamAsync(streamId, token: cancellation);
        var messages = MessageView.From(events, await MessagePostedHandler.SenderNamesAsync(session, events, cancellation))
            .Where(m => before is null || m.Sequence < before).ToList();
        var page = messages.TakeLast(limit ?? 50).ToArray();
        var conversation = Fold<Conversation>.All(events.Select(e => e.Data));
        return Results.Ok(new ConversationView(patientId, EmergencyNotice.Text, page, messages.Count > page.Length, conversation?.ReadUpTo ?? []));
    }

    [WolverinePost("/api/conversations/{patientId}/read"), Authorize(Roles = $"{ClinicRoles.Patient},{ClinicRoles.Therapist},{ClinicRoles.Admin}")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public static async Task<IResult> PostRead(
        Guid patientId, MarkReadRequest command, ClaimsPrincipal user, IDocumentStore store, ConversationMembership membership,
        IHubContext<ConversationHub> hub, TimeProvider time, CancellationToken cancellation)
    {
        var actor = Actor.From(user);
        if ((await membership.CheckAsync(actor, patientId, store, cancellation)).Refused is { } refused)
        {
            return Results.Problem(refused);
        }

        var problem = await ConversationWrites.MarkReadAsync(store, actor, patientId, command.UpToSequence, time,
            hub.Clients.Group(ConversationMembership.Group(patientId)), cancellation);
        return problem is null ? Results.NoContent() : Results.Problem(problem);
    }

    [WolverinePost("/api/conversations/{patientId}/messages/{messageId}/retraction"),
     Authorize(Roles = $"{ClinicRoles.Patient},{ClinicRoles.Therapist},{ClinicRoles.Admin}")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public static async Task<IResult> PostRetraction(
        Guid patientId, Guid messageId, ClaimsPrincipal user, IDocumentStore store, ConversationMembership membership, IHubContext<ConversationHub> hub,
        TimeProvider time, CancellationToken cancellation)
    {
        var actor = Actor.From(user);
        if ((await membership.CheckAsync(actor, patientId, store, cancellation)).Refused is { } refused)
        {
            return Results.Problem(refused);
        }

        var problem = await ConversationWrites.RetractAsync(store, actor, patientId, messageId, time, hub.Clients.Group(ConversationMembership.Group(patientId)),
            cancellation);
        return problem is null ? Results.NoContent() : Results.Problem(problem);
    }
}

/// <summary>A member sends a message over REST: the same write as the hub's, delivered live and by notice once committed.</summary>
public static class SendMessageEndpoint
{
    public static ProblemDetails Validate(SendMessageRequest command) => Problems.Validate(command, Validator.Instance);

    [WolverinePost("/api/conversations/{patientId}/messages"), Authorize(Roles = $"{ClinicRoles.Patient},{ClinicRoles.Therapist},{ClinicRoles.Admin}")]
    [ProducesResponseType<MessageAccepted>(StatusCodes.Status201Created)]
    public static async Task<IResult> Post(
        Guid patientId, SendMessageRequest command, ClaimsPrincipal user, IDocumentStore store, ConversationMembership membership, IMessageBus bus,
        CancellationToken cancellation)
    {
        var actor = Actor.From(user);
        var (role, refused) = await membership.CheckAsync(actor, patientId, store, cancellation);
        if (refused is not null)
        {
            return Results.Problem(refused);
        }

        if (command.AttachmentIds is { Length: > 0 } ids)
        {
            await using var query = store.QuerySession();
            var attachments = await query.LoadManyAsync<ConversationAttachment>(cancellation, ids.Distinct());
            if (attachments.Count != ids.Distinct().Count() || attachments.Any(a => a.PatientId != patientId || a.UploadedBy != actor.UserId))
            {
                return Results.Problem(Problems.NotFound("attachment"));
            }
        }

        var sent = await ConversationCommands.SendAsync(bus, new SendConversationMessage(patientId, actor, role, command.Body, command.ClientMessageId,
            $"POST /api/conversations/{patientId}/messages", command.AttachmentIds?.Distinct().ToArray()), cancellation);
        return sent.Refused is { } problem
            ? Results.Problem(problem)
            : Results.Created($"/api/conversations/{patientId}?before={sent.Sequence + 1}&limit=1", new MessageAccepted(sent.MessageId!.Value, sent.Sequence));
    }

    public sealed class Validator : AbstractValidator<SendMessageRequest>
    {
        /// <summary>Built once: building a validator compiles its rules.</summary>
        public static readonly Validator Instance = new();

        public Validator()
        {
            RuleFor(x => x.Body).NotEmpty().MaximumLength(Conversation.MaximumLength);
            RuleFor(x => x.ClientMessageId).MaximumLength(100).Matches("^[A-Za-z0-9_.:-]+$").When(x => x.ClientMessageId is not null);
            RuleFor(x => x.AttachmentIds).Must(ids => ids!.Length <= 5).When(x => x.AttachmentIds is not null).WithMessage("At most five attachments a message.");
        }
    }
}

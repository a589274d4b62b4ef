using System.Security.Cryptography;
using System.Text;
using EventSourcedClinic.Api.PersonalData;
using EventSourcedClinic.Domain.Messaging;

namespace EventSourcedClinic.Api.Messaging;

/// <summary>
/// A file a member attached to a patient's conversation: sealed with AES-GCM under the patient's key (the name with it),
/// so an erased patient's attachments are unreadable like the rest of their record. Only its type and size are in the clear.
/// </summary>
public sealed class ConversationAttachment
{
    public Guid Id { get; set; }

    public Guid PatientId { get; set; }

    public Guid UploadedBy { get; set; }

    public string ContentType { get; set; } = "";

    public int Size { get; set; }

    /// <summary>The file's name and bytes, sealed together: a length-prefixed name, then the content.</summary>
    public byte[] Sealed { get; set; } = [];

    public DateTimeOffset UploadedAt { get; set; }
}

/// <summary>What kinds of file a conversation takes, checked by their bytes, never by the name or the declared type alone.</summary>
public static class AttachmentRules
{
    public const int MaximumBytes = 5 * 1024 * 1024;

    private static readonly (string Type, byte[] Magic)[] Kinds =
    [
        ("application/pdf", "%PDF-"u8.ToArray()),
        ("image/png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
        ("image/jpeg", [0xFF, 0xD8, 0xFF]),
    ];

    // A PDF that runs code, launches programs or carries other files is active content.
    private static readonly string[] ActivePdf = ["/JavaScript", "/JS", "/Launch", "/EmbeddedFile", "/RichMedia", "/XFA"];

    /// <summary>The file's real type, or why it is refused.</summary>
    public static (string? Type, string? Refusal) Check(ReadOnlySpan<byte> content, string declared)
    {
        string? sniffed = null;
        foreach (var (type, magic) in Kinds)
        {
            if (content.StartsWith(magic))
            {
                sniffed = type;
                break;
            }
        }

        if (sniffed is null)
        {
            return (null, "Only PDF, PNG and JPEG files can be attached.");
        }

        if (!string.Equals(declared, sniffed, StringComparison.OrdinalIgnoreCase))
        {
            return (null, $"The file says it is {declared} but it is {sniffed}.");
        }

        if (sniffed == "application/pdf")
        {
            var text = Encoding.Latin1.GetString(content);
            if (ActivePdf.FirstOrDefault(marker => text.Contains(marker, StringComparison.Ordinal)) is { } active)
            {
                return (null, $"This PDF has active content ({active}); save it as a plain PDF and attach that.");
            }
        }

        return (sniffed, null);
    }

    public static byte[] Seal(PatientKeys keys, Guid patientId, Guid attachmentId, string fileName, byte[] content)
    {
        var name = Encoding.UTF8.GetBytes(fileName);
        var plain = new byte[4 + name.Length + content.Length];
        BitConverter.TryWriteBytes(plain.AsSpan(0, 4), name.Length);
        name.CopyTo(plain, 4);
        content.CopyTo(plain, 4 + name.Length);
        return MasterKey.Seal(keys.ForWriting(patientId), plain, attachmentId);
    }

    /// <summary>The name and bytes, or null when the patient's key is gone (erased).</summary>
    public static (string Name, byte[] Content)? Open(PatientKeys keys, ConversationAttachment attachment)
    {
        if (keys.ForReading(attachment.PatientId) is not { } key)
        {
            return null;
        }

        var plain = MasterKey.Open(key, attachment.Sealed, attachment.Id);
        var length = BitConverter.ToInt32(plain, 0);
        return (Encoding.UTF8.GetString(plain, 4, length), plain[(4 + length)..]);
    }

    /// <summary>A name safe to offer for download: letters, digits, dots, dashes and underscores.</summary>
    public static string SafeName(string? name)
    {
        var safe = new string(Path.GetFileName(name ?? "").Select(c => char.IsLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_').ToArray()).Trim('.');
        return safe.Length is > 0 and <= 100 ? safe : "attachment";
    }
}

public sealed record AttachmentView(Guid AttachmentId, string ContentType, int Size);

/// <summary>
/// A member attaches a file (at most 5 MB; PDF, PNG or JPEG, by its bytes; no active content), then sends a message that
/// names it; members download it. A clinician's download is written to the patient's access log.
/// </summary>
public static class AttachmentEndpoints
{
    [WolverinePost("/api/conversations/{patientId}/attachments"), Authorize(Roles = $"{ClinicRoles.Patient},{ClinicRoles.Therapist},{ClinicRoles.Admin}")]
    [ProducesResponseType<AttachmentView>(StatusCodes.Status201Created)]
    public static async Task<IResult> Post(
        Guid patientId, HttpRequest request, ClaimsPrincipal user, IDocumentStore store, ConversationMembership membership, PatientKeys keys, TimeProvider time,
        CancellationToken cancellation)
    {
        var actor = Actor.From(user);
        if ((await membership.CheckAsync(actor, patientId, store, cancellation)).Refused is { } refused)
        {
            return Results.Problem(refused);
        }

        if (request.ContentLength > AttachmentRules.MaximumBytes + 64 * 1024)
        {
            return Results.Problem(Attachment(StatusCodes.Status413PayloadTooLarge, "too-large", $"An attachment is at most {AttachmentRules.MaximumBytes / 1024 / 1024} MB."));
        }

        if (!request.HasFormContentType || (await request.ReadFormAsync(cancellation)).Files.GetFile("file") is not { } file)
        {
            return Results.Problem(Attachment(StatusCodes.Status400BadRequest, "no-file", "Send the file as multipart/form-data in a field named 'file'."));
        }

        if (file.Length is 0 or > AttachmentRules.MaximumBytes)
        {
            return Results.Problem(Attachment(StatusCodes.Status413PayloadTooLarge, "too-large", $"An attachment is 1 byte to {AttachmentRules.MaximumBytes / 1024 / 1024} MB."));
        }

        var content = new byte[file.Length];
        await using (var stream = file.OpenReadStream())
        {
            await stream.ReadExactlyAsync(content, cancellation);
        }

        var (type, refusal) = AttachmentRules.Check(content, file.ContentType);
        if (refusal is not null)
        {
            return Results.Problem(Attachment(StatusCodes.Status415UnsupportedMediaType, "unsupported-file", refusal));
        }

        var id = Guid.CreateVersion7();
        await using var session = store.LightweightSession();
        session.Store(new ConversationAttachment
        {
            Id = id, PatientId = patientId, UploadedBy = actor.UserId!.Value, ContentType = type!, Size = content.Length,
            Sealed = AttachmentRules.Seal(keys, patientId, id, AttachmentRules.SafeName(file.FileName), content), UploadedAt = time.GetUtcNow(),
        });
        await session.SaveChangesAsync(cancellation);
        return Results.Created($"/api/conversations/{patientId}/attachments/{id}", new AttachmentView(id, type!, content.Length));
    }

    [WolverineGet("/api/conversations/{patientId}/attachments/{attachmentId}"), Authorize(Roles = $"{ClinicRoles.Patient},{ClinicRoles.Therapist},{ClinicRoles.Admin}")]
    [ProducesResponseType<byte[]>(StatusCodes.Status200OK, "application/octet-stream")]
    public static async Task<IResult> Get(
        Guid patientId, Guid attachmentId, HttpContext http, IQuerySession session, ConversationMembership membership, PatientKeys keys, AccessLog accessLog,
        CancellationToken cancellation)
    {
        var (role, purpose, refused) = await membership.CheckAsync(Actor.From(http.User), patientId, session, cancellation);
        if (refused is not null)
        {
            return Results.Problem(refused);
        }

        if (await session.LoadAsync<ConversationAttachment>(attachmentId, cancellation) is not { } attachment || attachment.PatientId != patientId)
        {
            return Results.Problem(Problems.NotFound("attachment"));
        }

        // A file that only retracted messages carried is withdrawn with them (it stays in the audit trail).
        var events = await session.Events.FetchStreamAsync(Conversation.StreamId(patientId), token: cancellation);
        var carriers = events.Select(e => e.Data).OfType<MessageSent>().Where(m => m.Attachments?.Contains(attachmentId) == true).Select(m => m.MessageId).ToHashSet();
        var retracted = events.Select(e => e.Data).OfType<MessageRetracted>().Select(r => r.MessageId).ToHashSet();
        if (carriers.Count > 0 && carriers.IsSubsetOf(retracted))
        {
            return Results.Problem(Attachment(StatusCodes.Status410Gone, "retracted", "The message that carried this file was retracted."));
        }

        await accessLog.RecordAsync(http, new PatientRead(patientId, purpose, null, [(RecordTypes.Conversation, Conversation.StreamId(patientId))]), cancellation);
        if (AttachmentRules.Open(keys, attachment) is not { } opened)
        {
            return Results.Problem(Attachment(StatusCodes.Status410Gone, "erased", "This patient's personal data was erased."));
        }

        // Offered for download, never rendered in the clinic's own pages.
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        return Results.File(opened.Content, attachment.ContentType, opened.Name);
    }

    private static ProblemDetails Attachment(int status, string rule, string detail) => new()
    {
        Status = status, Type = Problems.TypeBase + rule, Title = "The attachment was not accepted", Detail = detail,
    };
}

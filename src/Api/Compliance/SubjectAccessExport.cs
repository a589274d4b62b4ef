using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using EventSourcedClinic.Api.Clinical.SessionNotes;
using EventSourcedClinic.Domain.Clinical.SessionNotes;
using EventSourcedClinic.Domain.Compliance;
using Microsoft.AspNetCore.Identity;

namespace EventSourcedClinic.Api.Compliance;

public sealed record ExportedFile(string Path, string Sha256, int Events);

public sealed record ExportManifest(
    string Format, Guid PatientId, DateTimeOffset GeneratedAt, string GeneratedBy, string Purpose, ExportedFile[] Files);

/// <summary>The sign-in account, as the identity store holds it.</summary>
public sealed record ExportedAccount(Guid Id, string? Email, string DisplayName, string Role, bool EmailConfirmed, DateTimeOffset? LockoutEnd);

/// <summary>
/// A subject access request answered: everything held about a patient as a zip of JSON files. Every event of every
/// stream of theirs, decrypted, with its metadata; their access log; their sign-in account; and a manifest with a
/// SHA-256 of each file. The export is written to the access log (purpose "export") before the archive is returned.
/// </summary>
public static class SubjectAccessExport
{
    public const string Format = "eventsourcedclinic-subject-access/1";
    public const string ContentType = "application/zip";

    [WolverineGet("/api/compliance/patients/{patientId}/export"), Authorize(Roles = ClinicRoles.Compliance)]
    [ProducesResponseType<byte[]>(StatusCodes.Status200OK, ContentType)]
    public static Task<IResult> ForCompliance(
        HttpContext http, Guid patientId, IQuerySession session, PatientStreamRegistry registry, AccessLog accessLog, UserManager<ClinicUser> users, TimeProvider time,
        CancellationToken cancellation) =>
        ExportAsync(http, patientId, byPatient: false, session, registry, accessLog, users, time, cancellation);

    [WolverineGet("/api/patients/me/export"), Authorize(Roles = ClinicRoles.Patient)]
    [ProducesResponseType<byte[]>(StatusCodes.Status200OK, ContentType)]
    public static Task<IResult> ForPatient(
        HttpContext http, IQuerySession session, PatientStreamRegistry registry, AccessLog accessLog, UserManager<ClinicUser> users, TimeProvider time, CancellationToken cancellation) =>
        ExportAsync(http, Actor.From(http.User).UserId!.Value, byPatient: true, session, registry, accessLog, users, time, cancellation);

    private static async Task<IResult> ExportAsync(
        HttpContext http, Guid patientId, bool byPatient, IQuerySession session, PatientStreamRegistry registry, AccessLog accessLog, UserManager<ClinicUser> users, TimeProvider time,
        CancellationToken cancellation)
    {
        var streams = await registry.FindAsync(session, patientId, cancellation);
        // A patient's own export holds their session notes as released to them, not the clinician's drafts; the data
        // protection officer's export holds every stream, to review before it is sent.
        var releasedNotes = byPatient
            ? (await session.Query<SessionNote>().Where(n => n.PatientId == patientId).ToListAsync(cancellation)).Where(SessionNoteViews.PatientMaySee).ToArray()
            : [];
        if (byPatient)
        {
            streams = streams.Where(s => s.Type != RecordTypes.SessionNote).Concat(releasedNotes.Select(n => (RecordTypes.SessionNote, n.Id))).ToArray();
        }

        if (!streams.Any(s => s.Type == RecordTypes.Patient))
        {
            return Results.Problem(Problems.NotFound("patient"));
        }

        // Logged first, so that the export's own access is in the access log it contains.
        await accessLog.RecordAsync(http, new PatientRead(patientId, AccessPurpose.Export, null, streams), cancellation);
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true };
        ClinicJson.Configure(json);

        var archive = new MemoryStream();
        var files = new List<ExportedFile>();
        using (var zip = new ZipArchive(archive, ZipArchiveMode.Create, leaveOpen: true))
        {
            void Add(string path, object content, int events)
            {
                var bytes = JsonSerializer.SerializeToUtf8Bytes(content, json);
                using (var entry = zip.CreateEntry(path, CompressionLevel.Optimal).Open())
                {
                    entry.Write(bytes);
                }

                files.Add(new ExportedFile(path, Convert.ToHexStringLower(SHA256.HashData(bytes)), events));
            }

            foreach (var (type, streamId) in streams.Where(s => !byPatient || s.Type != RecordTypes.SessionNote))
            {
                var events = await session.Events.FetchStreamAsync(streamId, token: cancellation);
                Add($"streams/{type}/{streamId}.json", events.Select(e => AuditTrailEntry.From(e, type)).ToArray(), events.Count);
            }

            if (byPatient)
            {
                Add("session-notes.json", releasedNotes, 0);
            }

            // Receipts, as the patient is given them (the payment events themselves are under streams/Payment).
            Add("receipts.json", await Payments.ReceiptEndpoint.ForPatientAsync(session, patientId, cancellation), 0);

            var accessLogStream = await session.Events.FetchStreamAsync(RecordAccessed.AccessLogStreamId(patientId), token: cancellation);
            Add("access-log.json", accessLogStream.Select(e => e.Data).OfType<RecordAccessed>().ToArray(), accessLogStream.Count);
            if (await users.FindByIdAsync(patientId.ToString()) is { } user)
            {
                Add("account.json", new ExportedAccount(user.Id, user.Email, user.DisplayName, user.Role, user.EmailConfirmed, user.LockoutEnd), 0);
            }

            var actor = Actor.From(http.User);
            var manifest = new ExportManifest(Format, patientId, time.GetUtcNow(), actor.Id, "subject access request", files.ToArray());
            using var written = zip.CreateEntry("manifest.json").Open();
            JsonSerializer.Serialize(written, manifest, json);
        }

        archive.Position = 0;
        return Results.File(archive, ContentType, $"subject-access-{patientId}.zip");
    }
}

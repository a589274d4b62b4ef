using EventSourcedClinic.Api.Scheduling;
using EventSourcedClinic.Api.Scheduling.Booking;
using EventSourcedClinic.Domain.Clinical.Consent;
using EventSourcedClinic.Domain.Scheduling.Booking;
using EventSourcedClinic.Domain.Video;
using EventSourcedClinic.Integrations.Video;
using Microsoft.Extensions.Options;
using Wolverine;

namespace EventSourcedClinic.Api.Video;

// Who was actually in a session's room, as its provider tells it, and what that means for the session (ADR 0016):
// Janus is looked at during the window; Twilio calls back. Both there once starts the session; the window closing
// completes it, or records who did not come.

/// <summary>Look at who is in a session's room (Janus), again and again until its window closes.</summary>
public sealed record CheckVideoPresence(Guid AppointmentId);

/// <summary>Close a session's room once its join window has passed, and settle what the room says of the session.</summary>
public sealed record CloseVideoRoom(Guid AppointmentId);

internal static class VideoPresence
{
    /// <summary>
    /// The room's first event (a wait, a grant or an admission): the room is closed when the window has passed (a
    /// durable scheduled message), and who is in it is looked at meanwhile.
    /// </summary>
    public static async Task WatchAsync(IMessageContext bus, Written<VideoSession> written, Guid appointmentId, TimeSpan untilClosed, VideoSettings settings)
    {
        if (written is { Before: null, Refused: null, Events.Count: > 0 })
        {
            await bus.ScheduleAsync(new CloseVideoRoom(appointmentId), untilClosed);
            await bus.ScheduleAsync(new CheckVideoPresence(appointmentId), TimeSpan.FromSeconds(settings.PresenceCheckSeconds));
        }
    }

    /// <summary>
    /// Records what the provider reports on the room's stream (held locked, so reports that cross queue behind each
    /// other), and starts the session the first time both have been there (unless the caller settles the session
    /// itself in the same transaction: one decision per stream per transaction).
    /// </summary>
    public static async Task<VideoSession?> RecordAsync(
        IDocumentSession session, Appointment appointment, Func<VideoSession?, Decision> observe, CancellationToken cancellation, IVideoProvider? provider = null,
        bool startSession = true)
    {
        var stream = await session.ForExclusiveWritingAsync<VideoSession>(VideoSession.StreamId(appointment.Id), cancellation);
        var written = stream.Append(observe(stream.Aggregate));
        var room = Fold<VideoSession>.All(written.Events, stream.Aggregate);
        if (startSession && written.Events.OfType<ParticipantJoined>().Any() && room is not null)
        {
            await session.AppendAsync<Appointment>(appointment.Id, a => a is null ? Decision.Accept() : VideoAttendance.StartIfBothCame(a, room), cancellation);
        }

        // A recording stopped on record (consent withdrawn, the room closing) stops at the provider before that is committed.
        if (written.Events.OfType<RecordingStopped>().Any() && provider is not null)
        {
            await provider.RecordAsync(VideoSession.RoomFor(appointment.Id), false, cancellation);
        }

        return room;
    }

    /// <summary>Whether the patient's consent to their sessions being recorded is in force at <paramref name="at"/>.</summary>
    public static async Task<bool> RecordingConsentAsync(IQuerySession session, Guid patientId, DateTimeOffset at, CancellationToken cancellation) =>
        (await session.LoadAsync<ConsentRecord>(ConsentRecord.StreamId(patientId), cancellation))?.InForce(ConsentScope.SessionRecording, at) == true;

    /// <summary>The session's people among the identities a provider lists (ids; anything else is no one's).</summary>
    public static Guid[] Parties(IEnumerable<string> identities) => [.. identities.Select(i => Guid.TryParse(i, out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty)];
}

public static class CheckVideoPresenceHandler
{
    public static async Task Handle(
        CheckVideoPresence message, IDocumentSession session, VideoRooms rooms, IOptions<VideoSettings> settings, IMessageContext bus, TimeProvider time,
        CancellationToken cancellation)
    {
        var appointment = await session.Events.AggregateStreamAsync<Appointment>(message.AppointmentId, token: cancellation);
        var now = time.GetUtcNow();
        if (rooms.Provider is not { } provider || appointment is null || now >= settings.Value.Window.For(appointment).Closes)
        {
            return;
        }

        // Twilio answers null: it reports by itself, nothing to look at. Janus away for a moment: look again next time
        // (a failed look must not end the looking, or the room's close would decide on a stale view).
        IReadOnlyCollection<string>? identities;
        try
        {
            identities = await provider.ParticipantsAsync(VideoSession.RoomFor(appointment.Id), cancellation);
        }
        catch (Integrations.Video.VideoUnavailableException)
        {
            await bus.ScheduleAsync(message, TimeSpan.FromSeconds(settings.Value.PresenceCheckSeconds));
            return;
        }

        if (identities is null)
        {
            return;
        }

        AuditStamp.ApplyClinic(session, bus, "video-presence");
        var consent = await VideoPresence.RecordingConsentAsync(session, appointment.PatientId, now, cancellation);
        await VideoPresence.RecordAsync(session, appointment, room => Decision.Accept(
        [
            .. SessionRecording.StopIfConsentGone(room, appointment, consent, now).Events,
            .. VideoAttendance.Observe(room, appointment, VideoPresence.Parties(identities), now).Events,
        ]), cancellation, provider);
        await bus.ScheduleAsync(message, TimeSpan.FromSeconds(settings.Value.PresenceCheckSeconds));
    }
}

public static class CloseVideoRoomHandler
{
    /// <summary>
    /// A last look at who is there, the room destroyed at the provider (retried while it is away), then on record: the
    /// room closed, and the session completed, not attended, or cancelled by the clinic when the therapist never came.
    /// </summary>
    public static async Task Handle(
        CloseVideoRoom message, IDocumentSession session, VideoRooms rooms, IOptions<BookingSettings> booking, IOptions<VideoSettings> video,
        IMessageContext bus, TimeProvider time, CancellationToken cancellation)
    {
        var appointment = await session.Events.AggregateStreamAsync<Appointment>(message.AppointmentId, token: cancellation);
        if (appointment is null)
        {
            return;
        }

        var room = VideoSession.RoomFor(message.AppointmentId);
        var now = time.GetUtcNow();
        if (now < video.Value.Window.For(appointment).Closes)
        {
            // The session was moved after the room opened: its room closes with its new window.
            await bus.ScheduleAsync(message, video.Value.Window.For(appointment).Closes - now);
            return;
        }

        AuditStamp.ApplyClinic(session, bus, "close-video-room");
        // A last look at who is there, then the room destroyed (which ends any recording), then both on record at once.
        IReadOnlyCollection<string>? identities = null;
        if (rooms.Provider is { } provider)
        {
            identities = await provider.ParticipantsAsync(room, cancellation);
            await provider.CloseAsync(room, cancellation);
        }

        var closed = await VideoPresence.RecordAsync(session, appointment, r =>
        {
            var seen = identities is null ? Decision.Accept() : VideoAttendance.Observe(r, appointment, VideoPresence.Parties(identities), now);
            return Decision.Accept([.. seen.Events, .. VideoAttendance.Close(Fold<VideoSession>.All(seen.Events, r), appointment, now).Events]);
        }, cancellation, startSession: false);
        // Without reports of who came (Twilio with no status callbacks), the room says nothing about the session.
        if (closed is null || rooms.Provider is not { ReportsPresence: true })
        {
            return;
        }

        var settled = await session.AppendAsync<Appointment>(appointment.Id,
            a => a is null ? Decision.Accept() : VideoAttendance.Settle(a, closed, CancelAppointmentEndpoint.Policy(booking), now), cancellation);
        await SessionEnded.AnnounceAsync<SessionCompleted>(bus, settled);
        await SessionEnded.AnnounceAsync<PatientDidNotAttend>(bus, settled);
        await CancelAppointmentEndpoint.AnnounceAsync(bus, settled);
    }
}

/// <summary>
/// Twilio reports who connected to and left a session's room (the room status callback the clinic gave when it made the
/// room). The X-Twilio-Signature over the callback's URL and form is checked with the account's auth token; anything
/// else is a 400 and changes nothing. A report about another room or person is acknowledged and ignored.
/// </summary>
public static class TwilioVideoStatusEndpoint
{
    [WolverinePost("/webhooks/twilio/video-status"), AllowAnonymous]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public static async Task<IResult> Post(
        HttpRequest request, IOptions<VideoSettings> settings, IDocumentSession session, IMessageContext bus, TimeProvider time, CancellationToken cancellation)
    {
        var twilio = settings.Value.Twilio;
        if (!request.HasFormContentType)
        {
            return Results.Problem(Refused("A status report is a form."));
        }

        var form = (await request.ReadFormAsync(cancellation)).ToDictionary(p => p.Key, p => p.Value.ToString());
        if (twilio is not { AuthToken.Length: > 0, StatusCallbackUrl.Length: > 0 }
            || !new Twilio.Security.RequestValidator(twilio.AuthToken).Validate(twilio.StatusCallbackUrl, form, request.Headers["X-Twilio-Signature"].ToString()))
        {
            return Results.Problem(Refused("X-Twilio-Signature must be Twilio's, over this URL and form."));
        }

        var joined = form.GetValueOrDefault("StatusCallbackEvent") switch
        {
            "participant-connected" => true,
            "participant-disconnected" => false,
            _ => (bool?)null,
        };
        var name = form.GetValueOrDefault("RoomName") ?? "";
        if (joined is null || !name.StartsWith("session-", StringComparison.Ordinal) || !Guid.TryParseExact(name["session-".Length..], "N", out var appointmentId)
            || !Guid.TryParse(form.GetValueOrDefault("ParticipantIdentity"), out var participantId))
        {
            return Results.NoContent();
        }

        var appointment = await session.Events.AggregateStreamAsync<Appointment>(appointmentId, token: cancellation);
        if (appointment is not null)
        {
            // The clinic's own clock, not Twilio's timestamp: one clock decides when a session started.
            AuditStamp.ApplyClinic(session, bus, "twilio-video-status");
            var now = time.GetUtcNow();
            await VideoPresence.RecordAsync(session, appointment, room => VideoAttendance.Report(room, appointment, participantId, joined.Value, now), cancellation);
        }

        return Results.NoContent();
    }

    private static ProblemDetails Refused(string detail) => new()
    {
        Status = StatusCodes.Status400BadRequest, Type = Problems.TypeBase + "invalid-signature", Title = "The report's signature does not verify", Detail = detail,
    };
}

/// <param name="Record">true to start recording the room, false to stop.</param>
public sealed record RecordingRequest(bool Record);

/// <summary>
/// The session's therapist starts or stops recording its room: only while the room is open, only while the patient's
/// consent to recording is in force at that moment (409 otherwise), only where the clinic offers recording at all
/// (none does by default). Each start and stop is recorded; withdrawing consent stops a recording under way.
/// </summary>
public static class SessionRecordingEndpoint
{
    [WolverinePost("/api/appointments/{appointmentId}/video-room/recording"), Authorize(Roles = ClinicRoles.Therapist)]
    [ProducesResponseType<RecordingView>(StatusCodes.Status200OK)]
    public static async Task<IResult> Post(
        RecordingRequest command, Guid appointmentId, HttpContext http, ClaimsPrincipal user, IDocumentSession session, VideoRooms rooms,
        IOptions<VideoSettings> settings, TimeProvider time, CancellationToken cancellation)
    {
        var appointment = await session.Events.AggregateStreamAsync<Appointment>(appointmentId, token: cancellation);
        if (appointment is null)
        {
            return Results.Problem(Problems.NotFound("appointment"));
        }

        var now = time.GetUtcNow();
        var therapistId = Actor.From(user).UserId!.Value;
        var consent = await VideoPresence.RecordingConsentAsync(session, appointment.PatientId, now, cancellation);
        AuditStamp.Apply(session, http);
        var stream = await session.ForExclusiveWritingAsync<VideoSession>(VideoSession.StreamId(appointmentId), cancellation);
        var written = stream.Append(command.Record
            ? SessionRecording.Start(stream.Aggregate, appointment, therapistId, settings.Value.Window, consent, rooms.Provider?.RecordingOffered == true, now)
            : SessionRecording.Stop(stream.Aggregate, appointment, therapistId, now));
        if (written.Refused is { } refused)
        {
            return Results.Problem(refused);
        }

        // The provider first: if it will not, nothing is recorded as started (503, try again).
        if (written.Events.Count > 0)
        {
            await rooms.Provider!.RecordAsync(VideoSession.RoomFor(appointmentId), command.Record, cancellation);
        }

        return Results.Ok(new RecordingView(Fold<VideoSession>.All(written.Events, stream.Aggregate)?.Recording ?? false));
    }
}

public sealed record RecordingView(bool Recording);

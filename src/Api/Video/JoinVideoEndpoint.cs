using EventSourcedClinic.Domain.Scheduling.Booking;
using EventSourcedClinic.Domain.Video;
using EventSourcedClinic.Integrations.Video;
using Microsoft.Extensions.Options;
using Wolverine;

namespace EventSourcedClinic.Api.Video;

/// <summary>
/// The session's patient or therapist asks to join its video room: inside the window (by default from 10 minutes
/// before the start to 15 after the end), for a confirmed or started session, they get a token for that room alone that
/// expires when the window closes. The patient waits (202, ask again) until the therapist admits them. Anyone else is
/// told there is no such appointment. Each grant, wait and admission is recorded.
/// </summary>
public static class JoinVideoEndpoint
{
    [WolverinePost("/api/appointments/{appointmentId}/video-access"), Authorize(Roles = $"{ClinicRoles.Patient},{ClinicRoles.Therapist}")]
    [ProducesResponseType<VideoAccess>(StatusCodes.Status200OK)]
    [ProducesResponseType<VideoRoomView>(StatusCodes.Status202Accepted)]
    public static async Task<IResult> Post(
        Guid appointmentId, HttpContext http, ClaimsPrincipal user, IDocumentSession session, VideoRooms rooms, IOptions<VideoSettings> settings,
        IMessageContext bus, TimeProvider time, CancellationToken cancellation)
    {
        var participantId = Actor.From(user).UserId!.Value;
        var appointment = await session.Events.AggregateStreamAsync<Appointment>(appointmentId, token: cancellation);
        if (appointment is null)
        {
            return Results.Problem(Problems.NotFound("appointment"));
        }

        var now = time.GetUtcNow();
        var window = settings.Value.Window;
        if (JoinVideo.Check(appointment, participantId, window, now, out _) is { } refused)
        {
            return Results.Problem(Problems.From(refused));
        }

        if (rooms.Provider is not { } provider)
        {
            http.Response.Headers.RetryAfter = "300";
            return Results.Problem(new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable, Type = Problems.TypeBase + "video-unavailable", Title = "Video is not available",
                Detail = "This clinic has no video provider configured (Video:Provider).",
            });
        }

        AuditStamp.Apply(session, http);
        // The room's stream is locked while deciding: the two people joining at once, or a look at the room, queue.
        var stream = await session.ForExclusiveWritingAsync<VideoSession>(VideoSession.StreamId(appointmentId), cancellation);
        var written = stream.Append(JoinVideo.Decide(stream.Aggregate, appointment, participantId, window, provider.Name, now));
        if (written.Refused is { } problem)
        {
            return Results.Problem(problem);
        }

        await VideoPresence.WatchAsync(bus, written, appointmentId, window.For(appointment).Closes - now, settings.Value);
        var room = Fold<VideoSession>.All(written.Events, written.Before);
        if (!written.Events.OfType<VideoJoinGranted>().Any())
        {
            // In the waiting room: the therapist has not let them in yet.
            http.Response.Headers.RetryAfter = "5";
            return Results.Json(VideoRoomView.From(room), statusCode: StatusCodes.Status202Accepted);
        }

        var (opens, closes) = window.For(appointment);
        var access = await provider.GrantAsync(VideoSession.RoomFor(appointmentId), participantId.ToString(), opens, closes, cancellation);

        return Results.Ok(access);
    }
}

/// <summary>
/// The room as its two people see it: whether the patient is waiting, since when, and whether they have been let in;
/// when it opens and closes (the join window).
/// </summary>
public sealed record VideoRoomView(string Room, bool PatientWaiting, DateTimeOffset? WaitingSince, bool PatientAdmitted)
{
    public DateTimeOffset? Opens { get; init; }

    public DateTimeOffset? Closes { get; init; }

    public static VideoRoomView From(VideoSession? session) =>
        new(session?.Room ?? "", session?.WaitingSince is not null, session?.WaitingSince, session?.PatientAdmitted ?? false);
}

/// <summary>The therapist sees who is waiting, and lets the patient in (who is told so).</summary>
public static class VideoRoomEndpoints
{
    [WolverineGet("/api/appointments/{appointmentId}/video-room"), Authorize(Roles = $"{ClinicRoles.Patient},{ClinicRoles.Therapist}")]
    [ProducesResponseType<VideoRoomView>(StatusCodes.Status200OK)]
    public static async Task<IResult> Get(
        Guid appointmentId, ClaimsPrincipal user, IQuerySession session, IOptions<VideoSettings> settings, CancellationToken cancellation)
    {
        var appointment = await session.Events.AggregateStreamAsync<Appointment>(appointmentId, token: cancellation);
        var caller = Actor.From(user).UserId;
        if (appointment is null || (caller != appointment.PatientId && caller != appointment.TherapistId))
        {
            return Results.Problem(Problems.NotFound("appointment"));
        }

        var room = await session.LoadAsync<VideoSession>(VideoSession.StreamId(appointmentId), cancellation);
        var (opens, closes) = settings.Value.Window.For(appointment);
        return Results.Ok((room is null ? new VideoRoomView(VideoSession.RoomFor(appointmentId), false, null, false) : VideoRoomView.From(room))
            with { Opens = opens, Closes = closes });
    }

    [WolverinePost("/api/appointments/{appointmentId}/video-room/admission"), Authorize(Roles = ClinicRoles.Therapist)]
    [ProducesResponseType<VideoRoomView>(StatusCodes.Status200OK)]
    public static async Task<IResult> PostAdmission(
        Guid appointmentId, HttpContext http, ClaimsPrincipal user, IDocumentSession session, IOptions<VideoSettings> settings, IMessageContext bus,
        TimeProvider time, CancellationToken cancellation)
    {
        var appointment = await session.Events.AggregateStreamAsync<Appointment>(appointmentId, token: cancellation);
        if (appointment is null)
        {
            return Results.Problem(Problems.NotFound("appointment"));
        }

        AuditStamp.Apply(session, http);
        var stream = await session.ForExclusiveWritingAsync<VideoSession>(VideoSession.StreamId(appointmentId), cancellation);
        var written = stream.Append(AdmitPatient.Decide(stream.Aggregate, appointment, Actor.From(user).UserId!.Value, settings.Value.Window, time.GetUtcNow()));
        if (written.Refused is { } refused)
        {
            return Results.Problem(refused);
        }

        await VideoPresence.WatchAsync(bus, written, appointmentId, settings.Value.Window.For(appointment).Closes - time.GetUtcNow(), settings.Value);
        if (written.Events.OfType<PatientAdmitted>().Any())
        {
            await bus.PublishAsync(new Notifications.Notification(appointment.PatientId, "admitted", "Your therapist has let you in",
                "Your therapist is ready: join your session now.") { Urgent = true });
        }

        return Results.Ok(VideoRoomView.From(Fold<VideoSession>.All(written.Events, written.Before)));
    }
}

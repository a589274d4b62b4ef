using EventSourcedClinic.Domain.Scheduling.Booking;
using EventSourcedClinic.Domain.Video;
using EventSourcedClinic.Integrations.Video;
using Microsoft.Extensions.Options;
using Wolverine;

namespace EventSourcedClinic.Api.Video;

/// <summary>
/// The session's patient or therapist asks to join its video room: inside the window (by default from 10 minutes
/// before the start to 15 after the end), for a confirmed or started session, they get a token for that room alone that
/// expires when the window closes. Anyone else is told there is no such appointment. Each grant is recorded.
/// </summary>
public static class JoinVideoEndpoint
{
    [WolverinePost("/api/appointments/{appointmentId}/video-access"), Authorize(Roles = $"{ClinicRoles.Patient},{ClinicRoles.Therapist}")]
    [ProducesResponseType<VideoAccess>(StatusCodes.Status200OK)]
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
        var written = await session.AppendAsync<VideoSession>(VideoSession.StreamId(appointmentId),
            video => JoinVideo.Decide(video, appointment, participantId, window, provider.Name, now), cancellation);
        if (written.Refused is { } problem)
        {
            return Results.Problem(problem);
        }

        var (opens, closes) = window.For(appointment);
        var access = await provider.GrantAsync(VideoSession.RoomFor(appointmentId), participantId.ToString(), opens, closes, cancellation);
        if (written.Before is null)
        {
            // The first grant: the room is closed when the window has passed (a durable scheduled message).
            await bus.ScheduleAsync(new CloseVideoRoom(appointmentId), closes - now);
        }

        return Results.Ok(access);
    }
}

/// <summary>Close a session's room once its join window has passed.</summary>
public sealed record CloseVideoRoom(Guid AppointmentId);

public static class CloseVideoRoomHandler
{
    public static Task Handle(CloseVideoRoom message, VideoRooms rooms, CancellationToken cancellation) =>
        rooms.Provider?.CloseAsync(VideoSession.RoomFor(message.AppointmentId), cancellation) ?? Task.CompletedTask;
}

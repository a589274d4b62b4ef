using EventSourcedClinic.Domain.Scheduling.Booking;

namespace EventSourcedClinic.Domain.Video;

public enum VideoRole
{
    Patient,
    Therapist,
}

/// <summary>When a session's video room may be joined: from a little before its start to a little after its end.</summary>
public sealed record JoinWindow(TimeSpan Before, TimeSpan After)
{
    public (DateTimeOffset Opens, DateTimeOffset Closes) For(Appointment appointment) => (appointment.Start - Before, appointment.End + After);
}

/// <summary>
/// A session's video room: who was let in, when. One stream per appointment (ADR 0016); the provider's own reports of
/// joins and leaves follow.
/// </summary>
public sealed record VideoSession(Guid Id, Guid AppointmentId, string Room, VideoJoinGranted[] Grants)
{
    private static readonly Guid Namespace = new("b7d3e9f1-4c62-4a8b-9e05-6f1a2c3d4e5b");

    public static Guid StreamId(Guid appointmentId) => NameBasedGuid.Create(Namespace, $"video/{appointmentId}");

    /// <summary>The room's name at the provider: the appointment's, and nothing about the people in it.</summary>
    public static string RoomFor(Guid appointmentId) => $"session-{appointmentId:N}";

    public static VideoSession From(VideoJoinGranted e) => new(e.VideoSessionId, e.AppointmentId, e.Room, [e]);

    public VideoSession When(VideoJoinGranted e) => this with { Grants = [.. Grants, e] };
}

/// <summary>A participant was given access to the room, through which provider, until when.</summary>
public sealed record VideoJoinGranted(
    Guid VideoSessionId, Guid AppointmentId, string Room, Guid ParticipantId, VideoRole Role, string Provider, DateTimeOffset GrantedAt, DateTimeOffset ExpiresAt);

public static class JoinVideo
{
    /// <summary>
    /// Only the session's patient and therapist, only a session that is on (confirmed or started), only inside the
    /// window. Anyone else is told there is no such session.
    /// </summary>
    public static Rejection? Check(Appointment appointment, Guid participantId, JoinWindow window, DateTimeOffset now, out VideoRole role)
    {
        role = appointment.TherapistId == participantId ? VideoRole.Therapist : VideoRole.Patient;
        if (participantId != appointment.PatientId && participantId != appointment.TherapistId)
        {
            return Rejection.NotFound("not-found", "No appointment with that id.");
        }

        if (appointment.Status is not (AppointmentStatus.Confirmed or AppointmentStatus.Started))
        {
            return Rejection.Conflict("not-on", $"Only a confirmed session has a video room; this one is {appointment.Status}.");
        }

        var (opens, closes) = window.For(appointment);
        return now < opens ? Rejection.Unprocessable("too-early", $"The room opens {window.Before.TotalMinutes:0} minutes before the session starts.")
            : now > closes ? Rejection.Conflict("room-closed", "The room has closed.")
            : null;
    }

    public static Decision Decide(VideoSession? session, Appointment appointment, Guid participantId, JoinWindow window, string provider, DateTimeOffset now) =>
        Check(appointment, participantId, window, now, out var role) is { } refused
            ? refused
            : Decision.Accept(new VideoJoinGranted(VideoSession.StreamId(appointment.Id), appointment.Id, VideoSession.RoomFor(appointment.Id), participantId, role,
                provider, now, window.For(appointment).Closes));
}

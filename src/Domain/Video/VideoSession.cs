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
/// A session's video room: who was let in, when, and who was actually there, as the provider reports it. One stream per
/// appointment (ADR 0016).
/// </summary>
public sealed record VideoSession(Guid Id, Guid AppointmentId, string Room, VideoJoinGranted[] Grants)
{
    /// <summary>Since when the patient has been in the waiting room, not yet admitted.</summary>
    public DateTimeOffset? WaitingSince { get; init; }

    /// <summary>The therapist has let the patient in (before or after they arrived).</summary>
    public bool PatientAdmitted { get; init; }

    /// <summary>Who is in the room now, by the provider's last report.</summary>
    public Guid[] Present { get; init; } = [];

    /// <summary>When the patient first came to the waiting room; they came even if never let in.</summary>
    public DateTimeOffset? PatientFirstWaited { get; init; }

    /// <summary>When the patient first joined (the media, not the grant); null if they never have.</summary>
    public DateTimeOffset? PatientFirstJoined { get; init; }

    public DateTimeOffset? TherapistFirstJoined { get; init; }

    /// <summary>When the last person left the room.</summary>
    public DateTimeOffset? LastLeft { get; init; }

    /// <summary>The window has passed and the room is gone.</summary>
    public bool Closed { get; init; }

    /// <summary>The provider is recording the room now (only ever with the patient's consent in force).</summary>
    public bool Recording { get; init; }

    private static readonly Guid Namespace = new("b7d3e9f1-4c62-4a8b-9e05-6f1a2c3d4e5b");

    public static Guid StreamId(Guid appointmentId) => NameBasedGuid.Create(Namespace, $"video/{appointmentId}");

    /// <summary>The room's name at the provider: the appointment's, and nothing about the people in it.</summary>
    public static string RoomFor(Guid appointmentId) => $"session-{appointmentId:N}";

    public static VideoSession From(VideoJoinGranted e) => new(e.VideoSessionId, e.AppointmentId, e.Room, [e]);

    public static VideoSession From(PatientWaiting e) => new(e.VideoSessionId, e.AppointmentId, RoomFor(e.AppointmentId), []) { WaitingSince = e.WaitingSince, PatientFirstWaited = e.WaitingSince };

    public static VideoSession From(PatientAdmitted e) => new(e.VideoSessionId, e.AppointmentId, RoomFor(e.AppointmentId), []) { PatientAdmitted = true };

    public static VideoSession From(ParticipantJoined e) => new VideoSession(e.VideoSessionId, e.AppointmentId, RoomFor(e.AppointmentId), []).When(e);

    public static VideoSession From(VideoRoomClosed e) => new(e.VideoSessionId, e.AppointmentId, RoomFor(e.AppointmentId), []) { Closed = true };

    public static VideoSession From(RecordingStarted e) => new(e.VideoSessionId, e.AppointmentId, RoomFor(e.AppointmentId), []) { Recording = true };

    public VideoSession When(ParticipantJoined e) => this with
    {
        Present = [.. Present.Where(p => p != e.ParticipantId), e.ParticipantId],
        PatientFirstJoined = e.Role == VideoRole.Patient ? PatientFirstJoined ?? e.At : PatientFirstJoined,
        TherapistFirstJoined = e.Role == VideoRole.Therapist ? TherapistFirstJoined ?? e.At : TherapistFirstJoined,
    };

    public VideoSession When(ParticipantLeft e)
    {
        var present = Present.Where(p => p != e.ParticipantId).ToArray();
        return this with { Present = present, LastLeft = present.Length == 0 ? e.At : LastLeft };
    }

    public VideoSession When(VideoRoomClosed e) => this with { Closed = true, Present = [], Recording = false };

    public VideoSession When(RecordingStarted e) => this with { Recording = true };

    public VideoSession When(RecordingStopped e) => this with { Recording = false };

    public VideoSession When(VideoJoinGranted e) => this with { Grants = [.. Grants, e] };

    public VideoSession When(PatientWaiting e) => this with { WaitingSince = e.WaitingSince, PatientFirstWaited = PatientFirstWaited ?? e.WaitingSince };

    public VideoSession When(PatientAdmitted e) => this with { PatientAdmitted = true, WaitingSince = null };
}

/// <summary>The patient arrived before the therapist let them in: they wait.</summary>
public sealed record PatientWaiting(Guid VideoSessionId, Guid AppointmentId, Guid PatientId, DateTimeOffset WaitingSince);

/// <summary>The therapist lets the patient into the room.</summary>
public sealed record PatientAdmitted(Guid VideoSessionId, Guid AppointmentId, Guid AdmittedBy, DateTimeOffset AdmittedAt);

/// <summary>A participant was given access to the room, through which provider, until when.</summary>
public sealed record VideoJoinGranted(
    Guid VideoSessionId, Guid AppointmentId, string Room, Guid ParticipantId, VideoRole Role, string Provider, DateTimeOffset GrantedAt, DateTimeOffset ExpiresAt);

/// <summary>The provider reports that a participant's media reached the room (not merely that they were given access).</summary>
public sealed record ParticipantJoined(Guid VideoSessionId, Guid AppointmentId, Guid ParticipantId, VideoRole Role, DateTimeOffset At);

/// <summary>The provider reports that a participant left the room (or was gone at the last look).</summary>
public sealed record ParticipantLeft(Guid VideoSessionId, Guid AppointmentId, Guid ParticipantId, VideoRole Role, DateTimeOffset At);

/// <summary>The therapist started recording the room, with the patient's consent to recording in force at that moment.</summary>
public sealed record RecordingStarted(Guid VideoSessionId, Guid AppointmentId, Guid StartedBy, DateTimeOffset At);

/// <param name="Reason">"therapist" (they stopped it), "consent-withdrawn" (the patient withdrew consent meanwhile) or "room-closed".</param>
public sealed record RecordingStopped(Guid VideoSessionId, Guid AppointmentId, string Reason, DateTimeOffset At);

/// <summary>The join window has passed: the room is closed, everyone in it is taken to have left.</summary>
public sealed record VideoRoomClosed(Guid VideoSessionId, Guid AppointmentId, DateTimeOffset At);

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

    /// <summary>
    /// The therapist is let in; the patient too once admitted, and until then waits (recorded once): no grant, so no access.
    /// </summary>
    public static Decision Decide(VideoSession? session, Appointment appointment, Guid participantId, JoinWindow window, string provider, DateTimeOffset now)
    {
        if (Check(appointment, participantId, window, now, out var role) is { } refused)
        {
            return refused;
        }

        if (role == VideoRole.Patient && session?.PatientAdmitted != true)
        {
            return session?.WaitingSince is not null
                ? Decision.Accept()
                : Decision.Accept(new PatientWaiting(VideoSession.StreamId(appointment.Id), appointment.Id, participantId, now));
        }

        return Decision.Accept(new VideoJoinGranted(VideoSession.StreamId(appointment.Id), appointment.Id, VideoSession.RoomFor(appointment.Id), participantId, role,
            provider, now, window.For(appointment).Closes));
    }
}

public static class AdmitPatient
{
    /// <summary>Only the session's therapist admits its patient, inside the window, once.</summary>
    public static Decision Decide(VideoSession? session, Appointment appointment, Guid therapistId, JoinWindow window, DateTimeOffset now)
    {
        if (appointment.TherapistId != therapistId)
        {
            return Rejection.NotFound("not-found", "No appointment with that id.");
        }

        if (JoinVideo.Check(appointment, therapistId, window, now, out _) is { } refused)
        {
            return refused;
        }

        return session?.PatientAdmitted == true
            ? Decision.Accept()
            : Decision.Accept(new PatientAdmitted(VideoSession.StreamId(appointment.Id), appointment.Id, therapistId, now));
    }
}

using EventSourcedClinic.Domain.Scheduling.Booking;

namespace EventSourcedClinic.Domain.Video;

/// <summary>
/// Recording a session's room (ADR 0016): only its therapist starts or stops it, only while the room is open, and only
/// while the patient's consent to recording is in force; when that consent is withdrawn, the recording stops.
/// </summary>
public static class SessionRecording
{
    public static Decision Start(
        VideoSession? session, Appointment appointment, Guid therapistId, JoinWindow window, bool consentInForce, bool recordingOffered, DateTimeOffset now)
    {
        if (appointment.TherapistId != therapistId)
        {
            return Rejection.NotFound("not-found", "No appointment with that id.");
        }

        if (JoinVideo.Check(appointment, therapistId, window, now, out _) is { } refused)
        {
            return refused;
        }

        if (!recordingOffered)
        {
            return Rejection.Conflict("recording-off", "This clinic does not record sessions.");
        }

        if (!consentInForce)
        {
            return Rejection.Conflict("no-recording-consent", "The patient has not consented to sessions being recorded.");
        }

        return session?.Recording == true
            ? Decision.Accept()
            : Decision.Accept(new RecordingStarted(VideoSession.StreamId(appointment.Id), appointment.Id, therapistId, now));
    }

    public static Decision Stop(VideoSession? session, Appointment appointment, Guid therapistId, DateTimeOffset now) =>
        appointment.TherapistId != therapistId ? Rejection.NotFound("not-found", "No appointment with that id.")
        : session?.Recording == true ? Decision.Accept(new RecordingStopped(VideoSession.StreamId(appointment.Id), appointment.Id, "therapist", now))
        : Decision.Accept();

    /// <summary>The patient's consent is no longer in force: a recording under way stops now.</summary>
    public static Decision StopIfConsentGone(VideoSession? session, Appointment appointment, bool consentInForce, DateTimeOffset now) =>
        session?.Recording == true && !consentInForce
            ? Decision.Accept(new RecordingStopped(VideoSession.StreamId(appointment.Id), appointment.Id, "consent-withdrawn", now))
            : Decision.Accept();
}

using EventSourcedClinic.Domain.Scheduling.Booking;

namespace EventSourcedClinic.Domain.Video;

/// <summary>
/// Who was in a session's room, as its provider reports it, and what that means for the session (ADR 0016): both there
/// once starts it; the window closing completes a started session, records the patient's non-attendance when only the
/// therapist came, and cancels (refunded) when only the patient did.
/// </summary>
public static class VideoAttendance
{
    /// <summary>
    /// The provider's view of the room now (Janus, looked at): the session's people who arrived are joined, those gone
    /// have left. Anyone else the provider lists is no one of this session's and is ignored.
    /// </summary>
    public static Decision Observe(VideoSession? session, Appointment appointment, IReadOnlyCollection<Guid> present, DateTimeOffset at)
    {
        if (session?.Closed == true)
        {
            return Decision.Accept();
        }

        var streamId = VideoSession.StreamId(appointment.Id);
        var before = session?.Present ?? [];
        var parties = present.Where(p => p == appointment.PatientId || p == appointment.TherapistId).Distinct().ToArray();
        return Decision.Accept(
        [
            .. parties.Except(before).Select(p => (object)new ParticipantJoined(streamId, appointment.Id, p, RoleOf(appointment, p), at)),
            .. before.Except(parties).Select(p => (object)new ParticipantLeft(streamId, appointment.Id, p, RoleOf(appointment, p), at)),
        ]);
    }

    /// <summary>One report (Twilio's callbacks): a repeat, or a report about anyone but the session's two people, changes nothing.</summary>
    public static Decision Report(VideoSession? session, Appointment appointment, Guid participantId, bool joined, DateTimeOffset at)
    {
        var present = (session?.Present ?? []).ToHashSet();
        if (joined)
        {
            present.Add(participantId);
        }
        else
        {
            present.Remove(participantId);
        }

        return Observe(session, appointment, present, at);
    }

    /// <summary>The first time both have been in the room, a confirmed session has started (then, not at the grant).</summary>
    public static Decision StartIfBothCame(Appointment appointment, VideoSession session) =>
        appointment.Status == AppointmentStatus.Confirmed && session is { PatientFirstJoined: { } patient, TherapistFirstJoined: { } therapist }
            ? Decision.Accept(new SessionStarted(appointment.Id, patient > therapist ? patient : therapist))
            : Decision.Accept();

    /// <summary>The window has passed: whoever is still listed has left, any recording stops, and the room is closed (once).</summary>
    public static Decision Close(VideoSession? session, Appointment appointment, DateTimeOffset now) =>
        session?.Closed == true
            ? Decision.Accept()
            : Decision.Accept(
            [
                .. Observe(session, appointment, [], now).Events,
                .. session?.Recording == true ? [new RecordingStopped(VideoSession.StreamId(appointment.Id), appointment.Id, "room-closed", now)] : Array.Empty<object>(),
                new VideoRoomClosed(VideoSession.StreamId(appointment.Id), appointment.Id, now),
            ]);

    /// <summary>
    /// What the closed room means for the session. Started: completed when the last person left. Still confirmed with
    /// only the therapist there: the patient did not attend. Only the patient there (in the room, or waiting to be let
    /// in): the clinic cancels it, as a cancellation by the clinic (refunded in full). Nobody, or already settled by
    /// hand: nothing.
    /// </summary>
    public static Decision Settle(Appointment appointment, VideoSession session, CancellationPolicy policy, DateTimeOffset now)
    {
        if (appointment.Status == AppointmentStatus.Started)
        {
            return Decision.Accept(new SessionCompleted(appointment.Id, session.LastLeft ?? now));
        }

        if (appointment.Status != AppointmentStatus.Confirmed)
        {
            return Decision.Accept();
        }

        // Both came, but the start was never recorded (seen only at the last look): started and completed.
        if (StartIfBothCame(appointment, session).Events is [SessionStarted started])
        {
            return Decision.Accept(started, new SessionCompleted(appointment.Id, session.LastLeft ?? now));
        }

        return (session.PatientFirstJoined ?? session.PatientFirstWaited, session.TherapistFirstJoined) switch
        {
            (null, not null) => Decision.Accept(new PatientDidNotAttend(appointment.Id, now)),
            (not null, null) => CancelAppointment.Decide(appointment, new CancelAppointment(0, TherapistAbsent), CancelledBy.Clinic, policy, now),
            _ => Decision.Accept(),
        };
    }

    /// <summary>The reason recorded when the therapist never came to the room.</summary>
    public const string TherapistAbsent = "The therapist did not join the video session.";

    private static VideoRole RoleOf(Appointment appointment, Guid participantId) =>
        participantId == appointment.TherapistId ? VideoRole.Therapist : VideoRole.Patient;
}

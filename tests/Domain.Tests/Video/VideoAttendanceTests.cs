using EventSourcedClinic.Domain.Scheduling.Booking;
using EventSourcedClinic.Domain.Video;
using static EventSourcedClinic.Domain.Tests.Scheduling.SchedulingFixtures;

namespace EventSourcedClinic.Domain.Tests.Video;

public class VideoAttendanceTests
{
    private static readonly DateTimeOffset Booked = London(2027, 3, 1, 9);
    private static readonly DateTimeOffset Start = London(2027, 3, 3, 10);
    private static readonly CancellationPolicy Policy = new();

    private static VideoSession? Seen(VideoSession? room, Appointment appointment, DateTimeOffset at, params Guid[] present) =>
        Fold<VideoSession>.All(VideoAttendance.Observe(room, appointment, present, at).Events, room);

    [Fact]
    public void joins_and_leaves_are_what_changed_since_the_last_look_and_strangers_are_nobody()
    {
        var appointment = Confirmed(Start, Booked);
        var first = VideoAttendance.Observe(null, appointment, [appointment.TherapistId, Guid.NewGuid()], Start);
        first.Events.ShouldBe([new ParticipantJoined(VideoSession.StreamId(appointment.Id), appointment.Id, appointment.TherapistId, VideoRole.Therapist, Start)]);
        var room = Fold<VideoSession>.All(first.Events)!;
        VideoAttendance.Observe(room, appointment, [appointment.TherapistId], Start.AddMinutes(1)).Events.ShouldBeEmpty();
        VideoAttendance.Report(room, appointment, appointment.TherapistId, true, Start.AddMinutes(1)).Events.ShouldBeEmpty();

        var both = Seen(room, appointment, Start.AddMinutes(2), appointment.TherapistId, appointment.PatientId)!;
        both.Present.ShouldBe([appointment.TherapistId, appointment.PatientId]);
        var left = VideoAttendance.Report(both, appointment, appointment.TherapistId, false, Start.AddMinutes(40)).Events.ShouldHaveSingleItem()
            .ShouldBeOfType<ParticipantLeft>();
        left.Role.ShouldBe(VideoRole.Therapist);
    }

    [Fact]
    public void the_session_starts_when_the_second_person_arrives_and_only_once()
    {
        var appointment = Confirmed(Start, Booked);
        var therapistOnly = Seen(null, appointment, Start.AddMinutes(-3), appointment.TherapistId)!;
        VideoAttendance.StartIfBothCame(appointment, therapistOnly).Events.ShouldBeEmpty();
        var both = Seen(therapistOnly, appointment, Start.AddMinutes(1), appointment.TherapistId, appointment.PatientId)!;
        VideoAttendance.StartIfBothCame(appointment, both).Events.ShouldBe([new SessionStarted(appointment.Id, Start.AddMinutes(1))]);
        VideoAttendance.StartIfBothCame(appointment with { Status = AppointmentStatus.Started }, both).Events.ShouldBeEmpty();
        VideoAttendance.StartIfBothCame(appointment with { Status = AppointmentStatus.Cancelled }, both).Events.ShouldBeEmpty();
    }

    [Fact]
    public void when_the_window_closes_a_started_session_completes_a_missing_patient_did_not_attend_and_a_missing_therapist_cancels()
    {
        var appointment = Confirmed(Start, Booked);
        var closesAt = Start.AddMinutes(65);
        var held = Seen(Seen(null, appointment, Start, appointment.TherapistId, appointment.PatientId), appointment, Start.AddMinutes(50))!;
        var closed = Fold<VideoSession>.All(VideoAttendance.Close(held, appointment, closesAt).Events, held)!;
        closed.Closed.ShouldBeTrue();
        VideoAttendance.Close(closed, appointment, closesAt).Events.ShouldBeEmpty();
        VideoAttendance.Settle(appointment with { Status = AppointmentStatus.Started }, closed, Policy, closesAt).Events
            .ShouldBe([new SessionCompleted(appointment.Id, Start.AddMinutes(50))]);
        VideoAttendance.Settle(appointment with { Status = AppointmentStatus.Completed }, closed, Policy, closesAt).Events.ShouldBeEmpty();

        // Still in the room at the close: they are taken to have left then.
        var stayed = Seen(null, appointment, Start, appointment.TherapistId, appointment.PatientId)!;
        VideoAttendance.Close(stayed, appointment, closesAt).Events.OfType<ParticipantLeft>().Count().ShouldBe(2);

        var therapistAlone = Fold<VideoSession>.All(VideoAttendance.Close(Seen(null, appointment, Start, appointment.TherapistId), appointment, closesAt).Events,
            Seen(null, appointment, Start, appointment.TherapistId))!;
        VideoAttendance.Settle(appointment, therapistAlone, Policy, closesAt).Events.ShouldBe([new PatientDidNotAttend(appointment.Id, closesAt)]);

        var waitedInVain = Fold<VideoSession>.All(JoinVideo.Decide(null, appointment, appointment.PatientId, new JoinWindow(TimeSpan.FromMinutes(10),
            TimeSpan.FromMinutes(15)), "janus", Start.AddMinutes(-2)).Events)!;
        var cancelled = VideoAttendance.Settle(appointment, waitedInVain, Policy, closesAt).Events.ShouldHaveSingleItem().ShouldBeOfType<AppointmentCancelled>();
        (cancelled.CancelledBy, cancelled.FeeOutcome, cancelled.RefundPence).ShouldBe((CancelledBy.Clinic, FeeOutcome.FullRefund, appointment.FeePence));

        VideoAttendance.Settle(appointment, new VideoSession(Guid.NewGuid(), appointment.Id, "r", []), Policy, closesAt).Events.ShouldBeEmpty();
    }

    [Fact]
    public void both_seen_only_at_the_last_look_is_a_session_that_took_place()
    {
        var appointment = Confirmed(Start, Booked);
        var both = Seen(null, appointment, Start.AddMinutes(30), appointment.TherapistId, appointment.PatientId)!;
        VideoAttendance.Settle(appointment, both, Policy, Start.AddMinutes(65)).Events
            .ShouldBe([new SessionStarted(appointment.Id, Start.AddMinutes(30)), new SessionCompleted(appointment.Id, Start.AddMinutes(65))]);
    }

    [Fact]
    public void only_the_therapist_records_only_in_the_window_only_with_consent_in_force_and_withdrawing_it_stops_the_recording()
    {
        var appointment = Confirmed(Start, Booked);
        var window = new JoinWindow(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(15));
        var now = Start.AddMinutes(1);
        SessionRecording.Start(null, appointment, appointment.PatientId, window, true, true, now).Rejection!.Kind.ShouldBe(RejectionKind.NotFound);
        SessionRecording.Start(null, appointment, appointment.TherapistId, window, false, true, now).Rejection!.Rule.ShouldBe("no-recording-consent");
        SessionRecording.Start(null, appointment, appointment.TherapistId, window, true, false, now).Rejection!.Rule.ShouldBe("recording-off");
        SessionRecording.Start(null, appointment, appointment.TherapistId, window, true, true, Start.AddMinutes(-30)).Rejection!.Rule.ShouldBe("too-early");
        var recording = Fold<VideoSession>.All(SessionRecording.Start(null, appointment, appointment.TherapistId, window, true, true, now).Events)!;
        recording.Recording.ShouldBeTrue();
        SessionRecording.Start(recording, appointment, appointment.TherapistId, window, true, true, now).Events.ShouldBeEmpty();
        SessionRecording.StopIfConsentGone(recording, appointment, true, now).Events.ShouldBeEmpty();
        SessionRecording.StopIfConsentGone(recording, appointment, false, now).Events.ShouldHaveSingleItem().ShouldBeOfType<RecordingStopped>()
            .Reason.ShouldBe("consent-withdrawn");
        VideoAttendance.Close(recording, appointment, Start.AddMinutes(65)).Events.OfType<RecordingStopped>().ShouldHaveSingleItem().Reason.ShouldBe("room-closed");
    }
}

using EventSourcedClinic.Domain.Scheduling.Booking;
using EventSourcedClinic.Domain.Video;
using static EventSourcedClinic.Domain.Tests.Scheduling.SchedulingFixtures;

namespace EventSourcedClinic.Domain.Tests.Video;

public class JoinVideoTests
{
    private static readonly DateTimeOffset Now = London(2027, 3, 1, 9);
    private static readonly DateTimeOffset Start = London(2027, 3, 3, 10);
    private static readonly JoinWindow Window = new(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(15));

    [Fact]
    public void a_session_that_is_not_on_has_no_room_whoever_asks_and_whenever()
    {
        var confirmed = Confirmed(Start, Now);
        var inside = Start.AddMinutes(-5);
        foreach (var status in new[] { AppointmentStatus.Cancelled, AppointmentStatus.HoldExpired, AppointmentStatus.Held, AppointmentStatus.Completed })
        {
            var appointment = confirmed with { Status = status };
            JoinVideo.Check(appointment, appointment.TherapistId, Window, inside, out _)!.Rule.ShouldBe("not-on");
            JoinVideo.Decide(null, appointment, appointment.PatientId, Window, "janus", inside).Rejection!.Rule.ShouldBe("not-on");
            AdmitPatient.Decide(null, appointment, appointment.TherapistId, Window, inside).Rejection!.Rule.ShouldBe("not-on");
        }
    }

    [Fact]
    public void the_patient_waits_once_until_admitted_and_only_the_sessions_therapist_admits_inside_the_window()
    {
        var appointment = Confirmed(Start, Now);
        var inside = Start.AddMinutes(-5);
        var waiting = Fold<VideoSession>.All(JoinVideo.Decide(null, appointment, appointment.PatientId, Window, "janus", inside).Events)!;
        waiting.WaitingSince.ShouldBe(inside);
        JoinVideo.Decide(waiting, appointment, appointment.PatientId, Window, "janus", inside).Events.ShouldBeEmpty();
        JoinVideo.Decide(waiting, appointment, Guid.NewGuid(), Window, "janus", inside).Rejection!.Kind.ShouldBe(RejectionKind.NotFound);

        AdmitPatient.Decide(waiting, appointment, Guid.NewGuid(), Window, inside).Rejection!.Kind.ShouldBe(RejectionKind.NotFound);
        AdmitPatient.Decide(waiting, appointment, appointment.TherapistId, Window, Start.AddMinutes(-11)).Rejection!.Rule.ShouldBe("too-early");
        var admitted = Fold<VideoSession>.All(AdmitPatient.Decide(waiting, appointment, appointment.TherapistId, Window, inside).Events, waiting)!;
        admitted.PatientAdmitted.ShouldBeTrue();
        AdmitPatient.Decide(admitted, appointment, appointment.TherapistId, Window, inside).Events.ShouldBeEmpty();
        JoinVideo.Decide(admitted, appointment, appointment.PatientId, Window, "janus", inside).Events.ShouldHaveSingleItem()
            .ShouldBeOfType<VideoJoinGranted>().ExpiresAt.ShouldBe(appointment.End.AddMinutes(15));
        JoinVideo.Decide(admitted, appointment, appointment.PatientId, Window, "janus", appointment.End.AddMinutes(16)).Rejection!.Rule.ShouldBe("room-closed");
    }
}

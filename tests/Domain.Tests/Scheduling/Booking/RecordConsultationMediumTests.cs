using EventSourcedClinic.Domain.Scheduling.Booking;
using static EventSourcedClinic.Domain.Tests.Scheduling.SchedulingFixtures;

namespace EventSourcedClinic.Domain.Tests.Scheduling.Booking;

public class RecordConsultationMediumTests
{
    private static readonly DateTimeOffset Now = London(2027, 3, 1, 9);
    private static readonly DateTimeOffset Start = London(2027, 3, 3, 10);

    private static Appointment Started() =>
        Fold<Appointment>.Next(Confirmed(Start, Now), new SessionStarted(Guid.Empty, Start));

    [Fact]
    public void a_session_is_held_by_video_until_the_therapist_records_otherwise()
    {
        Started().Medium.ShouldBe(ConsultationMedium.Video);
        var recorded = RecordConsultationMedium.Decide(Started(), new RecordConsultationMedium(3, ConsultationMedium.Telephone), Start)
            .Events.ShouldHaveSingleItem().ShouldBeOfType<ConsultationMediumRecorded>();
        Fold<Appointment>.Next(Started(), recorded).Medium.ShouldBe(ConsultationMedium.Telephone);
    }

    [Fact]
    public void the_same_medium_again_changes_nothing()
    {
        RecordConsultationMedium.Decide(Started(), new RecordConsultationMedium(3, ConsultationMedium.Video), Start).Events.ShouldBeEmpty();
    }

    [Fact]
    public void a_session_that_has_not_taken_place_has_no_medium_yet()
    {
        RecordConsultationMedium.Decide(Confirmed(Start, Now), new RecordConsultationMedium(2, ConsultationMedium.InPerson), Now)
            .Rejection.ShouldNotBeNull().Rule.ShouldBe("not-held");
    }
}

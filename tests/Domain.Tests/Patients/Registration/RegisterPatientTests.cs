using EventSourcedClinic.Domain.Patients;
using EventSourcedClinic.Domain.Patients.Registration;

namespace EventSourcedClinic.Domain.Tests.Patients.Registration;

public class RegisterPatientTests
{
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("943 476 5919")]
    [InlineData("9434765919")]
    [InlineData("4010232137")]
    public void valid_nhs_numbers_pass_the_modulus_11_check(string value)
    {
        NhsNumber.TryParse(value, out var number).ShouldBeTrue();
        number.Value.Length.ShouldBe(10);
    }

    [Theory]
    [InlineData("9434765918")]
    [InlineData("943476591")]
    [InlineData("94347659190")]
    [InlineData("943476591A")]
    [InlineData("1000000010")]
    [InlineData("")]
    public void invalid_nhs_numbers_fail(string value) => NhsNumber.TryParse(value, out _).ShouldBeFalse();

    [Fact]
    public void a_check_digit_of_ten_means_the_number_was_never_issued()
    {
        // 1,0,0,0,0,0,0,0,1 weighted: 10 + 2 = 12, 12 % 11 = 1, 11 - 1 = 10.
        NhsNumber.TryParse("1000000010", out _).ShouldBeFalse();
    }

    [Fact]
    public void registration_records_the_patient_with_a_normalised_nhs_number()
    {
        var id = Guid.CreateVersion7();
        var decision = RegisterPatient.Decide(id,
            new RegisterPatient("Amira", "Khan", new DateOnly(1990, 5, 17), "Amira@Example.org", "943 476 5919"), Now);

        decision.Events.ShouldHaveSingleItem().ShouldBe(new PatientRegistered(id, PersonalText.Of(id, "Amira"), PersonalText.Of(id, "Khan"),
            PersonalText.Of(id, "1990-05-17"), PersonalText.Of(id, "amira@example.org"), PersonalText.Of(id, "9434765919"), Now));
    }

    [Fact]
    public void an_invalid_nhs_number_is_refused() =>
        RegisterPatient.Decide(Guid.CreateVersion7(), new RegisterPatient("A", "B", new DateOnly(1990, 1, 1), "a@b.org", "9434765918"), Now)
            .Rejection.ShouldNotBeNull().Rule.ShouldBe("nhs-number");

    [Fact]
    public void a_seventeen_year_old_is_referred_elsewhere() =>
        RegisterPatient.Decide(Guid.CreateVersion7(), new RegisterPatient("A", "B", new DateOnly(2009, 3, 2), "a@b.org", null), Now)
            .Rejection.ShouldNotBeNull().Rule.ShouldBe("minimum-age");

    [Fact]
    public void an_eighteenth_birthday_today_is_old_enough() =>
        RegisterPatient.Decide(Guid.CreateVersion7(), new RegisterPatient("A", "B", new DateOnly(2009, 3, 1), "a@b.org", null), Now)
            .IsAccepted.ShouldBeTrue();

    [Fact]
    public void a_birth_date_in_the_future_is_refused() =>
        RegisterPatient.Decide(Guid.CreateVersion7(), new RegisterPatient("A", "B", new DateOnly(2028, 1, 1), "a@b.org", null), Now)
            .Rejection.ShouldNotBeNull().Rule.ShouldBe("date-of-birth-in-future");
}

public class RegisterPatientUkDateTests
{
    [Fact]
    public void an_eighteenth_birthday_begins_at_midnight_london_time_not_utc()
    {
        // 23:30 UTC on 17 May 2027 is 00:30 BST on 18 May.
        var now = new DateTimeOffset(2027, 5, 17, 23, 30, 0, TimeSpan.Zero);

        RegisterPatient.Decide(Guid.CreateVersion7(), new RegisterPatient("A", "B", new DateOnly(2009, 5, 18), "a@b.org", null), now)
            .IsAccepted.ShouldBeTrue();
    }

    [Fact]
    public void in_winter_london_and_utc_dates_agree()
    {
        var now = new DateTimeOffset(2027, 1, 17, 23, 30, 0, TimeSpan.Zero);

        RegisterPatient.Decide(Guid.CreateVersion7(), new RegisterPatient("A", "B", new DateOnly(2009, 1, 18), "a@b.org", null), now)
            .Rejection.ShouldNotBeNull().Rule.ShouldBe("minimum-age");
    }
}

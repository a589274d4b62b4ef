namespace EventSourcedClinic.Domain;

/// <summary>The clinic's civil time is the UK's: dates (birthdays, session days) are Europe/London dates, BST included.</summary>
public static class UkTime
{
    public static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    public static DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, London).DateTime);
}

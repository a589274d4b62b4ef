namespace EventSourcedClinic.Domain;

/// <summary>The clinic's civil time is the UK's: dates (birthdays, session days) are Europe/London dates, BST included.</summary>
public static class UkTime
{
    public static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    public static DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, London).DateTime);

    /// <summary>The instant a UK day begins (midnight in London, GMT or BST).</summary>
    public static DateTimeOffset StartOf(DateOnly day)
    {
        var midnight = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(midnight, London.GetUtcOffset(midnight));
    }
}

using System.ComponentModel.DataAnnotations;

namespace EventSourcedClinic.Api.Scheduling;

/// <summary>The "Booking" section of configuration, checked when the host starts.</summary>
public sealed class BookingSettings
{
    public const string Section = "Booking";

    /// <summary>How long a self-pay hold waits for payment before the time is released.</summary>
    [Range(0.1, 24 * 60.0)]
    public double HoldMinutes { get; set; } = 15;

    /// <summary>How long before a confirmed session each reminder goes, in minutes.</summary>
    [Required, MaxLength(10)]
    public double[] ReminderLeadMinutes { get; set; } = [24 * 60, 60];

    public TimeSpan[] ReminderLeads => ReminderLeadMinutes.Select(TimeSpan.FromMinutes).ToArray();

    /// <summary>A patient cancelling or moving a paid session later than this before it starts forfeits the fee.</summary>
    [Range(0, 14 * 24)]
    public int LateCancellationHours { get; set; } = 24;
}

using AvailabilityRules = EventSourcedClinic.Domain.Scheduling.Availability.Availability;
using EventSourcedClinic.Projections.Scheduling;
using JasperFx.Events.Projections;
using Marten;

namespace EventSourcedClinic.Api.Scheduling;

/// <summary>The "Booking" section of configuration.</summary>
public sealed class BookingSettings
{
    public const string Section = "Booking";

    /// <summary>How long a self-pay hold waits for payment before the time is released.</summary>
    public double HoldMinutes { get; set; } = 15;

    /// <summary>How long before a confirmed session each reminder goes, in minutes.</summary>
    public double[] ReminderLeadMinutes { get; set; } = [24 * 60, 60];

    public TimeSpan[] ReminderLeads => ReminderLeadMinutes.Select(TimeSpan.FromMinutes).ToArray();

    /// <summary>A patient cancelling or moving a paid session later than this before it starts forfeits the fee.</summary>
    public int LateCancellationHours { get; set; } = 24;
}

public static class Configuration
{
    public static StoreOptions ConfigureScheduling(this StoreOptions options)
    {
        options.Projections.Add<AvailabilityAggregation>(ProjectionLifecycle.Inline);
        options.Projections.Add<AppointmentAggregation>(ProjectionLifecycle.Live);
        options.Projections.Add<CalendarProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add(new SlotClaims(options.DatabaseSchemaName), ProjectionLifecycle.Inline);
        options.Schema.For<AvailabilityRules>().Index(x => x.TherapistId);
        options.Schema.For<CalendarEntry>().Index(x => x.TherapistId).Index(x => x.PatientId).Index(x => x.Start);
        return options;
    }

    /// <summary>The claims table with its exclusion constraints (Marten does not manage it; see SlotClaims).</summary>
    public static async Task EnsureSchemaAsync(Npgsql.NpgsqlDataSource dataSource, CancellationToken cancellation)
    {
        await using var command = dataSource.CreateCommand($"create schema if not exists clinic; {new SlotClaims(Hosting.ClinicStore.Schema).Schema}");
        await command.ExecuteNonQueryAsync(cancellation);
    }

    public static IServiceCollection AddClinicScheduling(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<BookingSettings>(configuration.GetSection(BookingSettings.Section));
        services.AddSingleton<Reminders.INotificationSender, Reminders.LogNotificationSender>();
        services.AddSingleton<Slots.FreeSlots>();
        return services;
    }
}

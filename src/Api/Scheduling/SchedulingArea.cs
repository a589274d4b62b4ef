using EventSourcedClinic.Projections.Scheduling;
using EventSourcedClinic.Projections;
using JasperFx.Events.Projections;
using Npgsql;
using AvailabilityRules = EventSourcedClinic.Domain.Scheduling.Availability.Availability;

namespace EventSourcedClinic.Api.Scheduling;

/// <summary>Scheduling: availability, free slots, booking that never double-books, calendars and reminders.</summary>
public sealed class SchedulingArea : ClinicArea
{
    public override void AddServices(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddValidatedOptions<BookingSettings>(configuration, BookingSettings.Section);
        services.AddSingleton<Slots.FreeSlots>();
    }

    public override void ConfigureStore(StoreOptions options)
    {
        options.Projections.Add(new StreamFold<AvailabilityRules>(), ProjectionLifecycle.Inline);
        options.Projections.Add(new StreamFold<Domain.Scheduling.Booking.Appointment>(), ProjectionLifecycle.Live);
        options.Projections.Add<CalendarProjection>(ProjectionLifecycle.Inline);
        var claims = new SlotClaims(options.DatabaseSchemaName);
        options.Projections.Add(claims, ProjectionLifecycle.Inline);
        AreaDatabaseObjects.Add(options, new DatabaseObject(options.DatabaseSchemaName, SlotClaims.TableName, claims.Schema,
            $"table {claims.Table}", $"drop table if exists {claims.Table};"));
        options.Schema.For<AvailabilityRules>().Index(x => x.TherapistId);
        options.Schema.For<CalendarEntry>().Index(x => x.TherapistId).Index(x => x.PatientId).Index(x => x.Start);
    }

    public override IEnumerable<PatientStreamKind> PatientStreams =>
    [
        PatientStreamKind.Found(RecordTypes.Appointment, async (session, patientId, cancellation) =>
            await session.Query<CalendarEntry>().Where(e => e.PatientId == patientId).Select(e => e.Id).ToListAsync(cancellation)),
    ];

    /// <summary>The claims table refuses an overlap (ADR 0006): which constraint it was says whose time was taken.</summary>
    public override ProblemDetails? Classify(Exception exception) => exception switch
    {
        PostgresException { SqlState: PostgresErrorCodes.ExclusionViolation } clash when clash.ConstraintName == SlotClaims.PatientConstraint =>
            Problems.Conflict("patient-double-booked", "You already have an appointment at an overlapping time."),
        PostgresException { SqlState: PostgresErrorCodes.ExclusionViolation } clash when clash.ConstraintName == SlotClaims.TherapistConstraint =>
            Problems.Conflict("slot-taken", "That time has just been taken; choose another."),
        _ => null,
    };
}

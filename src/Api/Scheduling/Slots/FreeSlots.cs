using EventSourcedClinic.Domain.Scheduling.Availability;
using Npgsql;
using NpgsqlTypes;
using AvailabilityRules = EventSourcedClinic.Domain.Scheduling.Availability.Availability;

namespace EventSourcedClinic.Api.Scheduling.Slots;

/// <summary>
/// Free slots from the read models: each therapist's slot grid (from the stored availability) inside their booking
/// window, less every time already claimed by a held or confirmed appointment.
/// </summary>
public sealed class FreeSlots(NpgsqlDataSource dataSource)
{
    public const int MaxDays = 31;

    public async Task<IReadOnlyDictionary<Guid, IReadOnlyList<Slot>>> ForAsync(
        IEnumerable<(AvailabilityRules Availability, int SessionMinutes)> therapists, DateOnly from, DateOnly to, DateTimeOffset now,
        CancellationToken cancellation)
    {
        var list = therapists.ToList();
        var rangeStart = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(-1);
        var rangeEnd = new DateTimeOffset(to.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(2);
        var claims = await ClaimsAsync(list.Select(t => t.Availability.TherapistId).ToArray(), rangeStart, rangeEnd, cancellation);

        var result = new Dictionary<Guid, IReadOnlyList<Slot>>();
        foreach (var (availability, minutes) in list)
        {
            var (earliest, latest) = SlotGrid.BookingWindow(availability, now);
            var taken = claims.GetValueOrDefault(availability.TherapistId) ?? [];
            result[availability.TherapistId] = SlotGrid.Between(availability, minutes, from, to)
                .Where(slot => slot.Start >= earliest && slot.Start < latest)
                .Where(slot => !taken.Any(claim => claim.Start < slot.End && slot.Start < claim.End))
                .ToArray();
        }

        return result;
    }

    private async Task<Dictionary<Guid, List<Slot>>> ClaimsAsync(Guid[] therapistIds, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellation)
    {
        await using var command = dataSource.CreateCommand(
            $"select therapist_id, lower(during), upper(during) from {ClinicSchema.Name}.{Projections.Scheduling.SlotClaims.TableName} where therapist_id = any($1) and during && tstzrange($2, $3)");
        command.Parameters.Add(new NpgsqlParameter { Value = therapistIds, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter { Value = from.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = to.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        var claims = new Dictionary<Guid, List<Slot>>();
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation))
        {
            var therapist = reader.GetGuid(0);
            var slot = new Slot(reader.GetFieldValue<DateTimeOffset>(1), reader.GetFieldValue<DateTimeOffset>(2));
            (claims.TryGetValue(therapist, out var existing) ? existing : claims[therapist] = []).Add(slot);
        }

        return claims;
    }

    /// <summary>The London dates to search; dates far from today (where date arithmetic would overflow) are left for the caller to refuse.</summary>
    public static (DateOnly From, DateOnly To) Range(DateOnly? from, DateOnly? to, DateTimeOffset now)
    {
        var start = from ?? UkTime.Today(now);
        return (start, to ?? (start.DayNumber < DateOnly.MaxValue.DayNumber - 7 ? start.AddDays(6) : start));
    }

    public static bool IsNearToday(DateOnly date, DateTimeOffset now) => Math.Abs(date.DayNumber - UkTime.Today(now).DayNumber) <= 400;
}

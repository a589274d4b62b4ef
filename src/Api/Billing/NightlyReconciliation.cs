using EventSourcedClinic.Api.Payments;
using Microsoft.Extensions.Options;
using Wolverine;

namespace EventSourcedClinic.Api.Billing;

/// <summary>Reconcile one day of the ledger with Stripe (the nightly job's message, durable in Wolverine's store).</summary>
public sealed record ReconcileBillingDay(DateOnly Date);

/// <summary>Which day the nightly reconciliation does next: one document, so that one node schedules each night.</summary>
public sealed class ReconciliationSchedule
{
    public const string NightlyId = "nightly";

    public string Id { get; set; } = NightlyId;

    public DateOnly NextDate { get; set; }
}

/// <summary>
/// The nightly reconciliation (ADR 0014): each night, after <see cref="BillingSettings.ReconcileAtUtc"/>, the day before is
/// reconciled and its report kept; then the next night is scheduled. The message is a scheduled, durable one in the
/// database, so a restart or another node picks it up; Stripe away, it is retried (the Payments area's policy).
/// </summary>
public static class ReconcileBillingDayHandler
{
    public static async Task Handle(
        ReconcileBillingDay message, BillingReconciliation reconciliation, IDocumentSession session, IMessageContext context,
        IOptions<BillingSettings> billing, CancellationToken cancellation)
    {
        session.Store(await reconciliation.RunAsync(message.Date, cancellation));
        var schedule = await session.LoadAsync<ReconciliationSchedule>(ReconciliationSchedule.NightlyId, cancellation);
        if (schedule is not null && schedule.NextDate == message.Date)
        {
            // Only the run that advances the schedule schedules the next night: a repeated run changes nothing more.
            schedule.NextDate = message.Date.AddDays(1);
            session.Store(schedule);
            await context.ScheduleAsync(new ReconcileBillingDay(schedule.NextDate), NightlyStarter.RunAt(schedule.NextDate, billing.Value));
        }
    }
}

/// <summary>At start, makes sure the nightly chain exists (once across every node, by inserting its schedule).</summary>
public sealed class NightlyStarter(
    IDocumentStore store, IServiceScopeFactory scopes, IHostApplicationLifetime lifetime, IOptions<BillingSettings> billing, ILogger<NightlyStarter> log)
    : BackgroundService
{
    /// <summary>A day is reconciled the night after it ends.</summary>
    public static DateTimeOffset RunAt(DateOnly day, BillingSettings settings) =>
        new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) + settings.ReconcileAtUtc;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!billing.Value.NightlyReconciliation)
        {
            return;
        }

        // Once the host (and with it Wolverine's durable messaging) has started.
        var started = new TaskCompletionSource();
        await using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);
        try
        {
            await using var session = store.LightweightSession();
            if (await session.LoadAsync<ReconciliationSchedule>(ReconciliationSchedule.NightlyId, stoppingToken) is { } schedule)
            {
                // A night long overdue (its message dead-lettered while Stripe was away, or lost between the schedule's
                // write and its scheduling): scheduled again now. A second run of one night only rewrites its report.
                if (RunAt(schedule.NextDate, billing.Value) < DateTimeOffset.UtcNow.AddHours(-6))
                {
                    using var again = scopes.CreateScope();
                    await again.ServiceProvider.GetRequiredService<IMessageBus>().PublishAsync(new ReconcileBillingDay(schedule.NextDate));
                }

                return;
            }

            // Stripe's clock is the machine's: the first night reconciles yesterday by it.
            var yesterday = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);
            session.Insert(new ReconciliationSchedule { NextDate = yesterday });
            await session.SaveChangesAsync(stoppingToken);
            using var scope = scopes.CreateScope();
            await scope.ServiceProvider.GetRequiredService<IMessageBus>().ScheduleAsync(new ReconcileBillingDay(yesterday), RunAt(yesterday, billing.Value));
        }
        catch (JasperFx.DocumentAlreadyExistsException)
        {
            // Another node started the chain first.
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException or OperationCanceledException)
        {
            log.LogWarning(e, "The nightly billing reconciliation could not be scheduled at start; it will be at the next start.");
        }
    }
}

using System.Text.Json;
using EventSourcedClinic.Api.Billing;
using JasperFx.CommandLine;

namespace EventSourcedClinic.Api.Operations;

public sealed class BillingInput : NetCoreInput
{
    [Description("reconcile: compare a day of the billing ledger with Stripe's balance transactions")]
    public string Action { get; set; } = "reconcile";

    [Description("The day to reconcile (yyyy-MM-dd, UTC); yesterday when left out")]
    public string? DateFlag { get; set; }

    [Description("Print the full report as JSON")]
    public bool JsonFlag { get; set; }
}

[Description("Billing: reconcile the ledger with Stripe for a day, listing every difference", Name = "billing")]
public sealed class BillingCommand : JasperFxAsyncCommand<BillingInput>
{
    public override async Task<bool> Execute(BillingInput input)
    {
        if (!string.Equals(input.Action, "reconcile", StringComparison.OrdinalIgnoreCase))
        {
            Console.Error.WriteLine($"Unknown action '{input.Action}': use 'reconcile'.");
            return false;
        }

        var date = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);
        if (input.DateFlag is { } text && !DateOnly.TryParseExact(text, "yyyy-MM-dd", out date))
        {
            Console.Error.WriteLine($"--date is a day as yyyy-MM-dd, not '{text}'.");
            return false;
        }

        using var host = input.BuildHost();
        var report = await host.Services.GetRequiredService<BillingReconciliation>().RunAsync(date, CancellationToken.None);
        await using (var session = host.Services.GetRequiredService<IDocumentStore>().LightweightSession())
        {
            session.Store(report);
            await session.SaveChangesAsync();
        }

        if (input.JsonFlag)
        {
            Console.WriteLine(JsonSerializer.Serialize(report, JsonSerializerOptions.Web));
            return report.Balanced;
        }

        Console.WriteLine($"Reconciled {report.Date:yyyy-MM-dd} (UTC): ledger {report.LedgerEntries} entries, net {Money(report.LedgerNetPence)}; " +
                          $"Stripe {report.StripeEntries} entries, net {Money(report.StripeNetPence)} (fees {Money(report.StripeFeesPence)}, " +
                          $"{report.OtherStripeEntries} other movements not compared).");
        foreach (var d in report.Differences)
        {
            Console.WriteLine($"  {d.Kind,-17} {d.Type,-10} {d.Source}: ledger {(d.LedgerPence is { } l ? Money(l) : "-")}, Stripe {(d.StripePence is { } s ? Money(s) : "-")}");
        }

        Console.WriteLine(report.Balanced ? "No differences." : $"{report.Differences.Length} difference(s).");
        return report.Balanced;
    }

    private static string Money(long pence) => (pence / 100m).ToString("C", System.Globalization.CultureInfo.GetCultureInfo("en-GB"));
}

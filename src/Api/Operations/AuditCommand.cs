using System.Text.Json;
using EventSourcedClinic.Api.Compliance;
using JasperFx.CommandLine;

namespace EventSourcedClinic.Api.Operations;

public sealed class AuditInput : NetCoreInput
{
    [Description("verify: recompute the hash chain; replay: rebuild the read models aside and compare them with the live ones")]
    public string Action { get; set; } = "verify";

    [Description("Verify one stream only")]
    public string? StreamFlag { get; set; }

    [Description("Print the full report as JSON")]
    public bool JsonFlag { get; set; }
}

[Description("Check the audit trail: the event store's hash chain, or a replay of every projection against the live read models", Name = "audit")]
public sealed class AuditCommand : JasperFxAsyncCommand<AuditInput>
{
    public override async Task<bool> Execute(AuditInput input)
    {
        using var host = input.BuildHost();
        Guid? stream = null;
        if (input.StreamFlag is { } text)
        {
            if (!Guid.TryParse(text, out var id))
            {
                Console.Error.WriteLine($"--stream must be a stream id (a GUID), not '{text}'.");
                return false;
            }

            stream = id;
        }

        switch (input.Action.ToLowerInvariant())
        {
            case "verify":
                return Report(await host.Services.GetRequiredService<EventChain>().VerifyAsync(stream, CancellationToken.None), input.JsonFlag);
            case "replay":
                return Report(await host.Services.GetRequiredService<ReplayVerification>().RunAsync(CancellationToken.None), input.JsonFlag);
            default:
                Console.Error.WriteLine($"Unknown action '{input.Action}': use 'verify' or 'replay'.");
                return false;
        }
    }

    private static bool Report(ChainVerification result, bool json)
    {
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(result, JsonSerializerOptions.Web));
            return result.Intact;
        }

        Console.WriteLine($"Checked {result.EventsChecked} events in {result.StreamsChecked} streams in {result.Seconds:0.00} s.");
        foreach (var problem in result.Problems)
        {
            Console.WriteLine($"  {problem.Kind,-9} stream {problem.StreamId} version {problem.Version} (sequence {problem.Sequence?.ToString() ?? "-"}): {problem.Detail}");
        }

        Console.WriteLine(result.Intact ? "The chain is intact." : $"The chain is BROKEN: {result.ProblemCount} problem(s).");
        return result.Intact;
    }

    private static bool Report(ReplayReport result, bool json)
    {
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(result, JsonSerializerOptions.Web));
            return result.Matches;
        }

        Console.WriteLine($"Replayed {result.Events} events into schema {result.Schema} in {result.Seconds:0.00} s.");
        foreach (var model in result.ReadModels)
        {
            Console.WriteLine($"  {model.Name,-28} live {model.Live,7}  rebuilt {model.Rebuilt,7}  differences {model.DifferenceCount}");
            foreach (var difference in model.Differences)
            {
                Console.WriteLine($"    {difference.Kind} {difference.Id}: {difference.Detail}");
            }
        }

        Console.WriteLine(result.Matches ? "The read models match a replay of the events." : "The read models DIFFER from a replay of the events.");
        return result.Matches;
    }
}

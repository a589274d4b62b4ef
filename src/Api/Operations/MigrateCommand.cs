using EventSourcedClinic.Api.Hosting;
using JasperFx.CommandLine;

namespace EventSourcedClinic.Api.Operations;

[Description("Create or update every table the clinic needs (events, read models, outbox, identity)", Name = "migrate")]
public sealed class MigrateCommand : JasperFxAsyncCommand<NetCoreInput>
{
    public override async Task<bool> Execute(NetCoreInput input)
    {
        using var host = input.BuildHost();
        await ClinicDatabase.MigrateAsync(host, CancellationToken.None);
        Console.WriteLine("The clinic's database is up to date.");
        return true;
    }
}

using EventSourcedClinic.Api.Hosting;
using EventSourcedClinic.Api.Demo;
using JasperFx.CommandLine;

namespace EventSourcedClinic.Api.Operations;

[Description("Seed the demo clinic (therapists, patients, staff, an NHS system client) when the database has none", Name = "seed-demo")]
public sealed class SeedDemoCommand : JasperFxAsyncCommand<NetCoreInput>
{
    public override async Task<bool> Execute(NetCoreInput input)
    {
        using var host = input.BuildHost();
        if (host.Services.GetRequiredService<IHostEnvironment>().IsProduction())
        {
            // The demo's users have published passwords and its NHS client a committed secret.
            Console.Error.WriteLine("seed-demo refuses to run in the Production environment.");
            return false;
        }

        await ClinicDatabase.MigrateAsync(host, CancellationToken.None);
        var seeded = await DemoClinic.SeedAsync(host.Services, CancellationToken.None);
        Console.WriteLine(seeded
            ? $"Seeded the demo clinic: {DemoClinic.Therapists.Length} therapists, {DemoClinic.Patients.Length} patients, an admin and a compliance officer."
            : "The database already holds a clinic; nothing seeded.");
        return true;
    }
}

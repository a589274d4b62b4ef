using EventSourcedClinic.Api.Hosting;

namespace EventSourcedClinic.Demo;

/// <summary>Brings the database up to this build and seeds the demo clinic once; the clinic itself is served by the Api.</summary>
public static class SeedDemo
{
    public static async Task<int> Main(string[] args)
    {
        var app = ClinicHost.Build(args);
        if (app.Environment.IsProduction())
        {
            // The demo's users have published passwords and its NHS client a committed secret.
            await Console.Error.WriteLineAsync("The demo clinic is never seeded in the Production environment.");
            return 1;
        }

        await ClinicDatabase.MigrateAsync(app, CancellationToken.None);
        var seeded = await DemoClinic.SeedAsync(app.Services, CancellationToken.None);
        Console.WriteLine(seeded
            ? $"Seeded the demo clinic: {DemoClinic.Therapists.Length} therapists, {DemoClinic.Patients.Length} patients, an admin and a compliance officer."
            : "The database already holds a clinic; nothing seeded.");
        return 0;
    }
}

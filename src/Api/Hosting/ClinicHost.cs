using JasperFx;

namespace EventSourcedClinic.Api.Hosting;

/// <summary>The clinic's host, built the same way by the API's entry point and by tools that run beside it (the demo seed).</summary>
public static class ClinicHost
{
    public static WebApplication Build(string[] args)
    {
        // appsettings sit beside the assembly, wherever the command is started from.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Host.ApplyJasperFxExtensions();
        builder.AddClinic(ClinicAreas.All());

        var app = builder.Build();
        app.UseClinic();
        return app;
    }
}

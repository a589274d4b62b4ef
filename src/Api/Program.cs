using EventSourcedClinic.Api.Hosting;
using JasperFx;

// appsettings sit beside the assembly, wherever the command is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Host.ApplyJasperFxExtensions();
builder.AddClinic(ClinicAreas.All());

var app = builder.Build();
app.UseClinic();

return await app.RunJasperFxCommands(args);

/// <summary>The host's entry point, named for the test host.</summary>
public partial class Program;

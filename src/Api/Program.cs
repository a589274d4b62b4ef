using EventSourcedClinic.Api.Fhir;
using EventSourcedClinic.Api.Hosting;
using EventSourcedClinic.Api.Identity;
using EventSourcedClinic.Api.Scheduling;
using JasperFx;

// appsettings sit beside the assembly, wherever the command is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Host.ApplyJasperFxExtensions();

builder.AddClinicLogging();
builder.Services.AddClinicStore(builder.Configuration, builder.Environment);
builder.Services.AddClinicIdentity(builder.Configuration, builder.Environment);
builder.Services.AddClinicScheduling(builder.Configuration);
builder.AddClinicMessaging();
builder.Services.AddClinicHttp();
builder.Services.AddClinicFhir();

var app = builder.Build();
app.UseClinicHttp();

return await app.RunJasperFxCommands(args);

/// <summary>The host's entry point, named for the test host.</summary>
public partial class Program;

using EventSourcedClinic.Api.Hosting;
using JasperFx;

return await ClinicHost.Build(args).RunJasperFxCommands(args);

/// <summary>The host's entry point, named for the test host.</summary>
public partial class Program;

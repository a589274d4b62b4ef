
namespace EventSourcedClinic.Api.Compliance;

/// <summary>Replays every event into a scratch schema and reports each difference from the live read models.</summary>
public static class ReplayVerifyEndpoint
{
    [WolverinePost("/api/compliance/replay/verify"), Authorize(Roles = ClinicRoles.Compliance)]
    public static Task<ReplayReport> Post(ReplayVerification replay, CancellationToken cancellation) => replay.RunAsync(cancellation);
}

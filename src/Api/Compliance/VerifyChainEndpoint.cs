
namespace EventSourcedClinic.Api.Compliance;

/// <summary>Recomputes the event store's hash chain, whole or for one stream, and reports every event that fails it.</summary>
public static class VerifyChainEndpoint
{
    [WolverineGet("/api/compliance/chain/verify"), Authorize(Roles = ClinicRoles.Compliance)]
    public static Task<ChainVerification> Get(Guid? streamId, EventChain chain, CancellationToken cancellation) =>
        chain.VerifyAsync(streamId, cancellation);
}

using EventSourcedClinic.Api.Hosting;
using EventSourcedClinic.Api.Identity;
using JasperFx.Events;

namespace EventSourcedClinic.Api.Tests;

public static class AuditAssertions
{
    /// <summary>The event carries who acted, in which role, under which correlation, at a time from the clinic's clock.</summary>
    public static void StampedBy(
        IEvent e, string userId, string role, string? correlationId, DateTimeOffset notBefore, TestClock clock, string? clientId = ClientRegistry.ClinicApp)
    {
        e.Headers.ShouldNotBeNull();
        (e.GetHeader(AuditStamp.UserId)?.ToString()).ShouldBe(userId);
        (e.GetHeader(AuditStamp.Role)?.ToString()).ShouldBe(role);
        (e.GetHeader(AuditStamp.ClientId)?.ToString()).ShouldBe(clientId);
        e.UserName.ShouldBe(userId);
        if (correlationId is not null)
        {
            e.CorrelationId.ShouldBe(correlationId);
        }
        else
        {
            e.CorrelationId.ShouldNotBeNullOrEmpty();
        }

        e.CausationId.ShouldNotBeNullOrEmpty();

        // The clinic's clock runs ahead of the database's; a timestamp from the database or the system clock would be days early.
        e.Timestamp.ShouldBeGreaterThanOrEqualTo(notBefore.AddSeconds(-1));
        e.Timestamp.ShouldBeLessThanOrEqualTo(clock.GetUtcNow().AddSeconds(1));
    }
}
